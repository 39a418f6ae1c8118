import { createHandler } from 'graphql-sse/lib/use/fetch';
import type { Plugin } from 'graphql-yoga';
import { CSRF_HEADER } from '../plugins/use-csrf.js';
import type { OperationParams, OperationSource, ResultStream } from './bridge.js';

/** graphql-sse's names for the stream reservation token, in a header or the query string. */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const TOKEN_PARAM = 'token';

export interface SingleConnectionOptions {
  /** Runs one operation through the app (bridge.ts). */
  readonly run: (params: OperationParams, source: OperationSource) => Promise<ResultStream>;
  /** `SUBSCRIPTION_BUFFER`: a connection this many events behind is closed. */
  readonly buffer: number;
  /** `CSRF_PREVENTION`: requests a browser may send without a preflight must carry the CSRF header. */
  readonly csrfPrevention: boolean;
  /** The client's address, through `TRUST_PROXY` proxies only, as the HTTP shell found it for this request. */
  readonly clientOf: (request: Request) => string;
}

const tokenOf = (request: Request): string | null =>
  request.headers.get(TOKEN_HEADER) ?? new URL(request.url).searchParams.get(TOKEN_PARAM);

/** Whether a request belongs to the single-connection mode: a reservation, or anything naming a reserved stream. */
const isSingleConnection = (request: Request): boolean =>
  request.method === 'PUT' || request.method === 'DELETE' || tokenOf(request) !== null;

/**
 * Operations a browser could start cross-site without a preflight: a POST without a body type or with a form or text
 * body (as yoga's CSRF prevention defines them). PUT and DELETE are always preflighted, and a GET only opens a
 * stream reserved under an unguessable token, running nothing (so EventSource and graphql-sse's client may open it).
 */
const simpleRequest = (request: Request): boolean => {
  if (request.method !== 'POST') return false;
  const type = request.headers.get('content-type');
  return (
    type === null ||
    ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'].some((t) => type.startsWith(t))
  );
};

/** One open stream of the single-connection mode, as this plugin watches it. */
interface Watched {
  /** `next` events its operations produced, and those its reader took. */
  produced: number;
  consumed: number;
  /** Operations started on it, and their `complete` events its reader took. */
  started: number;
  completed: number;
  /** The gateway is stopping: the connection ends once every operation's `complete` went out. */
  closing: boolean;
  /** Ends the connection (`error`: it fell behind). */
  end(error?: Error): void;
}

export interface SingleConnectionSSE {
  readonly plugin: Plugin;
  /**
   * Graceful shutdown, after the live hub ended its streams: each connection closes once the `complete` of every
   * operation on it has been sent.
   */
  close(): void;
}

/**
 * The single-connection mode of the GraphQL over SSE protocol (graphql-sse's own handler) on `/graphql`: `PUT`
 * reserves a stream, a request with the token opens it, `POST`s with the token start operations on it and `DELETE`
 * stops one. Yoga keeps answering everything else, including the distinct-connection mode. Each operation runs
 * through the bridge like an HTTP request. graphql-sse queues a stream's messages without bound, so the plugin counts
 * what each stream's reader has taken and closes a connection that falls `buffer` events behind.
 */
export function singleConnectionSSE(options: SingleConnectionOptions): SingleConnectionSSE {
  const streams = new Map<string, Watched>();
  const sources = new WeakMap<Request, OperationSource>();
  const streamOf = (req: { raw: Request }): Watched | undefined => {
    const token = tokenOf(req.raw);
    return token === null ? undefined : streams.get(token);
  };
  const handler = createHandler({
    onSubscribe: (req, params) => {
      const source = sources.get(req.raw);
      if (source === undefined) throw new Error('graphql-sse called back for a request it was not given');
      const stream = streamOf(req);
      if (stream) stream.started++;
      return options.run(params, source);
    },
    onNext: (_ctx, req) => {
      const stream = streamOf(req);
      if (stream === undefined) return;
      stream.produced++;
      if (stream.produced - stream.consumed > options.buffer) {
        stream.end(new Error(`the stream fell more than ${options.buffer} events behind (SUBSCRIPTION_BUFFER)`));
      }
    },
  });
  const watched = (token: string, response: Response): Response => {
    if (response.body === null || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      return response;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let outer: ReadableStreamDefaultController<Uint8Array> | null = null;
    const stream: Watched = {
      produced: 0,
      consumed: 0,
      started: 0,
      completed: 0,
      closing: false,
      end(error) {
        streams.delete(token);
        void reader.cancel().catch(() => undefined);
        if (error) outer?.error(error);
        else outer?.close();
      },
    };
    streams.set(token, stream);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        outer = controller;
      },
      async pull(controller) {
        const chunk = await reader.read();
        if (chunk.done) {
          streams.delete(token);
          controller.close();
          return;
        }
        const head = decoder.decode(chunk.value.subarray(0, 15));
        if (head.startsWith('event: next')) stream.consumed++;
        else if (head.startsWith('event: complete')) stream.completed++;
        controller.enqueue(chunk.value);
        if (stream.closing && stream.completed >= stream.started) stream.end();
      },
      cancel(reason) {
        streams.delete(token);
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const plugin: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      if (!isSingleConnection(request)) return;
      if (options.csrfPrevention && simpleRequest(request) && !request.headers.has(CSRF_HEADER)) {
        endResponse(
          fetchAPI.Response.json({ errors: [{ message: 'Required CSRF header(s) not present' }] }, { status: 403 }),
        );
        return;
      }
      sources.set(request, {
        transport: 'graphql-sse',
        authorization: request.headers.get('authorization'),
        headers: request.headers,
        client: options.clientOf(request),
      });
      const token = tokenOf(request);
      return handler(request).then((response) => endResponse(token === null ? response : watched(token, response)));
    },
  };
  return {
    plugin,
    close() {
      for (const stream of [...streams.values()]) {
        stream.closing = true;
        if (stream.completed >= stream.started) stream.end();
      }
    },
  };
}
