import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, afterEach } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../src/app.js';
import { type AuthMode, keyMatcher } from '../../src/auth/identify.js';
import type { TokenVerifier } from '../../src/auth/jwt.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { attachWebSocket, type WebSocketEndpoint } from '../../src/graphql/transports/websocket.js';
import { createNodeServer, listen } from '../../src/http/node-server.js';
import type { LiveSettings } from '../../src/live/hub.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { upstreamReporter } from '../../src/observability/upstream.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import type { RouteKey } from '../../src/upstream/routes.js';
import { SECRET, settings } from './emulator.js';
import { eventually, Feed, type LiveResult, parseSse } from './live-clients.js';
import { sinkLogger } from './log-sink.js';
import { ManualScheduler } from './manual-scheduler.js';

/**
 * The gateway as it runs for subscribers: a loopback emulator (control plane on), the app with a manual scheduler,
 * a real HTTP server on 127.0.0.1 with the WebSocket endpoint attached, and clients of all three transports over
 * real sockets (yoga's SSE, graphql-ws, graphql-sse's single connection). Polls happen when a test advances the
 * scheduler. After each test every client it opened is closed, the hub is waited on until no poller runs, and the
 * emulator goes back to the seed with its statistics and faults cleared.
 */

export interface LiveGatewayOptions {
  /** The emulator's data: the showcase seed by default (rooms `lobby` and `dev`, sessions of jane and john). */
  readonly seed?: Snapshot | 'demo' | 'showcase';
  /** `SUBSCRIPTION_*` settings; `pollMs` defaults to 1000 (time only moves with the scheduler). */
  readonly live?: Partial<LiveSettings>;
  /** `GATEWAY_API_KEYS`-style keys; unset means passthrough. */
  readonly apiKeys?: ReadonlyMap<string, 'admin' | 'read'>;
  /** Callers' tokens; the gateway then holds the emulator's secret as its own credential. */
  readonly tokens?: TokenVerifier;
  readonly metrics?: Metrics;
  /** `CORS_ORIGINS` for the WebSocket Origin check. */
  readonly origins?: readonly string[];
}

export interface SubscribeOptions {
  readonly variables?: Record<string, unknown>;
  /** The Authorization header (or `connection_init` payload); the emulator's secret unless told, `null` for none. */
  readonly authorization?: string | null;
}

/** A subscription read over a real socket: its results, and `close()` to leave it from the client side. */
export class LiveFeed extends Feed {
  constructor(
    label: string,
    readonly close: () => Promise<void>,
  ) {
    super(label);
  }
}

/** An SSE subscription (`POST /graphql` with `accept: text/event-stream`). */
export class SseFeed extends LiveFeed {
  constructor(
    readonly response: Response,
    close: () => Promise<void>,
  ) {
    super('SSE subscription', close);
  }
}

export interface ControlPlane {
  /** Logs a simulated client in; returns its session id (the full JID). */
  login(
    username: string,
    presence?: { resource?: string; presenceStatus?: string; presenceMessage?: string | null; priority?: number },
  ): Promise<string>;
  setPresence(
    sessionId: string,
    presence: { presenceStatus?: string; presenceMessage?: string | null; priority?: number },
  ): Promise<void>;
  logout(sessionId: string): Promise<void>;
  join(occupant: { room: string; jid: string; nickname: string; role?: string; service?: string }): Promise<void>;
  leave(occupant: { room: string; nickname?: string; jid?: string; service?: string }): Promise<void>;
}

export interface LiveGateway {
  readonly emulator: Emulator;
  readonly app: ReturnType<typeof createApp>;
  readonly scheduler: ManualScheduler;
  readonly websocket: WebSocketEndpoint;
  readonly server: ReturnType<typeof createNodeServer>;
  /** `http://127.0.0.1:<port>/graphql`. */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/graphql`. */
  readonly wsUrl: string;
  readonly pollMs: number;
  readonly control: ControlPlane;
  /** Subscribes over SSE; with `read: false` the body is left unread (a client that stopped reading). */
  sse(query: string, options?: SubscribeOptions & { read?: boolean }): Promise<SseFeed>;
  /** A graphql-ws client, closed after the test; `onSocket` gets its WebSocket once connected. */
  wsClient(options?: { authorization?: string | null; onSocket?: (socket: WebSocket) => void }): WsClient;
  /** Subscribes over WebSocket, on `client` or on a client of its own. */
  ws(query: string, options?: SubscribeOptions & { client?: WsClient }): LiveFeed;
  /** A graphql-sse client in single-connection mode, closed after the test. */
  sseClient(options?: { authorization?: string | null }): SseClient<true>;
  /** Subscribes over GraphQL over SSE's single connection, on `client` or on a client of its own. */
  graphqlSse(query: string, options?: SubscribeOptions & { client?: SseClient<true> }): LiveFeed;
  /** Waits until every running poller has finished its poll and waits for its next turn. */
  settled(): Promise<void>;
  /** Waits until `count` subscriptions are open and every poller is settled. */
  subscribed(count: number): Promise<void>;
  /** Moves the scheduler on by the poll interval (`times` over) and waits for the polls to finish. */
  poll(times?: number): Promise<void>;
  /** Upstream calls the emulator received for `route` since the last reset. */
  calls(route: RouteKey): number;
}

const authorizationOf = (options: { authorization?: string | null } | undefined): string | null =>
  options?.authorization === undefined ? SECRET : options.authorization;

const resolveSeed = (seed: LiveGatewayOptions['seed']): Snapshot =>
  seed === undefined || seed === 'showcase' ? showcaseSeed(settings) : seed === 'demo' ? demoSeed(settings) : seed;

/** Starts everything for the current test file; call it at the top level of the file. */
export async function startLiveGateway(options: LiveGatewayOptions = {}): Promise<LiveGateway> {
  const seed = resolveSeed(options.seed);
  const emulator = await startEmulator({ seed, port: 0, control: true, timeZone: 'UTC' });
  const transport = createTransport({ origin: emulator.url });
  const scheduler = new ManualScheduler();
  const pollMs = options.live?.pollMs ?? 1000;
  const logger = sinkLogger();
  const { apiKeys, tokens } = options;
  const auth: AuthMode = apiKeys
    ? { kind: 'keys', match: keyMatcher(apiKeys), tokens }
    : { kind: 'passthrough', tokens };
  const client = createUpstreamClient({
    baseUrl: emulator.url,
    dispatcher: transport,
    credential: apiKeys || tokens ? { kind: 'secret', secret: SECRET } : { kind: 'none' },
    // One try per poll, so that a failed poll is one call the emulator counts.
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 0 },
    onCall: upstreamReporter({ logger }),
  });
  const app = createApp({
    client,
    auth,
    logger,
    upstreamUrl: emulator.url,
    listThreshold: 20,
    concurrency: 16,
    domain: settings.domain,
    metrics: options.metrics ?? null,
    live: { ...options.live, pollMs, scheduler },
  });
  const server = createNodeServer(app);
  const { port } = await listen(server, 0, '127.0.0.1');
  const endpoint = attachWebSocket(server, {
    run: app.run,
    origins: options.origins ?? [],
    trustProxy: [],
    maxMessageBytes: 1_000_000,
  });
  // Closed once, by a shutdown test or after the file.
  let closing: Promise<void> | null = null;
  const websocket: WebSocketEndpoint = { close: (timeoutMs) => (closing ??= endpoint.close(timeoutMs)) };
  const url = `http://127.0.0.1:${port}/graphql`;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;

  /** What the current test opened, closed after it. */
  const opened = new Set<() => Promise<void>>();
  const track = (close: () => Promise<void>): (() => Promise<void>) => {
    const once = async () => {
      opened.delete(once);
      await close();
    };
    opened.add(once);
    return once;
  };

  const settled = () =>
    eventually(() => scheduler.pending === app.live.size.pollers, 'every poller to finish its poll');

  const controlCall = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__emulator/${path}: ${res.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };

  const control: ControlPlane = {
    async login(username, presence = {}) {
      return ((await controlCall('POST', 'sessions', { username, ...presence })) as { sessionId: string }).sessionId;
    },
    async setPresence(sessionId, presence) {
      await controlCall('PATCH', `sessions/${encodeURIComponent(sessionId)}`, presence);
    },
    async logout(sessionId) {
      await controlCall('DELETE', `sessions/${encodeURIComponent(sessionId)}`);
    },
    async join(occupant) {
      await controlCall('POST', 'occupants', occupant);
    },
    async leave(occupant) {
      await controlCall('DELETE', 'occupants', occupant);
    },
  };

  /** A feed of a client's `subscribe(payload, sink)` (graphql-ws and graphql-sse share the shape). */
  const sinkFeed = (
    label: string,
    subscribe: (sink: { next(value: unknown): void; error(error: unknown): void; complete(): void }) => () => void,
  ): LiveFeed => {
    let dispose: (() => void) | undefined;
    const feed = new LiveFeed(
      label,
      track(async () => dispose?.()),
    );
    dispose = subscribe({
      next: (result) => feed.push(result as LiveResult),
      error: (error) => feed.end({ kind: 'error', error }),
      complete: () => feed.end({ kind: 'complete' }),
    });
    return feed;
  };

  const gateway: LiveGateway = {
    emulator,
    app,
    scheduler,
    websocket,
    server,
    url,
    wsUrl,
    pollMs,
    control,

    async sse(query, subscribeOptions = {}) {
      const authorization = authorizationOf(subscribeOptions);
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
      if (authorization !== null) headers.authorization = authorization;
      const controller = new AbortController();
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: subscribeOptions.variables }),
        signal: controller.signal,
      });
      const body = response.body;
      const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
      if (subscribeOptions.read === false || body === null) {
        const close = track(async () => {
          controller.abort();
          await body?.cancel().catch(() => undefined);
        });
        return new SseFeed(response, close);
      }
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      const close = track(async () => {
        await reader.cancel().catch(() => undefined);
      });
      const feed = new SseFeed(response, close);
      if (!streaming) {
        // Refused before it ran: one JSON result.
        let text = '';
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
        feed.push(JSON.parse(text) as LiveResult);
        feed.end({ kind: 'closed' });
        await close();
        return feed;
      }
      void (async () => {
        let buffered = '';
        try {
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            const { events, rest } = parseSse(buffered + chunk.value);
            buffered = rest;
            for (const event of events) {
              if (event.event === 'next') feed.push(JSON.parse(event.data) as LiveResult);
              else if (event.event === 'complete') feed.end({ kind: 'complete' });
            }
          }
          feed.end({ kind: 'closed' });
        } catch (error) {
          feed.end({ kind: 'error', error });
        }
      })();
      return feed;
    },

    wsClient(clientOptions = {}) {
      const authorization = authorizationOf(clientOptions);
      const client = createWsClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: authorization === null ? {} : { Authorization: authorization },
        retryAttempts: 0,
        on: { connected: (socket) => clientOptions.onSocket?.(socket as WebSocket) },
      });
      track(async () => client.dispose());
      return client;
    },

    ws(query, subscribeOptions = {}) {
      const client = subscribeOptions.client ?? gateway.wsClient(subscribeOptions);
      return sinkFeed('WebSocket subscription', (sink) =>
        client.subscribe({ query, variables: subscribeOptions.variables }, sink),
      );
    },

    sseClient(clientOptions = {}) {
      const authorization = authorizationOf(clientOptions);
      const client = createSseClient({
        url,
        singleConnection: true,
        headers: authorization === null ? {} : { authorization },
        retryAttempts: 0,
      });
      track(async () => client.dispose());
      return client;
    },

    graphqlSse(query, subscribeOptions = {}) {
      const client = subscribeOptions.client ?? gateway.sseClient(subscribeOptions);
      return sinkFeed('GraphQL over SSE subscription', (sink) =>
        client.subscribe({ query, variables: subscribeOptions.variables }, sink),
      );
    },

    settled,

    async subscribed(count) {
      await eventually(() => app.live.size.subscriptions === count, `${count} open subscriptions`);
      await settled();
    },

    async poll(times = 1) {
      for (let i = 0; i < times; i++) {
        scheduler.advance(pollMs);
        await settled();
      }
    },

    calls: (route) => emulator.stats.toJSON().routes[route] ?? 0,
  };

  afterEach(async () => {
    await Promise.all([...opened].map((close) => close()));
    await eventually(
      () => app.live.size.subscriptions === 0 && app.live.size.pollers === 0,
      'every subscription and poller to end after the test',
    );
    emulator.load(seed);
    emulator.stats.reset();
    emulator.faults.clear();
  });

  afterAll(async () => {
    await Promise.all([...opened].map((close) => close()));
    await websocket.close(1000);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await emulator.close();
    await transport.close();
  });

  return gateway;
}
