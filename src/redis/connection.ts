import { createClient, type RedisClientType } from '@redis/client';

/**
 * The connection to Redis (`REDIS_URL`: `redis://` or `rediss://` for TLS, user and password in the URL) that
 * replicas share their state through. Commands fail at once while it is down, never queue: each use has its own
 * policy for that (docs/operations.md, Several replicas), and none may wait on a Redis that is gone. It reconnects
 * by itself, backing off up to 2 s between attempts.
 */
export interface SharedState {
  readonly client: RedisClientType;
  /** Whether commands can be sent now. */
  isReady(): boolean;
  close(): Promise<void>;
}

export interface SharedStateOptions {
  /** Told about connection errors (as many as the reconnect attempts make); never the URL, which holds a password. */
  readonly onError?: (error: Error) => void;
  /** Told when the connection is (re)established. */
  readonly onReady?: () => void;
}

/** A command's longest wait: a Redis that stopped answering (paused, partitioned) fails its callers instead. */
const COMMAND_TIMEOUT_MS = 2_000;

export function openSharedState(url: string, options: SharedStateOptions = {}): SharedState {
  const client: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 5_000,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: COMMAND_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
  client.on('error', (error: Error) => options.onError?.(error));
  client.on('ready', () => options.onReady?.());
  // The first connection is made in the background too: the gateway starts, and reports Redis, while it is down.
  client.connect().catch((error: Error) => options.onError?.(error));
  return {
    client,
    isReady: () => client.isReady,
    async close() {
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
