import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import type { SharedState } from './connection.js';
import { script } from './script.js';

/**
 * Subscription polls shared by replicas (src/live/poller.ts `Coordination`): for each topic and credential one
 * replica holds a lease and polls Openfire; it publishes each snapshot on a channel and keeps the latest in a key, and
 * the others hand what they receive to their own subscribers. The lease lasts two poll intervals and is renewed by
 * every poll, so when its holder dies another replica with subscribers takes over within two intervals. While Redis
 * cannot be reached, every replica polls for itself (subscribers keep their events); once it is back, they take
 * turns again.
 */
export interface SharedPollingOptions {
  readonly prefix: string;
  /** The poll interval (`SUBSCRIPTION_POLL_MS`): a lease lasts two. */
  readonly pollMs: number;
  readonly onError?: (error: unknown) => void;
}

/** KEYS[1]: the lease; ARGV: this replica, the lease ms. 1 when this replica holds it (taken or renewed). */
const LEAD = script(`local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] or not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`);

/** KEYS[1]: the lease; ARGV[1]: this replica. */
const RESIGN = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`);

export function sharedPolling(state: SharedState, options: SharedPollingOptions) {
  const { prefix, pollMs, onError } = options;
  const replica = randomUUID();
  const leaseMs = String(2 * pollMs);
  let subscriber: Promise<RedisClientType> | null = null;
  /** The connection that listens: Redis gives a subscribed connection to pub/sub alone. */
  const listener = (): Promise<RedisClientType> => {
    subscriber ??= (async () => {
      const client = state.client.duplicate();
      client.on('error', (error: Error) => onError?.(error));
      await client.connect();
      return client;
    })();
    return subscriber;
  };
  const coordinate = <S>(key: string, codec: { encode(s: S): unknown; decode(json: unknown): S }) => {
    const lease = `${prefix}lease:${key}`;
    const latest = `${prefix}latest:${key}`;
    const channel = `${prefix}channel:${key}`;
    return {
      async lead(): Promise<boolean> {
        if (!state.isReady()) return true;
        try {
          return Number(await LEAD(state, [lease], [replica, leaseMs])) === 1;
        } catch (error) {
          onError?.(error);
          return true;
        }
      },
      share(snapshot: S): void {
        if (!state.isReady()) return;
        const message = JSON.stringify({ from: replica, snapshot: codec.encode(snapshot) });
        state.client
          .multi()
          .set(latest, message, { expiration: { type: 'PX', value: 2 * pollMs } })
          .publish(channel, message)
          .exec()
          .catch((error: unknown) => onError?.(error));
      },
      follow(onSnapshot: (snapshot: S) => void): () => void {
        let stopped = false;
        const receive = (message: string | null) => {
          if (stopped || message === null) return;
          const { from, snapshot } = JSON.parse(message) as { from: string; snapshot: unknown };
          if (from !== replica) onSnapshot(codec.decode(snapshot));
        };
        const listening = listener()
          .then(async (client) => {
            await client.subscribe(channel, receive);
            // What the holder last read: a new subscriber here need not wait for its next poll.
            if (state.isReady()) receive(await state.client.get(latest));
            return client;
          })
          .catch((error: unknown) => {
            onError?.(error);
            return null;
          });
        return () => {
          stopped = true;
          void listening.then((client) => client?.unsubscribe(channel, receive)).catch(onError);
        };
      },
      resign(): void {
        if (!state.isReady()) return;
        RESIGN(state, [lease], [replica]).catch((error: unknown) => onError?.(error));
      },
    };
  };
  return {
    coordinate,
    async close(): Promise<void> {
      const client = await subscriber?.catch(() => null);
      if (client?.isOpen) await client.close();
    },
  };
}
