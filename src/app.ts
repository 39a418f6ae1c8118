import { createServerAdapter } from '@whatwg-node/server';
import type { AuthMode } from './auth/identify.js';
import { admissionGate, DEFAULT_ADMISSION } from './graphql/admission/gate.js';
import { createGraphQLEndpoint, type GraphQLEndpointOptions } from './graphql/endpoint.js';
import { createGraphiQL, type GraphiQLOption } from './graphql/graphiql.js';
import { DEFAULT_BROWSER, type GuardOptions } from './graphql/plugins/guards.js';
import { createBridge } from './graphql/transports/bridge.js';
import { singleConnectionSSE } from './graphql/transports/graphql-sse.js';
import { type Router, type ServerContext, shell } from './http/shell.js';
import { createLegacyEndpoint, type LegacyOptions } from './legacy/endpoint.js';
import { DEFAULT_LIVE, LiveHub, type LiveHubOptions, type LiveSettings, type Transport } from './live/hub.js';
import { liveReporter } from './observability/live.js';
import { createLogger, type Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Observation, Observations } from './observability/observation.js';
import { requestLog } from './observability/request-log.js';
import { metricsEndpoint } from './ops/metrics-endpoint.js';
import { createReadiness, type Readiness, readyzResponse } from './ops/readiness.js';
import type { UserPolicy } from './request/caller.js';
import { domainSource } from './request/domain.js';
import { DEFAULT_FAIR_SHARE, type FairShare, fairShare } from './request/fair-share.js';
import type { LoaderOptions } from './request/loaders.js';
import { DEFAULT_BUDGET } from './request/upstream.js';
import type { UpstreamClient } from './upstream/client.js';

/**
 * What the app is built from; `main.ts` assembles it from the configuration. `limits`, `browser` and `persisted`
 * (src/plugins/guards.ts) default to the configuration's defaults.
 */
export interface AppDeps extends LoaderOptions, GuardOptions {
  readonly client: UpstreamClient;
  /** How callers are identified: API keys or passthrough, and tokens beside either (src/auth/identify.ts). */
  readonly auth: AuthMode;
  /**
   * `AUTH_USER_PASSWORD_CHANGE`, `AUTH_USER_DIRECTORY`: what end users may do (default: both); every request scope
   * carries it (`ctx.userPolicy` in resolvers).
   */
  readonly userPolicy?: UserPolicy;
  /** The Openfire REST API base URL, reported by `/healthz`. */
  readonly upstreamUrl: string;
  /** Upstream calls one request may have in flight at once. */
  readonly concurrency: number;
  /** The XMPP domain when known (`XMPP_DOMAIN`, or the embedded emulator's); saves a lookup per request. */
  readonly domain?: string | null;
  /** `REQUEST_TIMEOUT_MS`: upstream calls still running then are aborted and answered `UPSTREAM_TIMEOUT`. */
  readonly requestTimeoutMs?: number;
  /** `MAX_UPSTREAM_CALLS`: upstream calls one request may make in total. */
  readonly maxUpstreamCalls?: number;
  /** `MAX_INFLIGHT_COST`: expensive operations wait while those running are expected to be this large together. */
  readonly maxInflightCost?: number;
  /** `GRAPHQL_JIT`: queries and mutations run compiled by graphql-jit (default on); off, graphql-js runs everything. */
  readonly jit?: GraphQLEndpointOptions['jit'];
  /** The upstream pool shared between callers (`UPSTREAM_CONNECTIONS`, `UPSTREAM_CALLER_CONCURRENCY`). */
  readonly share?: FairShare;
  /** GraphiQL at `GET /graphql` for browsers (default on); `defaultHeaders` pre-fill its headers editor. */
  readonly graphiql?: GraphiQLOption;
  /** The legacy `/userservice` (disabled unless a secret is given). */
  readonly legacy?: LegacyOptions;
  /** One JSON line per request and more (src/observability/logger.ts); silent when absent. */
  readonly logger?: Logger;
  /** Prometheus metrics served at `/metrics`; absent or `null`: no such route. */
  readonly metrics?: Metrics | null;
  /** `METRICS_TOKEN`: `/metrics` then needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | null;
  /** `TRUST_PROXY`: proxies whose `X-Forwarded-For` names the client in log lines. */
  readonly trustProxy?: readonly string[];
  /** `/readyz`; by default probes Openfire through `client` (`main.ts` passes its own to drain it on shutdown). */
  readonly readiness?: Readiness;
  /**
   * `SUBSCRIPTION_*` settings (defaults: `DEFAULT_LIVE`); with `REDIS_URL`, how replicas take turns polling; tests
   * pass a scheduler to step polls without waiting.
   */
  readonly live?: Partial<LiveSettings> & Pick<LiveHubOptions, 'scheduler' | 'coordinate' | 'permits'>;
}

/** `CallOptions.onCall` counting a request's upstream calls for its log line. */
const countCallOf = (observation: Observation | undefined) =>
  observation ? () => void observation.upstreamCalls++ : undefined;

/**
 * The gateway as one fetch handler: GraphQL at `/graphql` (GraphiQL for browsers, assets under `/graphiql/`), the
 * legacy userservice at its four paths, `/healthz` (process alive) and `/readyz` (Openfire ready). Tests call
 * `app.fetch`; `main.ts` gives it to `node:http`.
 */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? createLogger({ level: 'silent', destination: { write: () => undefined } });
  const metrics = deps.metrics ?? null;
  const observations: Observations = new WeakMap();
  const share = deps.share ?? fairShare(DEFAULT_FAIR_SHARE);
  const domains = domainSource({
    configured: deps.domain ?? null,
    onRefreshError: (error) => logger.warn({ err: error }, 'reading xmpp.domain again failed; the known value stays'),
  });
  const live = new LiveHub({
    ...DEFAULT_LIVE,
    ...deps.live,
    client: deps.client,
    share,
    report: liveReporter({ logger, metrics }),
  });
  const transports = new WeakMap<Request, Transport>();
  // Operations arriving over WebSocket or GraphQL over SSE's single connection run through the finished app.
  const run = createBridge(() => async (request, context) => app.fetch(request, context), transports);
  const singleConnection = singleConnectionSSE({
    run,
    buffer: live.settings.buffer,
    csrfPrevention: deps.browser?.csrfPrevention ?? DEFAULT_BROWSER.csrfPrevention,
    clientOf: (request) => observations.get(request)?.client ?? '',
  });
  const admission = admissionGate({ ...DEFAULT_ADMISSION, maxCost: deps.maxInflightCost ?? DEFAULT_ADMISSION.maxCost });
  const graphql = createGraphQLEndpoint({
    ...deps,
    live,
    transports,
    singleConnection: singleConnection.plugin,
    budget: {
      concurrency: deps.concurrency,
      maxCalls: deps.maxUpstreamCalls ?? DEFAULT_BUDGET.maxCalls,
      timeoutMs: deps.requestTimeoutMs ?? DEFAULT_BUDGET.timeoutMs,
    },
    domains,
    share,
    admission,
    onBatch: metrics ? metrics.batch : deps.onBatch,
    logger,
    observations,
  });
  const graphiql = deps.graphiql === false ? null : createGraphiQL(deps.graphiql ?? {}, deps.auth.kind);
  const legacy = createLegacyEndpoint({
    client: deps.client,
    domains,
    share,
    options: deps.legacy ?? { secret: null },
  });
  const metricsPage = metrics ? metricsEndpoint(metrics, deps.metricsToken ?? null) : null;
  const readiness = deps.readiness ?? createReadiness({ client: deps.client });
  const notFound = () =>
    new Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const readOnly = (request: Request) => request.method === 'GET' || request.method === 'HEAD';
  const router: Router = (request, { route, pathname, client, observation }) => {
    switch (route) {
      case '/graphql': {
        const page = graphiql?.(request, pathname);
        if (page) return page;
        observations.set(request, observation);
        return graphql(request);
      }
      case '/graphiql':
        return graphiql?.(request, pathname) ?? notFound();
      case '/healthz':
        return readOnly(request) ? Response.json({ status: 'ok', upstream: deps.upstreamUrl }) : notFound();
      case '/readyz':
        return readOnly(request) ? readyzResponse(readiness) : notFound();
      case '/metrics':
        return metricsPage?.(request) ?? notFound();
      case '/userservice':
        // State-changing types arrive as GET, so HEAD (which would run them unseen) is refused too
        // (openfire-rest-api.md §12.6 item 6).
        if (request.method !== 'GET' && request.method !== 'POST')
          return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
        return legacy(request, client, {
          onCall: countCallOf(observation),
          onOutcome: (outcome) => {
            observation.legacy = outcome;
          },
        });
      default:
        return notFound();
    }
  };
  const app = createServerAdapter<ServerContext>(
    shell(router, { logger, report: requestLog(logger, metrics), trustProxy: deps.trustProxy ?? [] }),
  );
  return Object.assign(app, {
    /** The live topics, for tests and metrics. */
    live,
    /** Expensive operations running and waiting, for tests. */
    admission,
    /** Runs an operation through the app; the WebSocket endpoint hands its operations to it. */
    run,
    /**
     * Graceful shutdown: every subscription ends with a completion, GraphQL over SSE's single connections close once
     * theirs went out, and no new subscription is accepted.
     */
    closeStreams() {
      live.close();
      singleConnection.close();
    },
  });
}
