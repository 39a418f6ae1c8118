import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { keyMatcher } from '../../src/auth/identify.js';
import { SubscriptionLimitError } from '../../src/live/hub.js';
import { sessionEventsView, sessionsTopic } from '../../src/live/topics/sessions.js';
import { openSharedState } from '../../src/redis/connection.js';
import { sharedPermits } from '../../src/redis/permits.js';
import { fairShare } from '../../src/request/fair-share.js';
import { createUpstreamClient, type UpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';
import { eventually } from '../helpers/live-clients.js';
import { startRedis } from '../helpers/redis-server.js';

/**
 * A caller's limits held across two replicas (two apps in front of one emulator, each with its own Redis connection
 * and upstream pool) through a real redis-server: its share of Openfire's calls and its open subscriptions are
 * counted on both together, so spreading a flood over replicas gains it nothing; when Redis is away each replica's
 * own count applies, and once Redis is back the open subscriptions are counted again.
 */
const redis = await startRedis();
afterAll(() => redis.stop());
const emulator = useEmulator({ control: true });
const PER_CALLER = 4;
const SUBSCRIPTIONS = 2;
const API_KEY = 'flood-key';
const OTHER_KEY = 'other-key';

/** Calls in flight at Openfire from both replicas together, and the most seen at once. */
const inFlight = { now: 0, most: 0 };
const measured = (client: UpstreamClient): UpstreamClient => ({
  ...client,
  async call(route, args, options) {
    inFlight.most = Math.max(inFlight.most, ++inFlight.now);
    try {
      return await client.call(route, args, options);
    } finally {
      inFlight.now--;
    }
  },
});

async function replica() {
  const upstream = await emulator.ready;
  const state = openSharedState(redis.url);
  const calls = sharedPermits(state, { prefix: 'test:upstream:', leaseMs: 30_000 });
  const subscriptions = sharedPermits(state, { prefix: 'test:subscriptions:', leaseMs: 30_000, renewMs: 200 });
  const transport = createTransport({ origin: upstream.url });
  afterAll(async () => {
    subscriptions.close();
    await state.close();
    await transport.close();
  });
  const app = createApp({
    client: measured(
      createUpstreamClient({
        baseUrl: upstream.url,
        dispatcher: transport,
        credential: { kind: 'secret', secret: SECRET },
      }),
    ),
    auth: {
      kind: 'keys',
      match: keyMatcher(
        new Map([
          [API_KEY, 'admin'],
          [OTHER_KEY, 'admin'],
        ]),
      ),
    },
    upstreamUrl: upstream.url,
    concurrency: 32,
    share: fairShare({ capacity: 32, perCaller: PER_CALLER }, calls),
    listThreshold: 20,
    domain: 'example.org',
    live: { pollMs: 60_000, maxPerCaller: SUBSCRIPTIONS, permits: subscriptions },
  });
  return { app, state };
}
/** Open subscriptions of `key` as Redis counts them (a permit is given back without waiting for Redis). */
const probe = openSharedState(redis.url);
afterAll(() => probe.close());
const counted = (key: string) => probe.client.zCard(`test:subscriptions:${key}`);

const a = await replica();
const b = await replica();

type Replica = Awaited<ReturnType<typeof replica>>;

async function graphql(through: Replica, key: string, query: string): Promise<{ data?: unknown; errors?: unknown }> {
  const res = await through.app.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

const subscribe = (through: Replica, key: string) =>
  through.app.live.subscribe({
    topic: sessionsTopic,
    view: sessionEventsView(false),
    caller: { key, role: 'admin' },
    transport: 'sse',
  });

describe("a caller's limits across replicas", () => {
  it('holds one caller to its share of Openfire on both replicas together', async () => {
    await eventually(() => a.state.isReady() && b.state.isReady() && probe.isReady(), 'the connections');
    const upstream = await emulator.ready;
    // Slow enough that, unshared, each replica would fill its own share of the flood's calls at once.
    upstream.faults.add({ route: 'GET /chatservices', latencyMs: 20 });
    inFlight.most = 0;
    const flood = Array.from({ length: 24 }, (_, i) =>
      graphql(i % 2 === 0 ? a : b, API_KEY, '{ chatServices { serviceName } }'),
    );
    const replies = await Promise.all(flood);
    upstream.faults.clear();
    expect(replies.every((reply) => reply.errors === undefined)).toBe(true);
    expect(inFlight.most).toBe(PER_CALLER);
    // The permits were all given back: another flood of the same caller gets its whole share again.
    expect(await graphql(a, API_KEY, '{ chatServices { serviceName } }')).not.toHaveProperty('errors');
  });

  it('counts open subscriptions of one caller on both replicas together, and frees one when it ends', async () => {
    const first = await subscribe(a, API_KEY);
    const second = await subscribe(b, API_KEY);
    await expect(subscribe(a, API_KEY)).rejects.toBeInstanceOf(SubscriptionLimitError);
    await expect(subscribe(b, API_KEY)).rejects.toMatchObject({ setting: 'SUBSCRIPTION_MAX_PER_CALLER' });
    // Another caller has its own count.
    const other = await subscribe(b, OTHER_KEY);
    await other.return?.();
    await first.return?.();
    await eventually(async () => (await counted(API_KEY)) === 1, 'the permit to be given back');
    const third = await subscribe(b, API_KEY);
    await second.return?.();
    await third.return?.();
    await eventually(async () => (await counted(API_KEY)) === 0, 'the permits to be given back');
  });

  it('falls back to each replica’s own count while Redis is away, and counts open subscriptions again after', async () => {
    const before = await subscribe(a, API_KEY);
    await redis.stop();
    await eventually(() => !a.state.isReady() && !b.state.isReady(), 'the replicas to notice');
    // Each replica still holds the caller to its own limit, and no longer sees the other's.
    const onB = [await subscribe(b, API_KEY), await subscribe(b, API_KEY)];
    await expect(subscribe(b, API_KEY)).rejects.toBeInstanceOf(SubscriptionLimitError);
    expect(await graphql(a, API_KEY, '{ chatServices { serviceName } }')).not.toHaveProperty('errors');
    // Redis comes back empty; the renewals count the three still open, so the caller is over its limit on both.
    await redis.start();
    await eventually(() => a.state.isReady() && b.state.isReady(), 'the replicas to reconnect');
    await eventually(() => probe.isReady(), 'the probe to reconnect');
    await eventually(async () => (await counted(API_KEY)) === 3, 'the open subscriptions to be counted again');
    await expect(subscribe(a, API_KEY)).rejects.toBeInstanceOf(SubscriptionLimitError);
    for (const stream of [before, ...onB]) await stream.return?.();
    await eventually(async () => (await counted(API_KEY)) === 0, 'the permits to be given back');
    const again = await subscribe(a, API_KEY);
    await again.return?.();
  });
});
