import type { SharedState } from './connection.js';

/**
 * The APQ store (src/graphql/plugins/use-apq.ts) in Redis: a hash registered through one replica is known to all.
 * Each text is kept `ttlSeconds` after it was last registered, so the store stays bounded by what clients use; a
 * Redis that cannot answer is a miss (the client sends the text again) and a registration that fails is dropped.
 */
export interface SharedApqOptions {
  readonly prefix: string;
  readonly ttlSeconds: number;
  /** The longest query text kept (yoga's body limit bounds it already; this keeps Redis's share explicit). */
  readonly maxBytes: number;
  readonly onError?: (error: unknown) => void;
}

export function sharedApqStore(state: SharedState, options: SharedApqOptions) {
  const { prefix, ttlSeconds, maxBytes, onError } = options;
  return {
    async get(hash: string): Promise<string | undefined> {
      if (!state.isReady()) return undefined;
      try {
        return (await state.client.get(prefix + hash)) ?? undefined;
      } catch (error) {
        onError?.(error);
        return undefined;
      }
    },
    async set(hash: string, query: string): Promise<void> {
      if (!state.isReady() || Buffer.byteLength(query) > maxBytes) return;
      try {
        await state.client.set(prefix + hash, query, { expiration: { type: 'EX', value: ttlSeconds } });
      } catch (error) {
        onError?.(error);
      }
    },
  };
}
