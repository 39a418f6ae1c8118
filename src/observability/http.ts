import { randomUUID } from 'node:crypto';
import { addressList } from '../http/address-list.js';
import { clientAddress } from '../http/client-address.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Observation } from './observation.js';
import { routeLabel } from './routes.js';
import { scrub } from './scrub.js';
import { round } from './upstream.js';

/** What node's HTTP server hands the adapter; tests calling `app.fetch` may pass `{ req: { socket: { remoteAddress } } }`. */
export interface ServerContext {
  readonly req?: { readonly socket?: { readonly remoteAddress?: string } };
}

export interface ObserveOptions {
  readonly logger: Logger;
  readonly metrics: Metrics | null;
  /** `TRUST_PROXY`: whose `X-Forwarded-For` names the client. */
  readonly trustProxy: readonly string[];
}

type Handler<C> = (request: Request, context: C) => Response | Promise<Response>;
/** The app's handler, told the request's observation to report into. */
type ObservedHandler<C> = (request: Request, context: C, observation: Observation) => Response | Promise<Response>;

/** An incoming id is kept when it is short and plain enough to put in logs and headers. */
const SANE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The id of the request: the caller's `x-request-id` if sane, else a new one; set on the request for the layers below. */
function requestId(request: Request): string {
  const incoming = request.headers.get('x-request-id');
  if (incoming !== null && SANE_ID.test(incoming)) return incoming;
  const id = randomUUID();
  request.headers.set('x-request-id', id);
  return id;
}

/** A response whose headers can take the request id (responses built from fetch results are immutable). */
function withRequestId(response: Response, id: string): Response {
  try {
    response.headers.set('x-request-id', id);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set('x-request-id', id);
    return copy;
  }
}

const clip = (value: string | null, max: number): string | undefined =>
  value === null ? undefined : value.slice(0, max);

/** The path of an absolute URL without its query string or fragment (cheaper than `new URL` on every request). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * Wraps the app's fetch handler: gives each request an id (echoed in `x-request-id` and sent upstream), times it,
 * writes its one log line and counts it. Bodies and query strings are never logged.
 */
export function observe<C extends ServerContext>(handler: ObservedHandler<C>, options: ObserveOptions): Handler<C> {
  const { logger, metrics } = options;
  const trusted = addressList(options.trustProxy);
  return async (request, context) => {
    const started = performance.now();
    const id = requestId(request);
    const observation: Observation = { id, upstreamCalls: 0, operations: [], legacy: null };
    let response: Response;
    try {
      response = await handler(request, context, observation);
    } catch (error) {
      logger.error({ requestId: id, err: error }, 'request failed');
      response = new Response('Internal Server Error\n', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    response = withRequestId(response, id);
    const seconds = (performance.now() - started) / 1000;
    const path = pathOf(request.url);
    const route = routeLabel(path);
    const { legacy, operations } = observation;
    metrics?.httpRequest(route, request.method, response.status, seconds);
    for (const op of operations) metrics?.graphqlOperation(op.name, op.type, op.codes[0] ?? 'OK');
    if (legacy) metrics?.legacyRequest(legacy);
    const line = {
      requestId: id,
      method: request.method,
      path: clip(path, 512),
      route,
      status: response.status,
      durationMs: round(seconds * 1000),
      client: clientAddress(context?.req?.socket?.remoteAddress ?? '', request.headers.get('x-forwarded-for'), trusted),
      userAgent: clip(request.headers.get('user-agent'), 256),
      upstreamCalls: observation.upstreamCalls,
      ...(operations.length > 0 && { graphql: operations }),
      ...(legacy && { legacy: { type: legacy.type, reply: legacy.reply, rollback: legacy.rollback } }),
    };
    if (response.status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
    if (legacy?.rollback === 'incomplete') {
      const cause = legacy.error instanceof Error ? legacy.error.message : String(legacy.error);
      logger.error(
        { requestId: id, legacy: { type: legacy.type, reply: legacy.reply }, cause: scrub(cause) },
        'legacy operation failed and could not be fully undone',
      );
    }
    return response;
  };
}
