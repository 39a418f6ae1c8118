import { randomUUID } from 'node:crypto';
import type { Permits } from '../common/permits.js';
import type { SharedState } from './connection.js';
import { REDIS_NOW, script } from './script.js';

/**
 * Permits counted across replicas (src/common/permits.ts): each key is a sorted set of its holders' tokens, scored by
 * when their lease ends, so a replica that dies holding permits frees them when the leases end rather than never.
 * Permits held longer than a lease (open subscriptions) are renewed every `renewMs` by the replica holding them.
 *
 * While Redis cannot answer, `take` grants: each replica's own count still applies (the fair share's and the live
 * hub's limits in the process), so a Redis outage loosens a caller's limit to one per replica instead of refusing
 * every call (docs/operations.md, Several replicas).
 */
export interface SharedPermitsOptions {
  readonly prefix: string;
  /** How long a permit lasts unless given back or renewed. */
  readonly leaseMs: number;
  /** Renew held permits this often (less than `leaseMs`); unset for permits that never outlive a lease. */
  readonly renewMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** KEYS[1]: the key; ARGV: token, limit, lease ms. 1 when the token now holds a permit. */
const TAKE = script(`${REDIS_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`);

/** KEYS[1]: the key; ARGV: lease ms, then tokens. Extends (or, after Redis lost them, restores) their leases. */
const RENEW = script(`${REDIS_NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`);

export function sharedPermits(state: SharedState, options: SharedPermitsOptions): Permits & { close(): void } {
  const { prefix, leaseMs, renewMs, onError } = options;
  const lease = String(leaseMs);
  /** Permits this replica holds, by Redis key, when they are renewed. */
  const held = new Map<string, Set<string>>();
  const renewal =
    renewMs === undefined
      ? null
      : setInterval(() => {
          if (!state.isReady()) return;
          for (const [key, tokens] of held) {
            RENEW(state, [key], [lease, ...tokens]).catch((error: unknown) => onError?.(error));
          }
        }, renewMs);
  renewal?.unref();

  const keep = (key: string, token: string): void => {
    if (renewal === null) return;
    const tokens = held.get(key) ?? new Set<string>();
    tokens.add(token);
    held.set(key, tokens);
  };
  const forget = (key: string, token: string): void => {
    const tokens = held.get(key);
    tokens?.delete(token);
    if (tokens?.size === 0) held.delete(key);
  };
  const giveBack = (key: string, token: string) => {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      forget(key, token);
      if (state.isReady()) state.client.zRem(key, token).catch((error: unknown) => onError?.(error));
    };
  };

  return {
    async take(name, limit) {
      const key = prefix + name;
      const token = randomUUID();
      if (state.isReady()) {
        try {
          if (Number(await TAKE(state, [key], [token, String(limit), lease])) !== 1) return null;
        } catch (error) {
          onError?.(error);
        }
      }
      // Kept for renewal even when Redis did not count it: once Redis is back the renewal restores the count.
      keep(key, token);
      return giveBack(key, token);
    },
    close() {
      if (renewal !== null) clearInterval(renewal);
      held.clear();
    },
  };
}
