import { expect, it } from 'vitest';
import { badRequest, conflict, notFound, rejects } from './assertions.js';
import type { Contract } from './target.js';

const AFFILIATIONS = ['owners', 'admins', 'members', 'outcasts'] as const;

/** openfire-rest-api.md §5.9 room affiliations. */
export function affiliationCases({ client, target, fx, cases }: Contract): void {
  const listOf = (roomName: string, affiliation: (typeof AFFILIATIONS)[number]) =>
    client.call('GET /chatrooms/{roomName}/{affiliation}', { path: { roomName, affiliation } });
  const memberGroupsOf = async (roomName: string) =>
    (await client.call('GET /chatrooms/{roomName}', { path: { roomName } })).memberGroups;
  const missingRoom = (name: string) => notFound('RoomNotFoundException', name);
  /** Affiliated JIDs need no account. */
  const someone = () => target.jid(fx.name('someone'));

  cases('GET /chatrooms/{roomName}/{affiliation}', () => {
    it('lists the bare JIDs holding each affiliation', async () => {
      const lists = {
        owners: [someone()],
        admins: [someone()],
        members: [someone(), someone()],
        outcasts: [someone()],
      };
      const { roomName } = await fx.room(lists);
      for (const affiliation of AFFILIATIONS) {
        expect([...(await listOf(roomName, affiliation))].sort()).toEqual([...lists[affiliation]].sort());
      }
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      await rejects(listOf(roomName, 'members'), missingRoom(roomName));
    });
  });

  // The plugin declares an abstract body type here that it cannot read (issue #163): list bodies always fail.
  cases('PUT /chatrooms/{roomName}/{affiliation}', () => {
    it('fails with BAD_REQUEST for any list, leaving the affiliations unchanged', async () => {
      const { roomName, members } = await fx.room({ members: [someone()] });
      const path = { roomName, affiliation: 'members' };
      await rejects(
        client.call('PUT /chatrooms/{roomName}/{affiliation}', { path, body: [someone()] }),
        badRequest(null),
      );
      expect(await listOf(roomName, 'members')).toEqual(members);
    });
  });

  cases('POST /chatrooms/{roomName}/{affiliation}', () => {
    it('fails with BAD_REQUEST for any list, leaving the affiliations unchanged', async () => {
      const { roomName, members } = await fx.room({ members: [someone()] });
      const path = { roomName, affiliation: 'members' };
      await rejects(
        client.call('POST /chatrooms/{roomName}/{affiliation}', { path, body: [someone()] }),
        badRequest(null),
      );
      expect(await listOf(roomName, 'members')).toEqual(members);
    });
  });

  cases('POST /chatrooms/{roomName}/{affiliation}/{jid}', () => {
    it('grants the affiliation to the JID', async () => {
      const { roomName } = await fx.room();
      const jid = someone();
      const path = { roomName, affiliation: 'admins', jid };
      expect(await client.call('POST /chatrooms/{roomName}/{affiliation}/{jid}', { path })).toBeUndefined();
      expect(await listOf(roomName, 'admins')).toEqual([jid]);
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const path = { roomName: fx.name('noroom'), affiliation: 'admins', jid: someone() };
      await rejects(
        client.call('POST /chatrooms/{roomName}/{affiliation}/{jid}', { path }),
        missingRoom(path.roomName),
      );
    });
  });

  cases('POST /chatrooms/{roomName}/{affiliation}/group/{groupname}', () => {
    it('grants the affiliation to the group', async () => {
      const { roomName } = await fx.room();
      const { name: groupname } = await fx.group();
      const path = { roomName, affiliation: 'members', groupname };
      expect(await client.call('POST /chatrooms/{roomName}/{affiliation}/group/{groupname}', { path })).toBeUndefined();
      expect(await memberGroupsOf(roomName)).toEqual([groupname]);
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const { name: groupname } = await fx.group();
      const path = { roomName: fx.name('noroom'), affiliation: 'members', groupname };
      await rejects(
        client.call('POST /chatrooms/{roomName}/{affiliation}/group/{groupname}', { path }),
        missingRoom(path.roomName),
      );
    });
  });

  cases('DELETE /chatrooms/{roomName}/{affiliation}/{jid}', () => {
    it('removes the affiliation of the JID', async () => {
      const jid = someone();
      const { roomName } = await fx.room({ outcasts: [jid] });
      const path = { roomName, affiliation: 'outcasts', jid };
      expect(await client.call('DELETE /chatrooms/{roomName}/{affiliation}/{jid}', { path })).toBeUndefined();
      expect(await listOf(roomName, 'outcasts')).toEqual([]);
    });

    it('fails with CONFLICT NotAllowedException for a JID without that affiliation', async () => {
      const { roomName } = await fx.room();
      const jid = someone();
      await rejects(
        client.call('DELETE /chatrooms/{roomName}/{affiliation}/{jid}', {
          path: { roomName, affiliation: 'outcasts', jid },
        }),
        conflict('NotAllowedException', jid),
      );
    });
  });

  cases('DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}', () => {
    it('removes the affiliation of the group', async () => {
      const { name: groupname } = await fx.group();
      const { roomName } = await fx.room({ memberGroups: [groupname] });
      const path = { roomName, affiliation: 'members', groupname };
      expect(
        await client.call('DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}', { path }),
      ).toBeUndefined();
      expect(await memberGroupsOf(roomName)).toEqual([]);
    });

    it('fails with CONFLICT NotAllowedException for a group without that affiliation', async () => {
      const { roomName } = await fx.room();
      const { name: groupname } = await fx.group();
      const path = { roomName, affiliation: 'members', groupname };
      await rejects(
        client.call('DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}', { path }),
        conflict('NotAllowedException', groupname),
      );
    });
  });
}
