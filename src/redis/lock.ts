import { randomUUID } from 'node:crypto';
import type { SharedState } from './connection.js';
import { script } from './script.js';

/**
 * Locks shared by replicas for the legacy endpoint's operations on one user or group (src/legacy/locks.ts
 * serialises them within a process): each key is a Redis key holding its holder's token for a lease. Openfire cannot
 * check a fencing token itself, so the holder checks its lease in Redis before every write, renewing it: a replica
 * that lost its lease (paused past it, say, while another took over) finds out before its next write and stops
 * instead of writing over the other's work. What remains is the time between that check and the write reaching
 * Openfire.
 *
 * A check within half a lease of the last confirmation (the acquisition, or a check that reached Redis) is answered
 * from the monotonic clock, which keeps running while a process is paused: the lease, counted by Redis from a moment
 * after that confirmation was sent, has at least half of it left, so no other replica can hold the keys yet. An
 * operation's first write, right after the acquisition, thus costs no round trip.
 */
export interface SharedLockOptions {
  readonly prefix: string;
  /** How long a lease lasts without a write renewing it. */
  readonly leaseMs: number;
  /** How long to wait for keys held by another replica before giving up. */
  readonly waitMs: number;
  readonly now?: () => number;
}

/** The lease was lost, or the keys stayed taken: the operation must not write. */
export class LeaseLost extends Error {}

export interface Lease {
  /** Before a write: throws `LeaseLost` unless every key is still this holder's; renews them. */
  check(): Promise<void>;
  release(): Promise<void>;
}

/** KEYS: the keys; ARGV: the token, the lease ms. 1 when all are the token's (renewed), else 0. */
const CHECK = script(`for i, key in ipairs(KEYS) do
  if redis.call('GET', key) ~= ARGV[1] then return 0 end
end
for i, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[2]) end
return 1`);

/** KEYS: the keys; ARGV: the token. Deletes the keys still the token's. */
const RELEASE = script(`for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1`);

/** KEYS: the keys; ARGV: the token, the lease ms. Takes all keys or none. */
const ACQUIRE = script(`for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
return 1`);

export function sharedLock(state: SharedState, options: SharedLockOptions) {
  const { prefix, leaseMs, waitMs, now = Date.now } = options;
  const lease = String(leaseMs);
  return {
    /** Takes every key at once (all or none, so two operations never hold one key each and wait forever). */
    async acquire(keys: readonly string[]): Promise<Lease> {
      const redisKeys = [...new Set(keys)].sort().map((key) => prefix + key);
      const token = randomUUID();
      const deadline = now() + waitMs;
      let confirmed: number;
      for (let attempt = 0; ; attempt++) {
        const sent = performance.now();
        const taken = await ACQUIRE(state, redisKeys, [token, lease]);
        if (Number(taken) === 1) {
          confirmed = sent;
          break;
        }
        if (now() >= deadline) throw new LeaseLost(`keys held by another replica for over ${waitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** attempt, 200)));
      }
      return {
        async check() {
          if (performance.now() - confirmed < leaseMs / 2) return;
          const sent = performance.now();
          const held = await CHECK(state, redisKeys, [token, lease]);
          if (Number(held) !== 1) throw new LeaseLost('the lease ran out and another replica may hold the keys');
          confirmed = sent;
        },
        async release() {
          await RELEASE(state, redisKeys, [token]);
        },
      };
    },
  };
}
