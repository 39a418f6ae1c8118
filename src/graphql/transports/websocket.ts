import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DocumentNode, GraphQLError, Kind, OperationTypeNode } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { addressList } from '../../common/address-list.js';
import { clientAddress } from '../../common/client-address.js';
import { schema } from '../../schema/index.js';
import type { OperationParams, OperationSource, ResultStream } from './bridge.js';

export interface WebSocketOptions {
  /** Runs one operation through the app (bridge.ts). */
  readonly run: (params: OperationParams, source: OperationSource) => Promise<ResultStream>;
  /** `CORS_ORIGINS`: browser pages of other origins that may connect; a page of the gateway's own origin always may. */
  readonly origins: readonly string[];
  /** `TRUST_PROXY`: whose `X-Forwarded-For` names the client. */
  readonly trustProxy: readonly string[];
  /** `BODY_LIMIT`: the largest message a client may send. */
  readonly maxMessageBytes: number;
  /** Ping interval; a client that does not answer within it is disconnected. */
  readonly keepAliveMs?: number;
}

export interface WebSocketEndpoint {
  /**
   * Once the operations running have ended (the live hub ended every subscription with a `complete`), or at the
   * timeout, closes the connections with `1001 Going away`.
   */
  close(timeoutMs: number): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

/** What an HTTP header value may hold (RFC 9110 section 5.5): visible Latin-1 text, spaces and tabs. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Whether a browser page may open a socket: sockets are not subject to CORS, so the check a browser would make for a
 * request is made here (cross-site WebSocket hijacking). Clients that are no browser send no `Origin`.
 */
function originAllowed(request: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowed.has(origin)) return true;
  const host = request.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * graphql-ws does not parse here: the operation's text goes to the app as it came, and this stand-in document only
 * tells graphql-ws to treat each operation as a stream (one result for queries and mutations).
 */
const placeholder = (operationName: string | null | undefined): DocumentNode => ({
  kind: Kind.DOCUMENT,
  definitions: [
    {
      kind: Kind.OPERATION_DEFINITION,
      operation: OperationTypeNode.SUBSCRIPTION,
      ...(operationName ? { name: { kind: Kind.NAME, value: operationName } } : {}),
      selectionSet: { kind: Kind.SELECTION_SET, selections: [] },
    },
  ],
});

/** What an operation carries to `subscribe`: its parameters and where it came from. */
interface Carried {
  readonly params: SubscribePayload;
  readonly source: OperationSource;
}

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, the graphql-ws library) on the server's `/graphql` upgrades. The
 * `connection_init` payload carries `Authorization` as an HTTP request would; every operation then runs through the
 * app as a `POST /graphql` (bridge.ts), so the same authentication, limits and logs apply. graphql-ws pings every
 * `keepAliveMs` and sends each message only after the previous one was written, so a slow client holds its
 * subscription's queue, which then drops it at `SUBSCRIPTION_BUFFER`.
 */
export function attachWebSocket(server: Server, options: WebSocketOptions): WebSocketEndpoint {
  const allowed = new Set(options.origins);
  const trusted = addressList(options.trustProxy);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const running = new Set<ResultStream>();
  let idle: (() => void) | null = null;
  const finished = (stream: ResultStream): void => {
    running.delete(stream);
    if (running.size === 0) idle?.();
  };
  const tracked = (stream: ResultStream): ResultStream => {
    running.add(stream);
    const wrapped: ResultStream = {
      async next() {
        const result = await stream.next();
        if (result.done) finished(stream);
        return result;
      },
      async return() {
        finished(stream);
        return stream.return();
      },
      throw: () => wrapped.return(),
      [Symbol.asyncIterator]: () => wrapped,
    };
    return wrapped;
  };
  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      onConnect: (ctx) => {
        const authorization = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
        // A credential that could not be an HTTP header is refused at once (`4403 Forbidden`).
        return authorization === undefined || (typeof authorization === 'string' && HEADER_VALUE.test(authorization));
      },
      onSubscribe: (ctx, _id, params) => {
        const { request } = ctx.extra;
        const authorization = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
        const source: OperationSource = {
          transport: 'ws',
          authorization: typeof authorization === 'string' ? authorization : null,
          headers: new Headers(
            Object.entries(request.headers).flatMap(([name, value]) =>
              typeof value === 'string' ? [[name, value] as [string, string]] : [],
            ),
          ),
          client: clientAddress(
            request.socket.remoteAddress ?? '',
            request.headers['x-forwarded-for']?.toString() ?? null,
            trusted,
          ),
        };
        if (typeof params.query !== 'string') return [new GraphQLError('"query" must be a string')];
        const carried: Carried = { params, source };
        return { schema, document: placeholder(params.operationName), contextValue: carried };
      },
      subscribe: async ({ contextValue }) => {
        const { params, source } = contextValue as Carried;
        return tracked(await options.run(params, source));
      },
      // Results come formatted (and masked) by yoga: sent as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as Record<string, unknown>,
    },
    sockets,
    options.keepAliveMs,
  );
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== GRAPHQL_PATH) refuse(socket, 404, 'Not Found');
    else if (!originAllowed(request, allowed)) refuse(socket, 403, 'Forbidden');
    else sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  };
  server.on('upgrade', upgrade);
  /** The one close in progress: a second call waits for it. */
  let closing: Promise<void> | null = null;
  return {
    close(timeoutMs) {
      closing ??= (async () => {
        server.off('upgrade', upgrade);
        if (running.size > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            idle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        // The last `complete` messages are written before the close frames.
        await new Promise((resolve) => setImmediate(resolve));
        await disposable.dispose();
      })();
      return closing;
    },
  };
}
