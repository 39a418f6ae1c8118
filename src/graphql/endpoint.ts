import { getOperationAST } from 'graphql';
import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga';
import { type AuthMode, identify } from '../auth/identify.js';
import type { Logger } from '../observability/logger.js';
import type { Observations } from '../observability/observation.js';
import { yogaLogger } from '../observability/yoga-logger.js';
import type { DomainSource } from '../request/domain.js';
import type { FairShare } from '../request/fair-share.js';
import type { LoaderOptions } from '../request/loaders.js';
import { createRequestScope, type RequestScope } from '../request/scope.js';
import type { Budget } from '../request/upstream.js';
import type { Context } from '../schema/context.js';
import { gatewayError, toGraphQLError } from '../schema/errors.js';
import { schema } from '../schema/index.js';
import type { UpstreamClient } from '../upstream/client.js';
import { type GuardOptions, guardOptions } from './plugins/guards.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';

export interface GraphQLEndpointOptions extends GuardOptions, LoaderOptions {
  readonly client: UpstreamClient;
  readonly auth: AuthMode;
  readonly budget: Budget;
  readonly domains: DomainSource;
  readonly share: FairShare;
  readonly logger: Logger;
  /** Where each request's operations and upstream calls are reported (see `Observations`). */
  readonly observations: Observations;
}

/** Answered with HTTP 401 before any upstream call. */
function unauthenticated(auth: AuthMode) {
  const how =
    auth.kind === 'keys'
      ? 'an API key as "Authorization: Bearer <key>"'
      : 'your Openfire credential in the Authorization header';
  return createGraphQLError(`Send ${how}.`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Read keys may query but not mutate. */
const readOnlyGuard: Plugin<Context> = {
  onExecute({ args, setResultAndStopExecution }) {
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (operation?.operation === 'mutation' && (args.contextValue as Context).caller.role === 'read') {
      setResultAndStopExecution({
        errors: [gatewayError('FORBIDDEN', 'This API key may only read; mutations need an admin key.')],
      });
    }
  },
};

/**
 * `/graphql`: yoga with the schema and its guards. Each HTTP request gets one request scope, made by the first of
 * its operations to run and shared by the rest of a batch; once the response is decided the scope is closed, so
 * upstream calls still running for it (a failed field ended its operation) are cancelled.
 */
export function createGraphQLEndpoint(options: GraphQLEndpointOptions): (request: Request) => Promise<Response> {
  const { client, auth, observations } = options;
  const guards = guardOptions(options);
  const scopes = new WeakMap<Request, RequestScope>();
  const scopeOf = (request: Request): RequestScope => {
    const known = scopes.get(request);
    if (known) return known;
    const caller = identify(auth, request.headers.get('authorization'));
    if (!caller) throw unauthenticated(auth);
    const observation = observations.get(request);
    const scope = createRequestScope(
      client,
      caller,
      {
        requestId: request.headers.get('x-request-id') ?? undefined,
        signal: request.signal,
        onCall: observation ? () => void observation.upstreamCalls++ : undefined,
      },
      {
        budget: options.budget,
        domains: options.domains,
        share: options.share,
        listThreshold: options.listThreshold,
        onBatch: options.onBatch,
        mapError: toGraphQLError,
      },
    );
    scopes.set(request, scope);
    return scope;
  };
  const yoga = createYoga<Record<string, unknown>, Context>({
    ...guards,
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Yoga's own GraphiQL loads its scripts from a CDN; ours is served by the gateway (src/http/graphiql.ts).
    graphiql: false,
    logging: yogaLogger(options.logger),
    plugins: [useOperationMetrics(observations), ...guards.plugins, readOnlyGuard],
    context: ({ request }) => scopeOf(request),
  });
  return async (request) => {
    try {
      return await yoga.fetch(request);
    } finally {
      scopes.get(request)?.close();
    }
  };
}
