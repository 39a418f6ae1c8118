import type { Transport } from '../../live/hub.js';

/** A GraphQL request as the WebSocket and GraphQL-over-SSE protocols carry it. */
export interface OperationParams {
  readonly query?: string;
  readonly variables?: Record<string, unknown> | null;
  readonly operationName?: string | null;
  readonly extensions?: Record<string, unknown> | null;
}

/** One result as yoga serialised it (errors already formatted and masked). */
export type FormattedResult = Record<string, unknown>;

/** Where an operation came from: its credential, its client, the transport it arrived on. */
export interface OperationSource {
  readonly transport: Transport;
  readonly authorization: string | null;
  /** Headers of the connection the operation arrived on. */
  readonly headers: Headers;
  /** The client's address, already resolved through `TRUST_PROXY` proxies. */
  readonly client: string;
}

/**
 * A running operation's results: yoga's stream of them, ended early by `return()` (the client left). `throw()` ends
 * it too: graphql-sse and graphql-ws end only what looks like an async generator.
 */
export interface ResultStream extends AsyncIterableIterator<FormattedResult> {
  return(): Promise<IteratorResult<FormattedResult>>;
  throw(): Promise<IteratorResult<FormattedResult>>;
}

type AppFetch = (request: Request, context: { req: { socket: { remoteAddress?: string } } }) => Promise<Response>;

/** Headers of the connection forwarded with each operation, for the request's log line and CORS. */
const FORWARDED = ['user-agent', 'origin'];

/**
 * Runs an operation that arrived over WebSocket or GraphQL over SSE's single connection as an ordinary `POST
 * /graphql` through the whole app, so every rule of HTTP requests applies to it unchanged: authentication, the
 * document limits, persisted operations, well-formed Unicode, budgets, logs and metrics. Results come back as yoga's
 * SSE stream and are handed on one by one; the stream is read only as fast as the transport sends, so yoga's and the
 * hub's backpressure hold.
 */
export function createBridge(app: () => AppFetch, transports: WeakMap<Request, Transport>) {
  return async function run(params: OperationParams, source: OperationSource): Promise<ResultStream> {
    const headers = new Headers({ 'content-type': 'application/json', accept: 'text/event-stream' });
    if (source.authorization !== null) headers.set('authorization', source.authorization);
    for (const name of FORWARDED) {
      const value = source.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const controller = new AbortController();
    const body = JSON.stringify({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
      extensions: params.extensions ?? undefined,
    });
    const request = new Request('http://gateway/graphql', {
      method: 'POST',
      headers,
      body,
      signal: controller.signal,
    });
    transports.set(request, source.transport);
    // The client's address as the shell would find it on a socket of its own (no X-Forwarded-For to trust again).
    const response = await app()(request, { req: { socket: { remoteAddress: source.client } } });
    return resultsOf(response, () => controller.abort());
  };
}

/** Yoga's answer as results: an SSE stream's `next` events, or a single JSON body (a request refused before it ran). */
function resultsOf(response: Response, abort: () => void): ResultStream {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream') || response.body === null) {
    let read = false;
    const single: ResultStream = {
      async next() {
        if (read) return { done: true, value: undefined };
        read = true;
        const text = await response.text();
        return { done: false, value: parseResult(text, response.status) };
      },
      async return() {
        read = true;
        abort();
        return { done: true, value: undefined };
      },
      throw: () => single.return(),
      [Symbol.asyncIterator]: () => single,
    };
    return single;
  }
  // The body's own iterator, not a reader: ending it cancels the stream at once (and so the subscription in the
  // live hub), where a reader's cancel would wait behind the read in progress until yoga's next chunk or ping.
  // Node's streams are async iterables (the DOM typings do not say so).
  const chunks = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const decoder = new TextDecoder();
  let buffered = '';
  let finished = false;
  const finish = async (): Promise<IteratorResult<FormattedResult>> => {
    if (!finished) {
      finished = true;
      abort();
      void chunks.return?.().catch(() => undefined);
    }
    return { done: true, value: undefined };
  };
  const stream: ResultStream = {
    async next() {
      while (!finished) {
        const end = buffered.indexOf('\n\n');
        if (end >= 0) {
          const event = parseEvent(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          if (event === 'complete') return finish();
          if (event !== null) return { done: false, value: event };
          continue;
        }
        const chunk = await chunks.next().catch(() => ({ done: true, value: undefined }));
        if (chunk.done) return finish();
        buffered += decoder.decode(chunk.value, { stream: true });
      }
      return { done: true, value: undefined };
    },
    return: finish,
    throw: finish,
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/** One SSE event: a `next` event's result, `complete`, or null for comments (yoga's keep-alive pings). */
function parseEvent(block: string): FormattedResult | 'complete' | null {
  let event = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trimStart();
  }
  if (event === 'complete') return 'complete';
  return event === 'next' && data !== '' ? (JSON.parse(data) as FormattedResult) : null;
}

function parseResult(text: string, status: number): FormattedResult {
  try {
    return JSON.parse(text) as FormattedResult;
  } catch {
    return { errors: [{ message: `The gateway answered HTTP ${status}.` }] };
  }
}
