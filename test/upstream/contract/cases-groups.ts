import { expect, it } from 'vitest';
import { conflict, notFound, rejects } from './assertions.js';
import type { Contract } from './target.js';

/** openfire-rest-api.md §5.6 groups. */
export function groupCases({ client, target, fx, cases }: Contract): void {
  const groupOf = (groupName: string) => client.call('GET /groups/{groupName}', { path: { groupName } });
  const missingGroup = (name: string) => notFound('GroupNotFoundException', name);
  /** Two users' bare JIDs, to be a group's admin and member. */
  const people = async (): Promise<[string, string]> => [
    target.jid((await fx.user()).username),
    target.jid((await fx.user()).username),
  ];

  cases('GET /groups', () => {
    it('lists groups by name and description only, never as shared', async () => {
      const [admin, member] = await people();
      const shared = await fx.group({ admins: [admin], members: [member], shared: true });
      const plain = await fx.group({ description: null });
      const mine = new Set([shared.name, plain.name]);
      const listed = (await client.call('GET /groups', {})).filter((g) => mine.has(g.name));
      expect(listed).toEqual(
        [
          { name: shared.name, description: 'Contract group', shared: false },
          { name: plain.name, description: null, shared: false },
        ].sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
    });
  });

  cases('POST /groups', () => {
    it('creates a group that reads back with its admins, members and shared flag', async () => {
      const [admin, member] = await people();
      const body = { name: fx.fresh('group'), description: 'Crew', admins: [admin], members: [member], shared: true };
      expect(await client.call('POST /groups', { body })).toBeUndefined();
      expect(await groupOf(body.name)).toEqual(body);
    });

    it('fails with CONFLICT GroupAlreadyExistsException for an existing group', async () => {
      const { name } = await fx.group();
      await rejects(client.call('POST /groups', { body: { name } }), conflict('GroupAlreadyExistsException', name));
    });
  });

  cases('GET /groups/{groupName}', () => {
    it('returns the group with admins and members as bare JIDs', async () => {
      const [admin, member] = await people();
      const group = await fx.group({ admins: [admin], members: [member] });
      expect(await groupOf(group.name)).toEqual(group);
    });

    it('fails with NOT_FOUND GroupNotFoundException for an unknown group', async () => {
      const name = fx.name('missing');
      await rejects(groupOf(name), missingGroup(name));
    });
  });

  cases('PUT /groups/{groupName}', () => {
    it('replaces description, admins, members and the shared flag', async () => {
      // Nobody moves between the lists: upstream may drop a JID moved from admins to members in one PUT
      // (openfire-rest-api.md §7.6).
      const [leaving, joining] = await people();
      const { name } = await fx.group({ admins: [leaving] });
      const body = { name, description: 'Renamed crew', admins: [], members: [joining], shared: true };
      expect(await client.call('PUT /groups/{groupName}', { path: { groupName: name }, body })).toBeUndefined();
      expect(await groupOf(name)).toEqual(body);
    });

    it('fails with NOT_FOUND GroupNotFoundException for an unknown group', async () => {
      const name = fx.name('missing');
      await rejects(
        client.call('PUT /groups/{groupName}', { path: { groupName: name }, body: { name } }),
        missingGroup(name),
      );
    });
  });

  cases('DELETE /groups/{groupName}', () => {
    it('deletes the group, which then is not found', async () => {
      const { name } = await fx.group();
      expect(await client.call('DELETE /groups/{groupName}', { path: { groupName: name } })).toBeUndefined();
      await rejects(groupOf(name), missingGroup(name));
    });

    it('fails with NOT_FOUND GroupNotFoundException for an unknown group', async () => {
      const name = fx.name('missing');
      await rejects(client.call('DELETE /groups/{groupName}', { path: { groupName: name } }), missingGroup(name));
    });
  });
}
