import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin, type YogaServerOptions } from 'graphql-yoga';

/** The limits checked before an operation runs (the deadline and the upstream-call cap apply while it runs). */
export interface DocumentLimits {
  /** `BODY_LIMIT`: the largest request body, in bytes. */
  readonly bodyBytes: number;
  /** `GRAPHQL_MAX_DEPTH`: the deepest field nesting; introspection is not counted. */
  readonly maxDepth: number;
  /** `GRAPHQL_MAX_ALIASES` */
  readonly maxAliases: number;
  /** `GRAPHQL_MAX_TOKENS`: names, punctuation and values in one document. */
  readonly maxTokens: number;
  /** `GRAPHQL_MAX_BATCH`: operations in one batched request; 1 turns batching off. */
  readonly maxBatch: number;
}

export const DEFAULT_LIMITS: DocumentLimits = {
  bodyBytes: 1_048_576,
  maxDepth: 15,
  maxAliases: 50,
  maxTokens: 5000,
  maxBatch: 10,
};

function limitError(message: string, status: number): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status } } });
}

const bodyError = (limits: DocumentLimits) =>
  limitError(`Request body exceeds BODY_LIMIT (${limits.bodyBytes} bytes)`, 413);

/** What `createYoga` must be told: batching, and no body limit of its own (useRequestSize applies BODY_LIMIT). */
export function yogaLimitOptions(
  limits: DocumentLimits,
): Pick<YogaServerOptions<object, object>, 'batching' | 'maxRequestBodySize'> {
  return { batching: limits.maxBatch > 1 ? { limit: limits.maxBatch } : false, maxRequestBodySize: false };
}

type FetchAPI = Parameters<NonNullable<Plugin['onRequestParse']>>[0]['fetchAPI'];

/**
 * The request with a body that fails once more than BODY_LIMIT bytes have passed, for bodies streamed without
 * `content-length`. A native stream needs the native TransformStream, a ponyfilled one the ponyfill's.
 */
function capped(request: Request, limits: DocumentLimits, fetchAPI: FetchAPI): Request {
  const source = request.body;
  // Without a body there is nothing to count.
  if (source === null) return request;
  const Transform = source instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const body = source.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limits.bodyBytes) controller.error(bodyError(limits));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}

/**
 * Body size and batch size, checked while the request is parsed, so with messages naming their settings. A body
 * with a valid `content-length` is not counted again: node's HTTP parser delivers exactly that many bytes. (Yoga's
 * own limit pipes every body through a counting stream, a few percent of a small query's cost.)
 */
function useRequestSize(limits: DocumentLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!/^\d+$/.test(length)) throw limitError('Content-Length is not a number', 400);
        if (Number(length) > limits.bodyBytes) throw bodyError(limits);
      } else if (requestParser && request.body) {
        setRequestParser((req) => requestParser(capped(req, limits, fetchAPI)));
      }
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult)) return;
          if (limits.maxBatch === 1) throw limitError('Batched requests are off (GRAPHQL_MAX_BATCH is 1)', 400);
          if (requestParserResult.length > limits.maxBatch) {
            throw limitError(
              `Batch of ${requestParserResult.length} operations exceeds GRAPHQL_MAX_BATCH (${limits.maxBatch})`,
              413,
            );
          }
        },
      };
    },
  };
}

/**
 * A depth or alias refusal, reported as a validation error: HTTP 400, or 200 to clients accepting only
 * `application/json`. graphql-armor hands `onReject` no count (only `onAccept` gets one), so the message names the
 * setting and its value, not what was found.
 */
const reportAs = (message: string) => ({
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null) => context?.reportError(limitError(message, 400))],
});

/** Every limit a request meets before anything runs; each refusal is `BAD_USER_INPUT` naming its setting. */
export function useLimits(limits: DocumentLimits): Plugin[] {
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
    maxDepthPlugin({
      n: limits.maxDepth,
      ignoreIntrospection: true,
      ...reportAs(`Query depth exceeds GRAPHQL_MAX_DEPTH (${limits.maxDepth})`),
    }),
    maxAliasesPlugin({
      n: limits.maxAliases,
      ...reportAs(`Query has more aliases than GRAPHQL_MAX_ALIASES (${limits.maxAliases})`),
    }),
  ];
}
