import { expect, it } from 'vitest';
import { dataOf } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/** However many subscribe with one credential, a topic costs one upstream call per poll interval. */
const gw = await startLiveGateway({ live: { maxPerCaller: 100 } });

it('polls GET /sessions once per interval for 50 SSE and 20 WebSocket subscribers', async () => {
  const sse = await Promise.all(
    Array.from({ length: 50 }, () => gw.sse('subscription { sessionEvents { kind session { username } } }')),
  );
  const ws = Array.from({ length: 20 }, () =>
    gw.ws('subscription { presence(usernames: ["bob"]) { username online } }'),
  );
  for (const feed of ws) expect(dataOf(await feed.next()).presence).toEqual({ username: 'bob', online: false });
  await gw.subscribed(70);
  expect(gw.app.live.size).toEqual({ subscriptions: 70, pollers: 1 });
  // The first subscriber's poll, and none since.
  expect(gw.calls('GET /sessions')).toBe(1);

  gw.emulator.stats.reset();
  await gw.control.login('bob');
  await gw.poll();
  for (const feed of sse) {
    expect(dataOf(await feed.next()).sessionEvents).toEqual({ kind: 'STARTED', session: { username: 'bob' } });
  }
  for (const feed of ws) expect(dataOf(await feed.next()).presence).toEqual({ username: 'bob', online: true });
  expect(gw.calls('GET /sessions')).toBe(1);

  await gw.poll(5);
  expect(gw.calls('GET /sessions')).toBe(6);
  expect(gw.emulator.stats.toJSON().total).toBe(6);
  for (const feed of [...sse, ...ws]) expect(feed.unread).toBe(0);
});
