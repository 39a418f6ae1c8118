import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { openSharedState } from '../../src/redis/connection.js';
import { LeaseLost, sharedLock } from '../../src/redis/lock.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';
import { LEGACY_SECRET, legacySeed } from '../helpers/legacy.js';
import { eventually } from '../helpers/live-clients.js';
import { startRedis } from '../helpers/redis-server.js';

/**
 * Legacy operations on one user through two replicas are serialised by leases in a real redis-server: concurrent
 * `update`s that each set a user's groups end in the groups one of them alone would leave (never a mix), over random
 * requests, replicas and upstream latencies (fast-check), and a holder
 * whose lease ran out while another replica took the keys is refused before its next write.
 */
const redis = await startRedis();
afterAll(() => redis.stop());

const state = openSharedState(redis.url);
afterAll(() => state.close());

const emulator = useEmulator({ seed: legacySeed() });

/** A replica: its own app, upstream pool and Redis connection, in front of the one emulator. */
async function replica() {
  const upstream = await emulator.ready;
  const own = openSharedState(redis.url);
  const transport = createTransport({ origin: upstream.url });
  afterAll(async () => {
    await own.close();
    await transport.close();
  });
  const app = createApp({
    client: createUpstreamClient({
      baseUrl: upstream.url,
      dispatcher: transport,
      credential: { kind: 'secret', secret: SECRET },
    }),
    auth: { kind: 'passthrough' },
    upstreamUrl: upstream.url,
    concurrency: 8,
    listThreshold: 20,
    domain: 'example.org',
    legacy: {
      secret: LEGACY_SECRET,
      leases: sharedLock(own, { prefix: 'test:lock:', leaseMs: 10_000, waitMs: 20_000 }),
    },
  });
  return Object.assign(app, { state: own });
}
const a = await replica();
const b = await replica();

describe('leases shared by replicas', () => {
  it('serialises concurrent updates of one user through two replicas: the groups of one request, never a mix', async () => {
    await eventually(() => state.isReady() && a.state.isReady() && b.state.isReady(), 'the replicas to connect');
    const upstream = await emulator.ready;
    const groupSets = fc.subarray(['ops', 'sales', 'staff', 'team']);
    // Random requests, each through a random replica, with Openfire slow enough (a few ms per call) that operations
    // left unserialised would interleave their group changes.
    const requests = fc.array(fc.record({ groups: groupSets, replica: fc.boolean() }), { minLength: 2, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(requests, fc.integer({ min: 1, max: 8 }), async (batch, latencyMs) => {
        upstream.reset();
        upstream.faults.add({ latencyMs });
        const replies = await Promise.all(
          batch.map(async ({ groups, replica }) => {
            const query = new URLSearchParams({
              type: 'update',
              secret: LEGACY_SECRET,
              username: 'carol',
              groups: groups.join(','),
            });
            return (await (replica ? a : b).fetch(`http://gateway/userservice?${query}`)).text();
          }),
        );
        upstream.faults.clear();
        expect(replies).toEqual(batch.map(() => '<result>ok</result>\n'));
        const final = [...upstream.snapshot().groups]
          .filter((group) => group.members.includes('carol@example.org'))
          .map((group) => group.name)
          .sort();
        expect(batch.map(({ groups }) => [...groups].sort())).toContainEqual(final);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses the next write of a holder whose lease ran out while another replica took the keys', async () => {
    const slow = sharedLock(state, { prefix: 'test:fence:', leaseMs: 100, waitMs: 1_000 });
    const other = sharedLock(state, { prefix: 'test:fence:', leaseMs: 10_000, waitMs: 30_000 });
    const first = await slow.acquire(['user:carol']);
    await first.check();
    // The first holder stops renewing (a paused process): its lease runs out and the other replica gets the keys.
    const second = await other.acquire(['user:carol', 'group:ops']);
    await expect(first.check()).rejects.toBeInstanceOf(LeaseLost);
    await second.check();
    // Releasing a lost lease leaves the new holder's keys alone.
    await first.release();
    await second.check();
    await second.release();
  });
});
