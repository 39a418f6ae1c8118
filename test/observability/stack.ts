import type { Dispatcher } from 'undici';
import { afterAll } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.js';
import { type AuthMode, keyMatcher } from '../../src/auth/identify.js';
import type { Emulator } from '../../src/emulator/server.js';
import type { Snapshot } from '../../src/emulator/store.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { upstreamReporter } from '../../src/observability/upstream.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';
import { LEGACY_SECRET } from '../helpers/legacy.js';
import { sinkLogger } from '../helpers/log-sink.js';

export interface StackOptions {
  readonly seed?: Snapshot;
  readonly apiKeys?: ReadonlyMap<string, 'admin' | 'read'>;
  readonly metrics?: Metrics | null;
  readonly app?: Partial<AppDeps>;
}

export interface Stack {
  readonly emulator: Promise<Emulator>;
  /** `app.fetch` on a gateway path, from `peer` (127.0.0.1 unless told). */
  fetch(path: string, init?: RequestInit, peer?: string): Promise<Response>;
  /** The `x-request-id` of every request the gateway sent upstream, in order. */
  readonly sentRequestIds: Array<string | undefined>;
}

/**
 * The gateway in front of a loopback emulator, logging into the file's sink at trace level, with the legacy endpoint
 * on ({@link LEGACY_SECRET}) and the request ids sent upstream recorded at the transport.
 */
export function useStack(options: StackOptions = {}): Stack {
  const t = useEmulator(options.seed ? { seed: options.seed } : {});
  const sentRequestIds: Array<string | undefined> = [];
  const app = t.ready.then((emulator) => {
    const transport = createTransport({ origin: emulator.url });
    afterAll(() => transport.close());
    const recording = transport.compose((dispatch) => (opts: Dispatcher.DispatchOptions, handler) => {
      const headers = (opts.headers ?? {}) as Record<string, string>;
      sentRequestIds.push(headers['x-request-id']);
      return dispatch(opts, handler);
    });
    const logger = sinkLogger();
    const metrics = options.metrics ?? null;
    const auth: AuthMode = options.apiKeys
      ? { kind: 'keys', match: keyMatcher(options.apiKeys) }
      : { kind: 'passthrough' };
    // The gateway's own credential serves the legacy endpoint; GraphQL callers' Authorization replaces it in passthrough.
    const client = createUpstreamClient({
      baseUrl: emulator.url,
      dispatcher: recording,
      credential: { kind: 'secret', secret: SECRET },
      onCall: upstreamReporter({ logger, metrics }),
    });
    return createApp({
      client,
      auth,
      upstreamUrl: emulator.url,
      listThreshold: 20,
      concurrency: 16,
      domain: 'example.org',
      legacy: { secret: LEGACY_SECRET },
      logger,
      metrics,
      ...options.app,
    });
  });
  return {
    emulator: t.ready,
    sentRequestIds,
    async fetch(path, init = {}, peer = '127.0.0.1') {
      return (await app).fetch(`http://gateway${path}`, init, { req: { socket: { remoteAddress: peer } } });
    },
  };
}

/** A GraphQL POST's init. */
export const graphql = (
  query: string,
  headers: Record<string, string> = {},
  variables?: Record<string, unknown>,
): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
  body: JSON.stringify({ query, variables }),
});
