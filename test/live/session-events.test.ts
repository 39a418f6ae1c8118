import { describe, expect, it } from 'vitest';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * `sessionEvents` over each transport: the sessions open when it begins (with `current`), then logins, presence
 * changes and logouts of simulated clients as the next poll finds them.
 */
const gw = await startLiveGateway();

const EVENTS = `subscription ($current: Boolean) {
  sessionEvents(current: $current) { kind session { sessionId username resource presenceStatus presenceMessage priority node } }
}`;

const event = (result: LiveResult) => {
  const { kind, session } = dataOf(result).sessionEvents;
  return { kind, sessionId: session.sessionId, presenceStatus: session.presenceStatus };
};

describe.each([
  ['SSE', (current: boolean) => gw.sse(EVENTS, { variables: { current } })],
  ['WebSocket', async (current: boolean) => gw.ws(EVENTS, { variables: { current } })],
  ['GraphQL over SSE', async (current: boolean) => gw.graphqlSse(EVENTS, { variables: { current } })],
])('sessionEvents over %s', (_name, subscribe) => {
  it('starts with the open sessions, then follows logins, presence changes and logouts', async () => {
    const feed = await subscribe(true);
    const initial = (await feed.take(2)).map(event);
    expect(initial).toEqual([
      { kind: 'STARTED', sessionId: 'jane@example.org/laptop', presenceStatus: 'Online' },
      { kind: 'STARTED', sessionId: 'john@example.org/phone', presenceStatus: 'Away' },
    ]);
    await gw.subscribed(1);

    const bob = await gw.control.login('bob', { resource: 'tablet', presenceStatus: 'Do Not Disturb' });
    await gw.poll();
    expect(event(await feed.next())).toEqual({ kind: 'STARTED', sessionId: bob, presenceStatus: 'Do Not Disturb' });

    await gw.control.setPresence(bob, { presenceStatus: 'Away', presenceMessage: 'Lunch' });
    await gw.poll();
    const changed = await feed.next();
    expect(dataOf(changed).sessionEvents).toMatchObject({
      kind: 'CHANGED',
      session: {
        sessionId: bob,
        username: 'bob',
        resource: 'tablet',
        presenceStatus: 'Away',
        presenceMessage: 'Lunch',
      },
    });

    await gw.control.logout(bob);
    await gw.poll();
    expect(event(await feed.next())).toEqual({ kind: 'ENDED', sessionId: bob, presenceStatus: 'Away' });
    expect(feed.ending).toBeNull();
  });

  it('without current, starts silent and shows only what changes', async () => {
    const feed = await subscribe(false);
    await gw.subscribed(1);
    await gw.control.logout('john@example.org/phone');
    await gw.poll();
    expect(event(await feed.next())).toEqual({
      kind: 'ENDED',
      sessionId: 'john@example.org/phone',
      presenceStatus: 'Away',
    });
    expect(feed.all).toHaveLength(1);
  });
});

describe('sessionEvents', () => {
  it('does not count a mere lastActionDate change as a change', async () => {
    const feed = await gw.sse(EVENTS, { variables: { current: false } });
    await gw.subscribed(1);
    // The same presence again: the emulator moves lastActionDate only.
    await gw.control.setPresence('jane@example.org/laptop', { presenceStatus: 'Online' });
    await gw.poll();
    const alice = await gw.control.login('alice');
    await gw.poll();
    // The next event is alice's login: nothing came of jane's touch.
    expect(event(await feed.next())).toEqual({ kind: 'STARTED', sessionId: alice, presenceStatus: 'Online' });
  });

  it('gives a subscriber joining a running poller the current state at once, without another poll', async () => {
    const first = await gw.sse(EVENTS, { variables: { current: true } });
    await first.take(2);
    await gw.subscribed(1);
    const calls = gw.calls('GET /sessions');
    const second = await gw.sse(EVENTS, { variables: { current: true } });
    expect((await second.take(2)).map((r) => event(r).sessionId)).toEqual([
      'jane@example.org/laptop',
      'john@example.org/phone',
    ]);
    expect(gw.calls('GET /sessions')).toBe(calls);
    expect(gw.app.live.size).toEqual({ subscriptions: 2, pollers: 1 });
  });
});
