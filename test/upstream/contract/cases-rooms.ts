import { expect, it } from 'vitest';
import type { ChatRoom } from '../../../src/upstream/model.js';
import { badRequest, conflict, expectEach, notFound, nullable, rejects } from './assertions.js';
import { ROOM, roomModel } from './fixtures.js';
import type { Contract } from './target.js';

const byRoomName = (a: ChatRoom, b: ChatRoom): number => (a.roomName < b.roomName ? -1 : 1);

/** openfire-rest-api.md §5.7 chat services and §5.8 room CRUD. */
export function roomCases({ client, target, fx, cases }: Contract): void {
  const roomOf = (roomName: string) => client.call('GET /chatrooms/{roomName}', { path: { roomName } });
  const missingRoom = (name: string) => notFound('RoomNotFoundException', name);
  /** A JID listed under two affiliations, which Openfire refuses (openfire-rest-api.md §7.8 step 2). */
  const twiceAffiliated = () => {
    const jid = target.jid(fx.name('twice'));
    return { owners: [jid], members: [jid] };
  };

  cases('GET /chatservices', () => {
    it('lists the services, the default conference service among them', async () => {
      const services = await client.call('GET /chatservices', {});
      expect(services.map((s) => s.serviceName)).toContain('conference');
      expectEach(services, {
        serviceName: expect.any(String),
        description: nullable(String),
        hidden: expect.any(Boolean),
      });
    });
  });

  cases('POST /chatservices', () => {
    // The API cannot delete a service: on a real server every run leaves this one behind.
    it('creates a service that is listed afterwards', async () => {
      const body = { serviceName: fx.name('svc'), description: 'Contract service', hidden: true };
      expect(await client.call('POST /chatservices', { body })).toBeUndefined();
      expect(await client.call('GET /chatservices', {})).toContainEqual(body);
    });

    it('fails with CONFLICT AlreadyExistsException for an existing service', async () => {
      const body = { serviceName: 'conference', description: null, hidden: false };
      await rejects(client.call('POST /chatservices', { body }), conflict('AlreadyExistsException', 'conference'));
    });
  });

  cases('GET /chatrooms', () => {
    it('lists the rooms matching the search, private ones only for type all', async () => {
      const prefix = fx.name('rooms');
      const open = await fx.room({ roomName: `${prefix}-open` });
      const closed = await fx.room({ roomName: `${prefix}-closed`, publicRoom: false });
      expect(await client.call('GET /chatrooms', { query: { search: prefix } })).toEqual([open]);
      const all = await client.call('GET /chatrooms', { query: { search: prefix, type: 'all' } });
      expect([...all].sort(byRoomName)).toEqual([closed, open]);
    });

    it('fails with NOT_FOUND MUCServiceNotFoundException for an unknown service', async () => {
      const servicename = fx.name('nosvc');
      await rejects(
        client.call('GET /chatrooms', { query: { servicename } }),
        notFound('MUCServiceNotFoundException', servicename),
      );
    });
  });

  cases('POST /chatrooms', () => {
    it('creates a room that reads back with every field', async () => {
      const settings = { password: 'letmein', subject: 'Introductions', moderated: true, allowPM: 'participants' };
      const body = { ...ROOM, ...settings, roomName: fx.fresh('room'), members: [target.jid(fx.name('member'))] };
      expect(await client.call('POST /chatrooms', { body })).toBeUndefined();
      expect(await roomOf(body.roomName)).toEqual(roomModel(body, target.domain));
    });

    it('fails with CONFLICT NotAllowedException when a JID holds two affiliations', async () => {
      const body = { ...ROOM, roomName: fx.fresh('room'), ...twiceAffiliated() };
      await rejects(client.call('POST /chatrooms', { body }), conflict('NotAllowedException'));
    });
  });

  cases('POST /chatrooms/bulk', () => {
    it('creates every room it can and reports each result', async () => {
      const [first, second, refused] = [fx.fresh('room'), fx.fresh('room'), fx.fresh('room')];
      const body = [
        { ...ROOM, roomName: first },
        { ...ROOM, roomName: second },
        { ...ROOM, roomName: refused, ...twiceAffiliated() },
      ];
      const created = (roomName: string) => ({
        roomName,
        resultType: 'Success',
        message: 'Room was successfully created',
      });
      expect(await client.call('POST /chatrooms/bulk', { body })).toEqual({
        success: [created(first), created(second)],
        failure: [
          {
            roomName: refused,
            resultType: 'Failure',
            message: expect.stringContaining('Room creation failed due to '),
          },
        ],
        other: [],
      });
      expect(await roomOf(second)).toEqual(roomModel({ ...ROOM, roomName: second }, target.domain));
    });

    it('fails with BAD_REQUEST for a room name that is not a valid JID node', async () => {
      await rejects(client.call('POST /chatrooms/bulk', { body: [{ roomName: 'not valid' }] }), badRequest(null));
    });
  });

  cases('GET /chatrooms/{roomName}', () => {
    it('returns the room as the canonical model', async () => {
      const room = await fx.room();
      expect(await roomOf(room.roomName)).toEqual(room);
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const name = fx.name('noroom');
      await rejects(roomOf(name), missingRoom(name));
    });
  });

  cases('PUT /chatrooms/{roomName}', () => {
    it('overwrites the whole configuration, which reads back', async () => {
      const { roomName } = await fx.room();
      const { creationDate } = ROOM;
      const body = {
        roomName,
        naturalName: 'Quiet room',
        persistent: true,
        maxUsers: 5,
        membersOnly: true,
        creationDate,
      };
      expect(await client.call('PUT /chatrooms/{roomName}', { path: { roomName }, body })).toBeUndefined();
      expect(await roomOf(roomName)).toEqual({
        ...roomModel(body, target.domain),
        modificationDate: expect.any(Number),
      });
    });

    it('fails with BAD_REQUEST IllegalArgumentException when the body names another room', async () => {
      const { roomName } = await fx.room();
      const body = { ...ROOM, roomName: fx.name('other') };
      await rejects(
        client.call('PUT /chatrooms/{roomName}', { path: { roomName }, body }),
        badRequest('IllegalArgumentException', roomName),
      );
    });
  });

  cases('DELETE /chatrooms/{roomName}', () => {
    it('destroys the room, which then is not found', async () => {
      const { roomName } = await fx.room();
      expect(await client.call('DELETE /chatrooms/{roomName}', { path: { roomName } })).toBeUndefined();
      await rejects(roomOf(roomName), missingRoom(roomName));
    });

    it('fails with NOT_FOUND RoomNotFoundException for an unknown room', async () => {
      const roomName = fx.name('noroom');
      await rejects(client.call('DELETE /chatrooms/{roomName}', { path: { roomName } }), missingRoom(roomName));
    });
  });
}
