import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';

/** The limits checked before an operation runs (the deadline and the upstream-call cap apply while it runs). */
export type RequestLimits = Pick<GatewayConfig['limits'], 'bodyBytes' | 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxBatch'>;

function limitError(message: string, status: number): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status } } });
}

/** graphql-armor reports what it found only in its message ("…, found 16."). */
const found = (error: GraphQLError, limit: number): string => /found (\d+)/.exec(error.message)?.[1] ?? `over ${limit}`;

const bodyError = (limits: RequestLimits) => limitError(`Request body exceeds BODY_LIMIT (${limits.bodyBytes} bytes)`, 413);

/** Yoga's own body limit, which also counts bodies streamed without `content-length`, names no setting. */
const isYogaBodyError = (error: unknown): boolean =>
  (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE';

/** What `createYoga` must be told for the body and batch limits to apply. */
export function yogaLimitOptions(limits: RequestLimits): Pick<YogaServerOptions<object, object>, 'batching' | 'maxRequestBodySize'> {
  return { batching: limits.maxBatch > 1 ? { limit: limits.maxBatch } : false, maxRequestBodySize: limits.bodyBytes };
}

/** Body size and batch size, checked while the request is parsed, so with messages naming their settings. */
function useRequestSize(limits: RequestLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const length = request.headers.get('content-length');
      if (length !== null && Number(length) > limits.bodyBytes) throw bodyError(limits);
      if (requestParser) {
        setRequestParser(async (req) => {
          try {
            return await requestParser(req);
          } catch (error) {
            throw isYogaBodyError(error) ? bodyError(limits) : error;
          }
        });
      }
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult)) return;
          if (limits.maxBatch === 1) throw limitError('Batched requests are off (GRAPHQL_MAX_BATCH is 1)', 400);
          if (requestParserResult.length > limits.maxBatch) {
            throw limitError(`Batch of ${requestParserResult.length} operations exceeds GRAPHQL_MAX_BATCH (${limits.maxBatch})`, 413);
          }
        },
      };
    },
  };
}

/** A rejection reported as a validation error: HTTP 400, or 200 to clients accepting only `application/json`. */
const report = (message: (error: GraphQLError) => string) => ({
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitError(message(error), 400))],
});

/** Every limit a request meets before anything runs; each refusal is `BAD_USER_INPUT` naming its setting. */
export function useLimits(limits: RequestLimits): Plugin[] {
  return [
    useRequestSize(limits),
    maxTokensPlugin({
      n: limits.maxTokens,
      // The parser has no validation context to report to: the error is thrown, and answered as a syntax error.
      onReject: [
        () => {
          throw limitError(`Query has more tokens than GRAPHQL_MAX_TOKENS (${limits.maxTokens})`, 400);
        },
      ],
    }),
    // Introspection (`__schema`) is not counted, so GraphiQL and codegen keep working under any limit.
    maxDepthPlugin({ n: limits.maxDepth, ...report((e) => `Query depth ${found(e, limits.maxDepth)} exceeds GRAPHQL_MAX_DEPTH (${limits.maxDepth})`) }),
    maxAliasesPlugin({
      n: limits.maxAliases,
      ...report((e) => `Query has ${found(e, limits.maxAliases)} aliases, more than GRAPHQL_MAX_ALIASES (${limits.maxAliases})`),
    }),
  ];
}
