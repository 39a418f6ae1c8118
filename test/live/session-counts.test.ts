import { describe, expect, it } from 'vitest';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/** `sessionCounts`: Openfire's session statistics now, then whenever they change, polled once for all. */
const gw = await startLiveGateway();

const COUNTS = 'subscription { sessionCounts { local cluster } }';
const counts = (result: LiveResult) => dataOf(result).sessionCounts;

describe.each([
  ['SSE', () => gw.sse(COUNTS)],
  ['WebSocket', async () => gw.ws(COUNTS)],
  ['GraphQL over SSE', async () => gw.graphqlSse(COUNTS)],
])('sessionCounts over %s', (_name, subscribe) => {
  it('starts with the counts, then sends them when they change and only then', async () => {
    const feed = await subscribe();
    expect(counts(await feed.next())).toEqual({ local: 2, cluster: 2 });
    await gw.subscribed(1);

    const bob = await gw.control.login('bob');
    await gw.poll();
    expect(counts(await feed.next())).toEqual({ local: 3, cluster: 3 });

    // A presence change leaves the counts alone: the next event is the logout's.
    await gw.control.setPresence(bob, { presenceStatus: 'Away' });
    await gw.poll();
    await gw.control.logout(bob);
    await gw.control.logout('john@example.org/phone');
    await gw.poll();
    expect(counts(await feed.next())).toEqual({ local: 1, cluster: 1 });
    expect(feed.unread).toBe(0);
    expect(gw.calls('GET /system/statistics/sessions')).toBe(4);
  });
});
