import { Agent } from 'undici';
import { afterAll } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.js';
import { type AuthMode, keyMatcher } from '../../src/auth/identify.js';
import type { TokenVerifier } from '../../src/auth/jwt.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/server.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { upstreamReporter } from '../../src/observability/upstream.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { type ParsedJson, SECRET, useEmulator } from './emulator.js';
import { sinkLogger } from './log-sink.js';

export interface GraphQLResponse {
  status: number;
  body: {
    data?: ParsedJson;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  };
}

export interface TestGateway {
  readonly ready: Promise<Emulator>;
  /** The app itself, for what a test reads from it beside its answers (its admission gate's load…). */
  readonly app: Promise<ReturnType<typeof createApp>>;
  /** Runs a GraphQL operation through `app.fetch` (passthrough with the emulator's secret unless told otherwise). */
  gql(
    query: string,
    variables?: Record<string, unknown>,
    options?: { authorization?: string | null },
  ): Promise<GraphQLResponse>;
  /** Upstream calls the emulator received since the last reset, by route template, and their total. */
  upstreamCalls(): Promise<{ total: number; routes: Record<string, number> }>;
  resetCalls(): Promise<void>;
  /** Any request through `app.fetch`, e.g. `fetch('/graphql', { method: 'OPTIONS', headers })`; nothing added. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface GatewayTestOptions extends Partial<Omit<EmulatorOptions, 'seed'>> {
  seed?: Snapshot | 'demo' | 'empty';
  /** `GATEWAY_API_KEYS`-style keys; unset means passthrough. */
  apiKeys?: ReadonlyMap<string, 'admin' | 'read'>;
  /** Callers' tokens verified beside the API keys or passthrough; the gateway then holds its own credential. */
  tokens?: TokenVerifier;
  listThreshold?: number;
  /** The domain the app is told (as `XMPP_DOMAIN` or the embedded mode would); `null` makes it read Openfire. */
  domain?: string | null;
  /** More app dependencies (limits, browser, persisted, …), given to `createApp` as they are. */
  app?: Partial<AppDeps>;
}

/** The app with an upstream nobody listens on, for tests that never reach Openfire. */
export function offlineApp(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  const upstreamUrl = 'http://127.0.0.1:1';
  const logger = sinkLogger();
  const client = createUpstreamClient({
    baseUrl: upstreamUrl,
    dispatcher: new Agent(),
    credential: { kind: 'none' },
    onCall: upstreamReporter({ logger }),
  });
  return createApp({
    client,
    auth: { kind: 'passthrough' },
    upstreamUrl,
    listThreshold: 20,
    concurrency: 4,
    logger,
    ...options,
  });
}

/**
 * The gateway in-process (`app.fetch`) in front of a loopback emulator for the current test file; the emulator's
 * state and statistics are reset after every test.
 */
export function useGateway(options: GatewayTestOptions = {}): TestGateway {
  const { apiKeys, tokens, listThreshold, domain, app: appDeps, ...emulatorOptions } = options;
  const t = useEmulator(emulatorOptions);
  const app = t.ready.then((emulator) => {
    const transport = createTransport({ origin: emulator.url });
    afterAll(() => transport.close());
    const auth: AuthMode = apiKeys
      ? { kind: 'keys', match: keyMatcher(apiKeys), tokens }
      : { kind: 'passthrough', tokens };
    const credential = apiKeys || tokens ? ({ kind: 'secret', secret: SECRET } as const) : ({ kind: 'none' } as const);
    const logger = sinkLogger();
    const client = createUpstreamClient({
      baseUrl: emulator.url,
      dispatcher: transport,
      credential,
      onCall: upstreamReporter({ logger }),
    });
    return createApp({
      client,
      auth,
      logger,
      upstreamUrl: emulator.url,
      listThreshold: listThreshold ?? 20,
      concurrency: 16,
      domain: domain === undefined ? 'example.org' : domain,
      ...appDeps,
    });
  });
  return {
    ready: t.ready,
    app,
    async gql(query, variables, callOptions = {}) {
      const authorization = callOptions.authorization === undefined ? SECRET : callOptions.authorization;
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (authorization !== null) headers.authorization = authorization;
      const res = await (await app).fetch('http://gateway/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResponse['body'] };
    },
    async upstreamCalls() {
      return (await t.ready).stats.toJSON();
    },
    async resetCalls() {
      (await t.ready).stats.reset();
    },
    async fetch(path, init) {
      return (await app).fetch(`http://gateway${path}`, init ?? {});
    },
  };
}
