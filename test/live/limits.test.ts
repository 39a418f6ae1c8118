import { describe, expect, it } from 'vitest';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * SUBSCRIPTION_MAX_PER_CALLER and SUBSCRIPTION_MAX: a subscription past either is refused before anything is polled,
 * with `SUBSCRIPTION_LIMIT` and the setting that decided; ending one makes room again. Callers are API keys here.
 */
const gw = await startLiveGateway({
  live: { maxPerCaller: 2, max: 3 },
  apiKeys: new Map([
    ['key-a', 'admin'],
    ['key-b', 'admin'],
    ['key-c', 'read'],
  ]),
});
const A = 'Bearer key-a';
const B = 'Bearer key-b';
const C = 'Bearer key-c';
const COUNTS = 'subscription { sessionCounts { local } }';

const refusal = (result: LiveResult | undefined) => ({
  data: result?.data ?? null,
  extensions: result?.errors?.[0]?.extensions,
});

describe('SUBSCRIPTION_MAX_PER_CALLER', () => {
  it('refuses a caller’s third subscription over SSE, and accepts another caller’s', async () => {
    const open = [await gw.sse(COUNTS, { authorization: A }), gw.ws(COUNTS, { authorization: A })];
    for (const feed of open) await feed.next();
    await gw.subscribed(2);

    const third = await gw.sse(COUNTS, { authorization: A });
    expect(third.response.status).toBe(200);
    expect(third.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const [result] = await third.take(1);
    expect(refusal(result)).toEqual({
      data: null,
      extensions: { code: 'SUBSCRIPTION_LIMIT', setting: 'SUBSCRIPTION_MAX_PER_CALLER' },
    });
    expect(result?.errors?.[0]?.message).toMatch(/SUBSCRIPTION_MAX_PER_CALLER/);
    expect(await third.done()).toEqual({ kind: 'complete' });

    const other = gw.ws(COUNTS, { authorization: B });
    expect(dataOf(await other.next()).sessionCounts).toEqual({ local: 2 });
    await gw.subscribed(3);
  });

  it('refuses over WebSocket too, and makes room again once one ends', async () => {
    const client = gw.wsClient({ authorization: A });
    const first = gw.ws(COUNTS, { client });
    const second = gw.ws(COUNTS, { client });
    await gw.subscribed(2);
    const third = gw.ws(COUNTS, { client });
    expect(refusal(await third.next()).extensions).toEqual({
      code: 'SUBSCRIPTION_LIMIT',
      setting: 'SUBSCRIPTION_MAX_PER_CALLER',
    });
    expect(await third.done()).toEqual({ kind: 'complete' });
    // The refusal left the caller's other subscriptions alone.
    expect(first.ending).toBeNull();
    await second.close();
    await gw.subscribed(1);
    const again = gw.ws(COUNTS, { client });
    expect(dataOf(await again.next()).sessionCounts).toEqual({ local: 2 });
  });
});

describe('SUBSCRIPTION_MAX', () => {
  it('refuses any caller once the gateway serves that many', async () => {
    const open = [
      gw.ws(COUNTS, { authorization: A }),
      gw.ws(COUNTS, { authorization: B }),
      await gw.sse(COUNTS, { authorization: C }),
    ];
    for (const feed of open) await feed.next();
    await gw.subscribed(3);
    gw.emulator.stats.reset();
    const refused = [
      await gw.sse(COUNTS, { authorization: C }),
      gw.ws(COUNTS, { authorization: B }),
      gw.graphqlSse(COUNTS, { authorization: A }),
    ];
    for (const feed of refused) {
      expect(refusal(await feed.next()).extensions).toEqual({
        code: 'SUBSCRIPTION_LIMIT',
        setting: 'SUBSCRIPTION_MAX',
      });
    }
    expect(gw.emulator.stats.toJSON().total).toBe(0);
    expect(gw.app.live.size.subscriptions).toBe(3);
  });
});
