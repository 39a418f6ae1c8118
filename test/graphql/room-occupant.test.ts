import { describe, expect, it } from 'vitest';
import { generatedSeed } from '../../src/emulator/seeds/generated.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { editRoom, settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });
const big = useGateway({ seed: generatedSeed(settings, { users: 240, groups: 0, members: 0, rooms: 30 }) });
const outbox = async () => (await g.ready).snapshot().outbox.map(({ kind, to, body }) => ({ kind, to, body }));

describe('room occupants and history', () => {
  it('lists occupants with nicknames and local users, and the participants among them', async () => {
    const res = await g.gql(`{ chatRoom(name: "lobby") {
      occupants { jid nickname role affiliation userAddress user { username } }
      participants { jid nickname role affiliation }
    } }`);
    expect(res.body.data.chatRoom).toEqual({
      occupants: [
        {
          jid: 'lobby@conference.example.org/jane',
          nickname: 'jane',
          role: 'moderator',
          affiliation: 'admin',
          userAddress: 'jane@example.org/laptop',
          user: { username: 'jane' },
        },
        {
          jid: 'lobby@conference.example.org/John',
          nickname: 'John',
          role: 'participant',
          affiliation: 'member',
          userAddress: 'john@example.org/phone',
          user: { username: 'john' },
        },
        {
          jid: 'lobby@conference.example.org/alice',
          nickname: 'alice',
          role: 'visitor',
          affiliation: 'member',
          userAddress: 'alice@example.org/web',
          user: { username: 'alice' },
        },
      ],
      participants: [
        { jid: 'lobby@conference.example.org/John', nickname: 'John', role: 'participant', affiliation: 'member' },
      ],
    });
  });

  it('gives no user for an occupant from another server', async () => {
    editRoom(await g.ready, 'lobby', (room) => {
      room.occupants = [{ nickname: 'guest', userAddress: 'guest@remote.example/x', role: 'participant' }];
    });
    const res = await g.gql('{ chatRoom(name: "lobby") { occupants { nickname user { username } } } }');
    expect(res.body.data.chatRoom.occupants).toEqual([{ nickname: 'guest', user: null }]);
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /chatrooms/{roomName}': 1,
      'GET /chatrooms/{roomName}/occupants': 1,
    });
  });

  it('gives the room history, or only its newest messages', async () => {
    const res = await g.gql(`{ chatRoom(name: "lobby") {
      all: history { from nickname to type body delayStamp delayFrom }
      last: history(last: 1) { body }
      none: history(last: 0) { body }
    } }`);
    expect(res.body.data.chatRoom).toEqual({
      all: [
        {
          from: 'lobby@conference.example.org/jane',
          nickname: 'jane',
          to: 'lobby@conference.example.org',
          type: 'groupchat',
          body: 'Good morning!',
          delayStamp: '2026-01-01T09:30:00.000Z',
          delayFrom: 'lobby@conference.example.org',
        },
        {
          from: 'lobby@conference.example.org/John',
          nickname: 'John',
          to: 'lobby@conference.example.org',
          type: 'groupchat',
          body: 'Morning, Jane.',
          delayStamp: '2026-01-01T09:31:00.000Z',
          delayFrom: 'lobby@conference.example.org',
        },
      ],
      last: [{ body: 'Morning, Jane.' }],
      none: [],
    });
    // Three history fields, one upstream history call.
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /chatrooms/{roomName}': 1,
      'GET /chatrooms/{roomName}/chathistory': 1,
    });
  });

  it('rejects a negative history length', async () => {
    const res = await g.gql('{ chatRoom(name: "lobby") { history(last: -1) { body } } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('room dashboard', () => {
  const dashboard = `{ chatRooms(type: ALL) { nodes {
    roomName owners { jid user { name } } occupants { nickname role } history(last: 1) { nickname body }
  } } }`;

  it('shows every showcase room with owners’ names, occupants and the last message in 7 upstream calls', async () => {
    const res = await g.gql(dashboard);
    expect(res.body.data.chatRooms.nodes).toEqual([
      {
        roomName: 'dev',
        owners: [{ jid: 'jane@example.org', user: { name: 'Jane Doe' } }],
        occupants: [],
        history: [],
      },
      {
        roomName: 'lobby',
        owners: [{ jid: 'admin@example.org', user: { name: 'Administrator' } }],
        occupants: [
          { nickname: 'jane', role: 'moderator' },
          { nickname: 'John', role: 'participant' },
          { nickname: 'alice', role: 'visitor' },
        ],
        history: [{ nickname: 'John', body: 'Morning, Jane.' }],
      },
    ]);
    // 1 room list + 2 occupant lists + 2 histories (no REST route gives either for several rooms) + 2 distinct
    // owners, looked up one by one because 2 is under the list threshold (20); the domain is configured.
    expect(await g.upstreamCalls()).toEqual({
      total: 7,
      routes: {
        'GET /chatrooms': 1,
        'GET /chatrooms/{roomName}/occupants': 2,
        'GET /chatrooms/{roomName}/chathistory': 2,
        'GET /users/{username}': 2,
      },
    });
  });

  it('looks up the owners of 30 rooms with one user list call', async () => {
    const res = await big.gql(dashboard);
    expect(res.body.data.chatRooms.nodes).toHaveLength(30);
    expect(res.body.data.chatRooms.nodes[0]).toMatchObject({
      roomName: 'room0001',
      owners: [{ user: { name: 'User 00001' } }],
      history: [{ body: 'Message 5 in room 1' }],
    });
    // 1 + 30 + 30 + 1: the 30 distinct owners are one batch, over the threshold, so one `GET /users`.
    expect(await big.upstreamCalls()).toEqual({
      total: 62,
      routes: {
        'GET /chatrooms': 1,
        'GET /chatrooms/{roomName}/occupants': 30,
        'GET /chatrooms/{roomName}/chathistory': 30,
        'GET /users': 1,
      },
    });
  });
});

describe('room invitations', () => {
  it('invites a user by username with a reason', async () => {
    const res = await g.gql('mutation { inviteToChatRoom(name: "lobby", jid: "bob", reason: "Join us") }');
    expect(res.body).toEqual({ data: { inviteToChatRoom: true } });
    expect(await outbox()).toEqual([{ kind: 'invitation', to: 'bob@example.org', body: 'Join us' }]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'POST /chatrooms/{roomName}/invite/{jid}': 1 });
  });

  it('invites several JIDs at once, a group standing for its members', async () => {
    const res = await g.gql(
      'mutation { inviteManyToChatRoom(name: "lobby", jids: ["support", "admin@example.org"], reason: "Meeting") }',
    );
    expect(res.body).toEqual({ data: { inviteManyToChatRoom: true } });
    expect(await outbox()).toEqual([
      { kind: 'invitation', to: 'bob@example.org', body: 'Meeting' },
      { kind: 'invitation', to: 'john@example.org', body: 'Meeting' },
      { kind: 'invitation', to: 'admin@example.org', body: 'Meeting' },
    ]);
  });

  it('reports an invitation to an absent room as NOT_FOUND', async () => {
    const res = await g.gql('mutation { inviteToChatRoom(name: "ghost", jid: "bob") }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'RoomNotFoundException' });
    expect(await outbox()).toEqual([]);
  });

  it('rejects an empty invitation list before calling Openfire', async () => {
    const res = await g.gql('mutation { inviteManyToChatRoom(name: "lobby", jids: []) }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
