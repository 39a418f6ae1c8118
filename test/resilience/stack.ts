import { afterAll } from 'vitest';
import { createApp } from '../../src/app.js';
import { createReadiness, type Readiness } from '../../src/ops/readiness.js';
import type { CircuitBreaker } from '../../src/upstream/breaker.js';
import { type CallEvent, createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { type ParsedJson, SECRET } from '../helpers/emulator.js';
import type { GraphQLResponse } from '../helpers/gateway.js';

export interface StackOptions {
  readonly breaker?: CircuitBreaker;
  readonly requestTimeoutMs?: number;
  readonly maxUpstreamCalls?: number;
  /** Readiness probe timeout and answer reuse; 0 ms reuse unless told otherwise, so tests see every change. */
  readonly readinessTimeoutMs?: number;
  readonly readinessCacheMs?: number;
  /** The transport's headers/body timeout (UPSTREAM_TIMEOUT_MS). */
  readonly upstreamTimeoutMs?: number;
  /** The upstream client's `onCall`: told about every call once it is finished. */
  readonly onCall?: (event: CallEvent) => void;
}

export interface Stack {
  readonly readiness: Readiness;
  gql(query: string): Promise<GraphQLResponse>;
  /** The raw POST, e.g. with a signal to leave before the answer. */
  post(query: string, signal?: AbortSignal): Promise<Response>;
  get(path: string): Promise<{ status: number; body: ParsedJson }>;
}

const transports: Array<ReturnType<typeof createTransport>> = [];
afterAll(async () => {
  await Promise.all(transports.map((t) => t.destroy()));
});

/** The app in-process over the Openfire at `upstreamUrl`, as main.ts assembles it, with the resilience knobs exposed. */
export function stack(upstreamUrl: string, options: StackOptions = {}): Stack {
  const timeout = options.upstreamTimeoutMs ?? 5_000;
  const transport = createTransport({ origin: upstreamUrl, headersTimeoutMs: timeout, bodyTimeoutMs: timeout });
  transports.push(transport);
  const client = createUpstreamClient({
    baseUrl: upstreamUrl,
    dispatcher: transport,
    credential: { kind: 'none' },
    breaker: options.breaker,
    onCall: options.onCall,
  });
  const readiness = createReadiness({
    client,
    timeoutMs: options.readinessTimeoutMs,
    cacheMs: options.readinessCacheMs ?? 0,
  });
  const app = createApp({
    client,
    auth: { kind: 'passthrough' },
    upstreamUrl,
    listThreshold: 20,
    concurrency: 16,
    domain: 'example.org',
    readiness,
    requestTimeoutMs: options.requestTimeoutMs,
    maxUpstreamCalls: options.maxUpstreamCalls,
  });
  const post = async (query: string, signal?: AbortSignal): Promise<Response> =>
    app.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SECRET },
      body: JSON.stringify({ query }),
      signal,
    });
  return {
    readiness,
    post,
    async gql(query) {
      const res = await post(query);
      return { status: res.status, body: (await res.json()) as GraphQLResponse['body'] };
    },
    async get(path) {
      const res = await app.fetch(`http://gateway${path}`);
      return { status: res.status, body: await res.json() };
    },
  };
}

/** The `extensions.code` of each error, in order. */
export const codes = (body: GraphQLResponse['body']): unknown[] => (body.errors ?? []).map((e) => e.extensions?.code);
