import { expect, it } from 'vitest';
import { editRoom } from '../../helpers/emulator.js';
import { expectEach, notFound, nullable, rejects } from './assertions.js';
import { STAMP } from './fixtures.js';
import type { Contract } from './target.js';

/** openfire-rest-api.md §5.8 room occupants and history (which only live traffic fills) and invitations. */
export function occupantCases({ client, target, fx, cases }: Contract): void {
  const missingRoom = (name: string) => notFound('RoomNotFoundException', name);
  /** Who got an invitation with this reason; only the emulator records the stanzas. */
  const invitees = (reason: string) =>
    target.emulator
      ?.snapshot()
      .outbox.filter((o) => o.kind === 'invitation' && o.body === reason)
      .map((o) => o.to);
  /** A room with an owner and a member; on the emulator both sit in it and have talked. */
  async function busyRoom() {
    const [owner, member] = [target.jid(fx.name('owner')), target.jid(fx.name('member'))];
    const { roomName } = await fx.room({ owners: [owner], members: [member] });
    const roomJid = `${roomName}@conference.${target.domain}`;
    if (target.emulator) {
      editRoom(target.emulator, roomName, (record) => {
        record.occupants = [
          { nickname: 'Boss', userAddress: `${owner}/desk`, role: 'moderator' },
          { nickname: 'Pal', userAddress: `${member}/phone`, role: 'participant' },
        ];
        record.history = [
          { from: `${roomJid}/Pal`, to: roomJid, type: 'groupchat', body: 'Hello!', stamp: STAMP, delayFrom: member },
        ];
      });
    }
    return { roomName, roomJid, owner, member };
  }

  cases('GET /chatrooms/{roomName}/participants', () => {
    it('lists the occupants whose role is participant', async () => {
      const { roomName, roomJid } = await busyRoom();
      const participants = await client.call('GET /chatrooms/{roomName}/participants', { path: { roomName } });
      if (target.emulator)
        expect(participants).toEqual([{ jid: `${roomJid}/Pal`, role: 'participant', affiliation: 'member' }]);
      else expectEach(participants, { jid: expect.any(String), role: 'participant', affiliation: expect.any(String) });
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      await rejects(
        client.call('GET /chatrooms/{roomName}/participants', { path: { roomName } }),
        missingRoom(roomName),
      );
    });
  });

  cases('GET /chatrooms/{roomName}/occupants', () => {
    it('lists every occupant with room JID, real JID, role and affiliation', async () => {
      const { roomName, roomJid, owner, member } = await busyRoom();
      const occupants = await client.call('GET /chatrooms/{roomName}/occupants', { path: { roomName } });
      if (target.emulator) {
        expect(occupants).toEqual([
          { jid: `${roomJid}/Boss`, userAddress: `${owner}/desk`, role: 'moderator', affiliation: 'owner' },
          { jid: `${roomJid}/Pal`, userAddress: `${member}/phone`, role: 'participant', affiliation: 'member' },
        ]);
      } else {
        const any = expect.any(String);
        expectEach(occupants, { jid: any, userAddress: nullable(String), role: any, affiliation: any });
      }
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      await rejects(client.call('GET /chatrooms/{roomName}/occupants', { path: { roomName } }), missingRoom(roomName));
    });
  });

  cases('GET /chatrooms/{roomName}/chathistory', () => {
    it('lists the messages with their delay stamp', async () => {
      const { roomName, roomJid, member } = await busyRoom();
      const history = await client.call('GET /chatrooms/{roomName}/chathistory', { path: { roomName } });
      if (target.emulator) {
        expect(history).toEqual([
          {
            to: roomJid,
            from: `${roomJid}/Pal`,
            type: 'groupchat',
            body: 'Hello!',
            delayStamp: STAMP,
            delayFrom: member,
          },
        ]);
      } else {
        const text = nullable(String);
        expectEach(history, {
          to: text,
          from: text,
          type: text,
          body: text,
          delayStamp: nullable(Number),
          delayFrom: text,
        });
      }
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      await rejects(
        client.call('GET /chatrooms/{roomName}/chathistory', { path: { roomName } }),
        missingRoom(roomName),
      );
    });
  });

  cases('POST /chatrooms/{roomName}/invite/{jid}', () => {
    it('invites the JID with the reason', async () => {
      const { roomName } = await fx.room();
      const jid = target.jid((await fx.user()).username);
      const body = { reason: 'Join us' };
      expect(
        await client.call('POST /chatrooms/{roomName}/invite/{jid}', { path: { roomName, jid }, body }),
      ).toBeUndefined();
      if (target.emulator) expect(invitees('Join us')).toEqual([jid]);
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      const jid = target.jid(fx.name('guest'));
      await rejects(
        client.call('POST /chatrooms/{roomName}/invite/{jid}', { path: { roomName, jid }, body: {} }),
        missingRoom(roomName),
      );
    });
  });

  cases('POST /chatrooms/{roomName}/invite', () => {
    it('invites every listed JID with the reason', async () => {
      const { roomName } = await fx.room();
      const jidsToInvite = [target.jid((await fx.user()).username), target.jid((await fx.user()).username)];
      const body = { reason: 'Meeting', jidsToInvite };
      expect(await client.call('POST /chatrooms/{roomName}/invite', { path: { roomName }, body })).toBeUndefined();
      if (target.emulator) expect(invitees('Meeting')).toEqual(jidsToInvite);
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      await rejects(
        client.call('POST /chatrooms/{roomName}/invite', { path: { roomName }, body: { jidsToInvite: [] } }),
        missingRoom(roomName),
      );
    });
  });
}
