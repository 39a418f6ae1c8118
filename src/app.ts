import { createServerAdapter } from '@whatwg-node/server';
import { getOperationAST } from 'graphql';
import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga';
import { type Context, type ContextOptions, createContext } from './context.js';
import { type AuthMode, identify } from './http/auth.js';
import { createGraphiQL, type GraphiQLOption } from './http/graphiql.js';
import { createReadiness, type Readiness, readyzResponse } from './http/readiness.js';
import { createLegacyEndpoint, LEGACY_PATHS, type LegacyOptions } from './legacy/endpoint.js';
import { observe } from './observability/http.js';
import { createLogger, type Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import { metricsEndpoint } from './observability/metrics-endpoint.js';
import type { Observation, Observations } from './observability/observation.js';
import { yogaLogger } from './observability/yoga-logger.js';
import { type GuardOptions, guardOptions } from './plugins/guards.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';
import { gatewayError } from './schema/errors.js';
import { schema } from './schema/index.js';
import type { UpstreamClient } from './upstream/client.js';

/**
 * What the app is built from; `main.ts` assembles it from the configuration. `limits`, `browser` and `persisted`
 * (src/plugins/guards.ts) default to the configuration's defaults.
 */
export interface AppDeps extends ContextOptions, GuardOptions {
  readonly client: UpstreamClient;
  readonly auth: AuthMode;
  /** The Openfire REST API base URL, reported by `/healthz`. */
  readonly upstreamUrl: string;
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
}

/**
 * What node's HTTP server hands the adapter; tests calling `app.fetch` may pass `{ req: { socket: { remoteAddress } }
 * }`.
 */
interface ServerContext {
  readonly req?: { readonly socket?: { readonly remoteAddress?: string } };
}

/** Answered with HTTP 401 before any upstream call. */
function unauthenticated(auth: AuthMode) {
  const how =
    auth.kind === 'keys'
      ? 'an API key as "Authorization: Bearer <key>"'
      : 'your Openfire credential in the Authorization header';
  return createGraphQLError(`Send ${how}.`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** `CallOptions.onCall` counting a request's upstream calls for its log line. */
const countCallOf = (observation: Observation | undefined) =>
  observation ? () => void observation.upstreamCalls++ : undefined;

/** Read keys may query but not mutate. */
const readOnlyGuard: Plugin<Context> = {
  onExecute({ args, setResultAndStopExecution }) {
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (operation?.operation === 'mutation' && (args.contextValue as Context).role === 'read') {
      setResultAndStopExecution({
        errors: [gatewayError('FORBIDDEN', 'This API key may only read; mutations need an admin key.')],
      });
    }
  },
};

/** Once an operation's result is decided, upstream calls still running for it are cancelled. */
const finishUpstream: Plugin<Context> = {
  onExecute({ args }) {
    return { onExecuteDone: () => (args.contextValue as Context).finish() };
  },
};

/**
 * The gateway as one fetch handler: GraphQL at `/graphql` (GraphiQL for browsers, assets under `/graphiql/`), the
 * legacy userservice at its four paths, `/healthz` (process alive) and `/readyz` (Openfire ready). Tests call
 * `app.fetch`; `main.ts` gives it to `node:http`.
 */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? createLogger({ level: 'silent', destination: { write: () => undefined } });
  const metrics = deps.metrics ?? null;
  const contextOptions: ContextOptions = metrics ? { ...deps, onBatch: metrics.batch } : deps;
  const guards = guardOptions(deps);
  const observations: Observations = new WeakMap();
  const yoga = createYoga<Record<string, unknown>, Context>({
    ...guards,
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Yoga's own GraphiQL loads its scripts from a CDN; ours is served by the gateway (src/http/graphiql.ts).
    graphiql: false,
    logging: yogaLogger(logger),
    plugins: [useOperationMetrics(observations), ...guards.plugins, readOnlyGuard, finishUpstream],
    context: ({ request }) => {
      const caller = identify(deps.auth, request.headers.get('authorization'));
      if (!caller) throw unauthenticated(deps.auth);
      return createContext(
        deps.client,
        {
          role: caller.role,
          authorization: caller.authorization,
          requestId: request.headers.get('x-request-id') ?? undefined,
          signal: request.signal,
          onCall: countCallOf(observations.get(request)),
        },
        contextOptions,
      );
    },
  });
  const graphiql = deps.graphiql === false ? null : createGraphiQL(deps.graphiql ?? {}, deps.auth.kind);
  const legacy = createLegacyEndpoint({
    client: deps.client,
    domain: deps.domain ?? null,
    options: deps.legacy ?? { secret: null },
  });
  const metricsPage = metrics ? metricsEndpoint(metrics, deps.metricsToken ?? null) : null;
  const readiness = deps.readiness ?? createReadiness({ client: deps.client });
  const serve = (request: Request, context: ServerContext, observation: Observation): Response | Promise<Response> => {
    const { pathname } = new URL(request.url);
    const page = graphiql?.(request, pathname);
    if (page) return page;
    if (pathname === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
      return Response.json({ status: 'ok', upstream: deps.upstreamUrl });
    }
    if (pathname === '/readyz' && (request.method === 'GET' || request.method === 'HEAD'))
      return readyzResponse(readiness);
    if (pathname === '/graphql') {
      observations.set(request, observation);
      return yoga.fetch(request);
    }
    if (pathname === '/metrics' && metricsPage) return metricsPage(request);
    if (LEGACY_PATHS.has(pathname)) {
      // State-changing types arrive as GET, so HEAD (which would run them unseen) is refused too
      // (openfire-rest-api.md §12.6 item 6).
      if (request.method !== 'GET' && request.method !== 'POST')
        return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
      return legacy(request, context.req?.socket?.remoteAddress ?? '', {
        onCall: countCallOf(observation),
        onOutcome: (outcome) => (observation.legacy = outcome),
      });
    }
    return new Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
  return createServerAdapter<ServerContext>(observe(serve, { logger, metrics, trustProxy: deps.trustProxy ?? [] }));
}
