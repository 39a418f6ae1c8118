import { createHash } from 'node:crypto';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/**
 * Query texts registered by hash: in this process (`createApqStore`, the oldest-used dropped beyond `max`), or shared
 * by replicas (src/redis/apq.ts). A store that cannot answer reports a miss; the client then sends the text again.
 */
export interface ApqStore {
  get(hash: string): string | undefined | Promise<string | undefined>;
  set(hash: string, query: string): void | Promise<void>;
}

export function createApqStore(max: number): ApqStore {
  const cache = new LRUCache<string, string>({ max });
  return {
    get: (hash) => cache.get(hash),
    set(hash, query) {
      cache.set(hash, query);
    },
  };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `extensions.persistedQuery.sha256Hash` of the Apollo APQ protocol, or null. */
export function persistedQueryHash(extensions: Record<string, unknown> | undefined): string | null {
  const persisted = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string'
    ? persisted.sha256Hash.toLowerCase()
    : null;
}

/** The error APQ clients (Apollo, urql, yoga's) answer by sending the query text along with its hash. */
export const persistedQueryNotFound = () =>
  createGraphQLError('PersistedQueryNotFound', {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
  });

/**
 * Automatic persisted queries: a request with a hash and no query runs the query registered under that hash; one
 * with both registers it once the hash is checked. `@graphql-yoga/plugin-apq` does the same but requires an
 * older `@graphql-tools/utils` than yoga 5.24 installs.
 */
export function useApq(store: ApqStore): Plugin {
  return {
    async onParams({ params, setParams }) {
      const hash = persistedQueryHash(params.extensions);
      if (hash === null) return;
      if (params.query == null) {
        const query = await store.get(hash);
        if (query === undefined) throw persistedQueryNotFound();
        // Object.assign: a spread followed by a property is slow to build under Node 20's V8 (µs per request).
        setParams(Object.assign({}, params, { query }));
        return;
      }
      if (sha256(params.query) !== hash) {
        throw createGraphQLError('PersistedQueryMismatch: sha256Hash is not the SHA-256 of the query', {
          extensions: { code: 'PERSISTED_QUERY_MISMATCH', http: { status: 400 } },
        });
      }
      await store.set(hash, params.query);
    },
  };
}
