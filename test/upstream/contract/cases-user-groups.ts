import { expect, it } from 'vitest';
import { notFound, rejects, serverError } from './assertions.js';
import type { Contract } from './target.js';

/** openfire-rest-api.md §5.2: a user's group memberships. */
export function userGroupCases({ client, target, fx, cases }: Contract): void {
  /** The user's groups, sorted: Openfire reports them in no defined order. */
  const groupsOf = async (username: string) =>
    [...(await client.call('GET /users/{username}/groups', { path: { username } }))].sort();
  const missingGroup = (name: string) => notFound('GroupNotFoundException', name);

  cases('GET /users/{username}/groups', () => {
    it('lists the groups the user is a member or an admin of', async () => {
      const { username } = await fx.user();
      const member = await fx.group({ members: [target.jid(username)] });
      const admin = await fx.group({ admins: [target.jid(username)] });
      await fx.group();
      expect(await groupsOf(username)).toEqual([member.name, admin.name].sort());
    });

    it('fails with NOT_FOUND UserNotFoundException for an unknown user', async () => {
      const username = fx.name('nobody');
      await rejects(groupsOf(username), notFound('UserNotFoundException', username));
    });
  });

  cases('POST /users/{username}/groups', () => {
    it('adds the user to every listed group', async () => {
      const { username } = await fx.user();
      const names = [(await fx.group()).name, (await fx.group()).name];
      expect(await client.call('POST /users/{username}/groups', { path: { username }, body: names })).toBeUndefined();
      expect(await groupsOf(username)).toEqual(names.sort());
    });

    it('fails with SERVER_ERROR for a group that does not exist, which the plugin cannot auto-create', async () => {
      const { username } = await fx.user();
      const body = [fx.fresh('group')];
      await rejects(client.call('POST /users/{username}/groups', { path: { username }, body }), serverError(null));
    });
  });

  cases('POST /users/{username}/groups/{groupName}', () => {
    it('adds the user to the group', async () => {
      const { username } = await fx.user();
      const { name: groupName } = await fx.group();
      expect(
        await client.call('POST /users/{username}/groups/{groupName}', { path: { username, groupName } }),
      ).toBeUndefined();
      expect(await groupsOf(username)).toEqual([groupName]);
    });

    it('fails with SERVER_ERROR for a group that does not exist, which the plugin cannot auto-create', async () => {
      const { username } = await fx.user();
      const groupName = fx.fresh('group');
      await rejects(
        client.call('POST /users/{username}/groups/{groupName}', { path: { username, groupName } }),
        serverError(null),
      );
    });
  });

  cases('DELETE /users/{username}/groups/{groupName}', () => {
    it('removes the user from the group', async () => {
      const { username } = await fx.user();
      const { name: groupName } = await fx.group({ members: [target.jid(username)] });
      expect(
        await client.call('DELETE /users/{username}/groups/{groupName}', { path: { username, groupName } }),
      ).toBeUndefined();
      expect(await groupsOf(username)).toEqual([]);
    });

    it('fails with NOT_FOUND GroupNotFoundException for a group that does not exist', async () => {
      const { username } = await fx.user();
      const groupName = fx.name('missing');
      await rejects(
        client.call('DELETE /users/{username}/groups/{groupName}', { path: { username, groupName } }),
        missingGroup(groupName),
      );
    });
  });

  cases('DELETE /users/{username}/groups', () => {
    it('removes the user from every listed group', async () => {
      const { username } = await fx.user();
      const members = [target.jid(username)];
      const body = [(await fx.group({ members })).name, (await fx.group({ members })).name];
      expect(await client.call('DELETE /users/{username}/groups', { path: { username }, body })).toBeUndefined();
      expect(await groupsOf(username)).toEqual([]);
    });

    it('fails with NOT_FOUND GroupNotFoundException for a group that does not exist', async () => {
      const { username } = await fx.user();
      const groupName = fx.name('missing');
      await rejects(
        client.call('DELETE /users/{username}/groups', { path: { username }, body: [groupName] }),
        missingGroup(groupName),
      );
    });
  });
}
