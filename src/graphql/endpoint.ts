import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga';
import { type AuthMode, type Identity, identify } from '../auth/identify.js';
import type { LiveHub, Transport } from '../live/hub.js';
import type { Logger } from '../observability/logger.js';
import type { Observations } from '../observability/observation.js';
import { yogaLogger } from '../observability/yoga-logger.js';
import type { UserPolicy } from '../request/caller.js';
import { type DomainSource, readDomain } from '../request/domain.js';
import type { FairShare } from '../request/fair-share.js';
import type { LoaderOptions } from '../request/loaders.js';
import { createRequestScope, type RequestScope } from '../request/scope.js';
import type { Budget } from '../request/upstream.js';
import type { Context } from '../schema/context.js';
import { toGraphQLError } from '../schema/errors.js';
import { schema } from '../schema/index.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { Gate } from './admission/gate.js';
import { type GuardOptions, guardOptions } from './plugins/guards.js';
import { useAdmission } from './plugins/use-admission.js';
import { type CompiledExecutionOptions, useCompiledExecution } from './plugins/use-compiled-execution.js';
import { useEventStream } from './plugins/use-event-stream.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';
import { useSharedEvents } from './plugins/use-shared-events.js';

export interface GraphQLEndpointOptions extends GuardOptions, LoaderOptions {
  readonly client: UpstreamClient;
  readonly auth: AuthMode;
  /** What end users may do beyond their own data; resolvers find it on the request scope (`ctx.userPolicy`). */
  readonly userPolicy?: UserPolicy;
  readonly budget: Budget;
  readonly domains: DomainSource;
  readonly share: FairShare;
  readonly logger: Logger;
  /** Where each request's operations and upstream calls are reported (see `Observations`). */
  readonly observations: Observations;
  /** Live topics for subscriptions. */
  readonly live: LiveHub;
  /**
   * The transport of requests the WebSocket and GraphQL-over-SSE bridges make (transports.ts); any other request
   * subscribes over SSE.
   */
  readonly transports: WeakMap<Request, Transport>;
  /** GraphQL over SSE's single-connection mode (transports/graphql-sse.ts), after the guards. */
  readonly singleConnection: Plugin;
  /**
   * `GRAPHQL_JIT`: queries and mutations run compiled by graphql-jit (plugins/use-compiled-execution.ts); default on.
   * Options instead of `true` are for tests (a compiler that fails).
   */
  readonly jit?: boolean | CompiledExecutionOptions;
  /** Expensive operations wait here for their turn (`MAX_INFLIGHT_COST`, admission/gate.ts). */
  readonly admission: Gate;
}

/** Answered with HTTP 401 (503 when a token could not be checked) before any upstream call. */
function unauthenticated(auth: AuthMode, identity: Exclude<Identity, { kind: 'caller' }>) {
  if (identity.kind === 'refused') {
    const { reason } = identity;
    // RFC 6750 section 3: the reason as error_description; reasons are fixed texts without quotes, never the token.
    const challenge = `Bearer error="invalid_token", error_description="${reason}"`;
    return createGraphQLError(`Token refused: ${reason}.`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': challenge } } },
    });
  }
  if (identity.kind === 'unavailable') {
    return createGraphQLError(`The token could not be checked: ${identity.reason}. Try again later.`, {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', http: { status: 503 } },
    });
  }
  const how =
    auth.kind === 'keys'
      ? 'an API key as "Authorization: Bearer <key>"'
      : 'your Openfire credential in the Authorization header';
  const token = auth.tokens ? ', or a token as "Authorization: Bearer <token>"' : '';
  return createGraphQLError(`Send ${how}${token}.`, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, ...(auth.tokens && { headers: { 'WWW-Authenticate': 'Bearer' } }) },
    },
  });
}

/**
 * `/graphql`: yoga with the schema and its guards. Each HTTP request gets one request scope, made by the first of
 * its operations to run and shared by the rest of a batch; once the response is decided the scope is closed, so
 * upstream calls still running for it (a failed field ended its operation) are cancelled.
 */
export function createGraphQLEndpoint(options: GraphQLEndpointOptions): (request: Request) => Promise<Response> {
  const { client, auth, observations } = options;
  const guards = guardOptions(options);
  const scopes = new WeakMap<Request, Promise<RequestScope>>();
  const open = async (request: Request): Promise<RequestScope> => {
    const observation = observations.get(request);
    const requestId = request.headers.get('x-request-id') ?? undefined;
    const onCall = observation ? () => void observation.upstreamCalls++ : undefined;
    const identity = await identify(auth, request.headers.get('authorization'), {
      // Only a token whose username claim is a JID needs the domain: configured, or read once with the gateway's
      // own credential.
      domain: () => readDomain(options.domains, client, { requestId, onCall }),
    });
    if (identity.kind !== 'caller') {
      if (identity.kind === 'refused')
        options.logger.info({ requestId: observation?.id, reason: identity.reason }, 'token refused');
      if (identity.kind === 'unavailable')
        options.logger.warn({ requestId: observation?.id, reason: identity.reason }, 'token could not be checked');
      throw unauthenticated(auth, identity);
    }
    return createRequestScope(
      client,
      identity.caller,
      { requestId, signal: request.signal, onCall },
      {
        budget: options.budget,
        userPolicy: options.userPolicy,
        domains: options.domains,
        share: options.share,
        listThreshold: options.listThreshold,
        onBatch: options.onBatch,
        mapError: toGraphQLError,
      },
    );
  };
  /** One scope per HTTP request, identified once: every operation of a batch shares it. */
  const scopeOf = (request: Request): Promise<RequestScope> => {
    let scope = scopes.get(request);
    if (!scope) {
      scope = open(request);
      scopes.set(request, scope);
    }
    return scope;
  };
  const yoga = createYoga<Record<string, never>, Context>({
    ...guards,
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Yoga's own GraphiQL loads its scripts from a CDN; ours is served by the gateway (src/http/graphiql.ts).
    graphiql: false,
    logging: yogaLogger(options.logger),
    plugins: [
      useOperationMetrics(observations),
      ...guards.plugins,
      ...(options.jit === false ? [] : [useCompiledExecution(schema, options.jit === true ? {} : options.jit)]),
      // After the compiled execution, so that what it holds back is the execution that runs.
      useAdmission(options.admission),
      useSharedEvents(),
      useEventStream(),
      options.singleConnection,
    ],
    context: async ({ request }) => {
      const scope = await scopeOf(request);
      // The spread last: properties after a spread make the object slow to build under Node 20's V8.
      return { live: options.live.access(scope.caller, options.transports.get(request) ?? 'sse'), ...scope };
    },
  });
  // Yoga gets no server context: its adapter would copy it property by property, with descriptors, on every request
  // (docs/benchmarks.md, S1); the client's address reaches the single-connection plugin through the app instead.
  return async (request) => {
    try {
      return await yoga.fetch(request);
    } finally {
      await scopes.get(request)?.then(
        (scope) => scope.close(),
        () => undefined,
      );
    }
  };
}
