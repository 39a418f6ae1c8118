import { describe, expect, it } from 'vitest';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * `presence` as administrators see it (passthrough with the emulator's secret): the watched users' presence first,
 * then each change, computed from the same `GET /sessions` poll as session events. End users: end-users.test.ts.
 */
const gw = await startLiveGateway();

const PRESENCE = `subscription ($usernames: [String!]) {
  presence(usernames: $usernames) { username online presenceStatus presenceMessage }
}`;

const presence = (result: LiveResult) => dataOf(result).presence;

describe.each([
  ['SSE', (usernames?: string[]) => gw.sse(PRESENCE, { variables: { usernames } })],
  ['WebSocket', async (usernames?: string[]) => gw.ws(PRESENCE, { variables: { usernames } })],
  ['GraphQL over SSE', async (usernames?: string[]) => gw.graphqlSse(PRESENCE, { variables: { usernames } })],
])('presence over %s', (_name, subscribe) => {
  it('starts with the watched users, then follows their logins, changes and logouts only', async () => {
    const feed = await subscribe(['jane', 'bob']);
    expect((await feed.take(2)).map(presence)).toEqual([
      { username: 'jane', online: true, presenceStatus: 'Online', presenceMessage: 'At my desk' },
      { username: 'bob', online: false, presenceStatus: null, presenceMessage: null },
    ]);
    await gw.subscribed(1);

    // alice is not watched: her login is no event; bob's is.
    await gw.control.login('alice');
    await gw.poll();
    const bob = await gw.control.login('bob', { presenceStatus: 'Away', presenceMessage: 'Coffee' });
    await gw.poll();
    expect(presence(await feed.next())).toEqual({
      username: 'bob',
      online: true,
      presenceStatus: 'Away',
      presenceMessage: 'Coffee',
    });

    await gw.control.setPresence(bob, { presenceStatus: 'Online', presenceMessage: null });
    await gw.poll();
    expect(presence(await feed.next())).toEqual({
      username: 'bob',
      online: true,
      presenceStatus: 'Online',
      presenceMessage: null,
    });

    await gw.control.logout('jane@example.org/laptop');
    await gw.poll();
    expect(presence(await feed.next())).toEqual({
      username: 'jane',
      online: false,
      presenceStatus: null,
      presenceMessage: null,
    });
    expect(feed.unread).toBe(0);
  });
});

describe('presence', () => {
  it('without usernames starts with everyone online', async () => {
    const feed = await gw.sse(PRESENCE);
    expect((await feed.take(2)).map((r) => presence(r).username).sort()).toEqual(['jane', 'john']);
  });

  it("is the user's highest-priority session: a second session of lower priority changes nothing", async () => {
    const feed = await gw.sse(PRESENCE, { variables: { usernames: ['jane'] } });
    await feed.next();
    await gw.subscribed(1);
    // jane/laptop has priority 5.
    const phone = await gw.control.login('jane', { resource: 'phone', presenceStatus: 'Away', priority: 1 });
    await gw.poll();
    await gw.control.setPresence(phone, { priority: 10 });
    await gw.poll();
    // Only now does the phone's presence win.
    expect(presence(await feed.next())).toEqual({
      username: 'jane',
      online: true,
      presenceStatus: 'Away',
      presenceMessage: null,
    });
    await gw.control.logout(phone);
    await gw.poll();
    expect(presence(await feed.next())).toMatchObject({ username: 'jane', presenceStatus: 'Online' });
  });

  it('shares one poll of GET /sessions with session events', async () => {
    const users = await gw.sse(PRESENCE, { variables: { usernames: ['bob'] } });
    const sessions = await gw.sse('subscription { sessionEvents { kind session { username } } }');
    await users.next();
    await gw.subscribed(2);
    expect(gw.app.live.size.pollers).toBe(1);
    gw.emulator.stats.reset();
    await gw.control.login('bob');
    await gw.poll();
    expect(presence(await users.next())).toMatchObject({ username: 'bob', online: true });
    expect(dataOf(await sessions.next()).sessionEvents).toEqual({ kind: 'STARTED', session: { username: 'bob' } });
    expect(gw.calls('GET /sessions')).toBe(1);
  });
});
