import { randomUUID } from 'node:crypto';
import type { SharedState } from './connection.js';
import { REDIS_NOW, script } from './script.js';

/**
 * The legacy endpoint's wrong-secret throttle (src/legacy/throttle.ts) counted in Redis, so a client spreading its
 * guesses over replicas meets the same limit as on one: each client key is a sorted set of its failures' times,
 * trimmed to the window and to `maxFailures` entries, read and written by scripts (atomic, and timed by Redis's own
 * clock so replicas' clocks need not agree).
 */
export interface SharedThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Prefix of the keys, e.g. `gateway:throttle:`. */
  readonly prefix: string;
}

/** KEYS[1]: the client; ARGV: window ms. Returns the failures within the window. */
const COUNT = script(`${REDIS_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])`);

/** KEYS[1]: the client; ARGV: window ms, a unique member, max failures kept. */
const FAIL = script(`${REDIS_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`);

export function sharedThrottle(state: SharedState, options: SharedThrottleOptions) {
  const { maxFailures, windowMs, prefix } = options;
  const window = String(windowMs);
  return {
    async blocked(client: string): Promise<boolean> {
      const count = await COUNT(state, [prefix + client], [window]);
      return Number(count) >= maxFailures;
    },
    async failed(client: string): Promise<void> {
      const member = randomUUID();
      await FAIL(state, [prefix + client], [window, member, String(maxFailures)]);
    },
  };
}
