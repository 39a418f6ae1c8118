import { describe, expect, it } from 'vitest';
import { call, SECRET } from '../helpers/emulator.js';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * `roomOccupants` as administrators see it: who is in the room, then joins, changes and leaves as polls of
 * `GET /chatrooms/{room}/occupants` find them; the stream completes when the room is destroyed. End users:
 * end-users.test.ts.
 */
const gw = await startLiveGateway();

const OCCUPANTS = `subscription ($room: String!) {
  roomOccupants(room: $room) { kind occupant { nickname role affiliation jid } }
}`;
const event = (result: LiveResult) => dataOf(result).roomOccupants;

/** Calls the emulator's REST API with the shared secret. */
const api = (method: string, path: string) => call(gw.emulator.url, method, path, { auth: SECRET });

describe.each([
  ['SSE', (room: string) => gw.sse(OCCUPANTS, { variables: { room } })],
  ['WebSocket', async (room: string) => gw.ws(OCCUPANTS, { variables: { room } })],
  ['GraphQL over SSE', async (room: string) => gw.graphqlSse(OCCUPANTS, { variables: { room } })],
])('roomOccupants over %s', (_name, subscribe) => {
  it('starts with the occupants, then follows joins, affiliation changes and leaves', async () => {
    const feed = await subscribe('Lobby');
    expect((await feed.take(3)).map(event)).toEqual([
      {
        kind: 'JOINED',
        occupant: { nickname: 'jane', role: 'moderator', affiliation: 'admin', jid: 'jane@example.org/laptop' },
      },
      {
        kind: 'JOINED',
        occupant: { nickname: 'John', role: 'participant', affiliation: 'member', jid: 'john@example.org/phone' },
      },
      {
        kind: 'JOINED',
        occupant: { nickname: 'alice', role: 'visitor', affiliation: 'member', jid: 'alice@example.org/web' },
      },
    ]);
    await gw.subscribed(1);

    await gw.control.join({ room: 'lobby', jid: 'bob@example.org/tablet', nickname: 'Bob' });
    await gw.poll();
    expect(event(await feed.next())).toEqual({
      kind: 'JOINED',
      // bob is a member through the support group.
      occupant: { nickname: 'Bob', role: 'participant', affiliation: 'member', jid: 'bob@example.org/tablet' },
    });

    expect((await api('POST', '/chatrooms/lobby/admins/bob@example.org')).status).toBe(201);
    await gw.poll();
    expect(event(await feed.next())).toMatchObject({
      kind: 'CHANGED',
      occupant: { nickname: 'Bob', affiliation: 'admin', jid: 'bob@example.org/tablet' },
    });

    await gw.control.leave({ room: 'lobby', nickname: 'bob' });
    await gw.poll();
    expect(event(await feed.next())).toMatchObject({ kind: 'LEFT', occupant: { nickname: 'Bob' } });
    expect(feed.ending).toBeNull();
  });

  it('completes when the room is destroyed', async () => {
    const feed = await subscribe('lobby');
    await feed.take(3);
    await gw.subscribed(1);
    expect((await api('DELETE', '/chatrooms/lobby')).status).toBe(200);
    await gw.poll();
    expect(await feed.done()).toEqual({ kind: 'complete' });
    expect(feed.unread).toBe(0);
    await gw.subscribed(0);
    expect(gw.app.live.size.pollers).toBe(0);
  });
});

describe('roomOccupants', () => {
  it('ends the occupants of a logged-out session with it', async () => {
    const feed = await gw.sse(OCCUPANTS, { variables: { room: 'lobby' } });
    await feed.take(3);
    await gw.subscribed(1);
    await gw.control.logout('john@example.org/phone');
    await gw.poll();
    expect(event(await feed.next())).toMatchObject({ kind: 'LEFT', occupant: { nickname: 'John' } });
  });

  it('polls each room apart, once per interval however many watch it', async () => {
    const lobby = [
      await gw.sse(OCCUPANTS, { variables: { room: 'lobby' } }),
      await gw.sse(OCCUPANTS, { variables: { room: 'lobby' } }),
    ];
    const dev = await gw.sse(OCCUPANTS, { variables: { room: 'dev' } });
    for (const feed of lobby) await feed.take(3);
    await gw.subscribed(3);
    expect(gw.app.live.size.pollers).toBe(2);
    gw.emulator.stats.reset();
    await gw.control.join({ room: 'dev', jid: 'jane@example.org/laptop', nickname: 'jane' });
    await gw.poll();
    expect(event(await dev.next())).toMatchObject({
      kind: 'JOINED',
      occupant: { nickname: 'jane', affiliation: 'owner' },
    });
    expect(gw.calls('GET /chatrooms/{roomName}/occupants')).toBe(2);
  });

  it('refuses a room that does not exist with NOT_FOUND', async () => {
    const feed = await gw.sse(OCCUPANTS, { variables: { room: 'nowhere' } });
    const [result] = await feed.take(1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await feed.done()).toEqual({ kind: 'complete' });
    expect(gw.app.live.size).toEqual({ subscriptions: 0, pollers: 0 });
  });
});
