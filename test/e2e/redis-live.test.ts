import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { openSharedState, type SharedState } from '../../src/redis/connection.js';
import { sharedPolling } from '../../src/redis/polling.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';
import { eventually } from '../helpers/live-clients.js';
import { ManualScheduler } from '../helpers/manual-scheduler.js';
import { startRedis } from '../helpers/redis-server.js';

/**
 * Subscribers spread over three replicas (three apps in front of one emulator, each with its own Redis connections
 * and scheduler) cost one `GET /sessions` per interval: one replica holds the lease and polls, the others receive
 * its snapshots through Redis. When the holder dies, another takes over once the lease (two intervals) runs out.
 */
const redis = await startRedis();
afterAll(() => redis.stop());
const emulator = useEmulator({ control: true });
const POLL_MS = 250;

interface Replica {
  readonly app: ReturnType<typeof createApp>;
  readonly scheduler: ManualScheduler;
  readonly state: SharedState;
  /** `GET /sessions` this replica sent. */
  readonly polls: () => number;
}

async function replica(): Promise<Replica> {
  const upstream = await emulator.ready;
  const state = openSharedState(redis.url);
  const polling = sharedPolling(state, { prefix: 'test:live:', pollMs: POLL_MS });
  const transport = createTransport({ origin: upstream.url });
  const scheduler = new ManualScheduler();
  let polls = 0;
  afterAll(async () => {
    await polling.close();
    await state.close();
    await transport.close();
  });
  const app = createApp({
    client: createUpstreamClient({
      baseUrl: upstream.url,
      dispatcher: transport,
      credential: { kind: 'none' },
      onCall: (call) => {
        if (call.route === 'GET /sessions') polls++;
      },
    }),
    auth: { kind: 'passthrough' },
    upstreamUrl: upstream.url,
    concurrency: 8,
    listThreshold: 20,
    domain: 'example.org',
    live: { pollMs: POLL_MS, maxPerCaller: 100, scheduler, coordinate: polling.coordinate },
  });
  return { app, scheduler, state, polls: () => polls };
}

/** One SSE subscription through a replica's app: the session events it has received so far. */
async function subscribe(app: Replica['app']): Promise<{ events: string[] }> {
  const res = await app.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: SECRET },
    body: JSON.stringify({ query: 'subscription { sessionEvents { kind session { username } } }' }),
  });
  const feed = { events: [] as string[] };
  const body = res.body;
  if (!body) throw new Error('no stream');
  void (async () => {
    let text = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      text += new TextDecoder().decode(chunk);
      for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (block.startsWith('event: next') && data) {
          const { kind, session } = JSON.parse(data).data.sessionEvents;
          feed.events.push(`${kind} ${session.username}`);
        }
      }
    }
  })();
  return feed;
}

const sessionPolls = async () => (await emulator.ready).stats.toJSON().routes['GET /sessions'] ?? 0;

describe('subscriptions on three replicas sharing one Redis', () => {
  it('poll once per interval across replicas, fan out to every replica, and take over when the holder dies', async () => {
    const replicas = [await replica(), await replica(), await replica()];
    await eventually(() => replicas.every((r) => r.state.isReady()), 'the replicas to connect');
    const feeds = (
      await Promise.all(replicas.map(async (r) => [await subscribe(r.app), await subscribe(r.app)]))
    ).flat();
    await eventually(() => replicas.every((r) => r.app.live.size.subscriptions === 2), 'every subscription');
    // The first subscriber on each replica tried for the lease at once: one poll in all.
    await eventually(async () => (await sessionPolls()) === 1, 'the first poll');

    const upstream = await emulator.ready;
    const login = async (username: string) =>
      fetch(`${upstream.url}/__emulator/sessions`, { method: 'POST', body: JSON.stringify({ username }) });
    await login('jane');
    upstream.stats.reset();
    for (const r of replicas) r.scheduler.advance(POLL_MS);
    await eventually(() => feeds.every((feed) => feed.events.includes('STARTED jane')), 'jane on every replica');
    expect(await sessionPolls()).toBe(1);

    // The holder dies without giving its lease up; within two intervals another replica polls instead.
    const holder = replicas.findIndex((r) => r.polls() === 2);
    expect(replicas.map((r) => r.polls()).sort()).toEqual([0, 0, 2]);
    const dead = replicas[holder] as Replica;
    dead.state.client.destroy();
    const alive = replicas.filter((r) => r !== dead);
    await eventually(() => {
      for (const r of alive) r.scheduler.advance(POLL_MS);
      return alive.some((r) => r.polls() > 0);
    }, 'another replica to take over');
    await login('john');
    upstream.stats.reset();
    for (const r of alive) r.scheduler.advance(POLL_MS);
    const survivors = feeds.filter((_, i) => Math.floor(i / 2) !== holder);
    await eventually(() => survivors.every((feed) => feed.events.includes('STARTED john')), 'john on the others');
    expect(await sessionPolls()).toBe(1);
  });

  it('polls on every replica while Redis is away, and on one again once it is back', async () => {
    const replicas = [await replica(), await replica()];
    await eventually(() => replicas.every((r) => r.state.isReady()), 'the replicas to connect');
    const feeds = await Promise.all(replicas.map((r) => subscribe(r.app)));
    await eventually(() => replicas.every((r) => r.app.live.size.pollers === 1), 'both pollers');
    // The previous test's replicas may still hold the lease for up to two intervals.
    await eventually(() => {
      for (const r of replicas) r.scheduler.advance(POLL_MS);
      return replicas.some((r) => r.polls() > 0);
    }, 'the first poll');
    await eventually(() => replicas.every((r) => r.scheduler.pending === 1), 'the polls to finish');

    await redis.stop();
    await eventually(() => replicas.every((r) => !r.state.isReady()), 'the replicas to notice');
    const upstream = await emulator.ready;
    await fetch(`${upstream.url}/__emulator/sessions`, { method: 'POST', body: JSON.stringify({ username: 'john' }) });
    const before = replicas.map((r) => r.polls());
    for (const r of replicas) r.scheduler.advance(POLL_MS);
    await eventually(() => feeds.every((feed) => feed.events.includes('STARTED john')), 'john on both, Redis away');
    expect(replicas.map((r, i) => r.polls() - (before[i] ?? 0))).toEqual([1, 1]);

    await redis.start();
    await eventually(() => replicas.every((r) => r.state.isReady()), 'the replicas to reconnect');
    // One interval to take turns again (the first replica to ask gets the lease), then one poll per interval.
    for (const r of replicas) r.scheduler.advance(POLL_MS);
    await eventually(() => replicas.every((r) => r.scheduler.pending === 1), 'the polls to finish');
    const after = replicas.map((r) => r.polls());
    for (const r of replicas) r.scheduler.advance(POLL_MS);
    await eventually(() => replicas.every((r) => r.scheduler.pending === 1), 'the next polls to finish');
    expect(replicas.reduce((sum, r, i) => sum + r.polls() - (after[i] ?? 0), 0)).toBe(1);
  });
});
