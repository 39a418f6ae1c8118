import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { type ApqStore, createApqStore, persistedQueryHash, persistedQueryNotFound, useApq } from './use-apq.js';

export interface PersistedOptions {
  /** Automatic persisted queries (`APQ`). */
  readonly apq: boolean;
  /** Known operations by SHA-256 hex (`PERSISTED_OPERATIONS`, read by `readPersistedOperations`). */
  readonly operations: ReadonlyMap<string, string> | null;
  /** Accept nothing but `operations` (`PERSISTED_ONLY`); APQ registration is refused too. */
  readonly only: boolean;
  /** Where APQ texts are kept: this process by default, Redis with several replicas (`REDIS_URL`). */
  readonly store?: ApqStore;
}

export const DEFAULT_PERSISTED: PersistedOptions = { apq: true, operations: null, only: false };

/** Query texts one gateway process remembers for APQ; a client whose hash was dropped just sends the text again. */
const APQ_ENTRIES = 1000;

/** Persisted queries: known operations from a file, and/or hashes registered by clients (APQ). */
export function usePersisted(options: PersistedOptions): Plugin[] {
  const store = options.apq && !options.only ? (options.store ?? createApqStore(APQ_ENTRIES)) : null;
  const plugins: Plugin[] = [];
  const { operations } = options;
  if (operations) {
    plugins.push(
      usePersistedOperations({
        allowArbitraryOperations: !options.only,
        extractPersistedOperationId: (params) => persistedQueryHash(params.extensions),
        getPersistedOperation: async (hash) => operations.get(hash) ?? (await store?.get(hash)) ?? null,
        customErrors: {
          notFound: () => persistedQueryNotFound(),
          keyNotFound: {
            message: 'Send a query, or the sha256Hash of a known operation in extensions.persistedQuery',
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          },
          persistedQueryOnly: {
            message:
              'Only the operations of PERSISTED_OPERATIONS are accepted (PERSISTED_ONLY is on): send extensions.persistedQuery.sha256Hash without a query',
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          },
        },
      }),
    );
  }
  // After the file lookup, which fills in the query of a known hash: APQ then only checks and registers.
  if (store) plugins.push(useApq(store));
  return plugins;
}
