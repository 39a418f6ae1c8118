import { randomUUID } from 'node:crypto';
import { addressList } from '../common/address-list.js';
import { clientAddress } from '../common/client-address.js';
import type { Logger } from '../observability/logger.js';
import type { Observation } from '../observability/observation.js';
import type { RequestReport } from '../observability/request-log.js';
import { type AppRoute, routeOf } from './routes.js';

/** What node's HTTP server hands the adapter; tests calling `app.fetch` may pass `{ req: { socket: { remoteAddress } } }`. */
export interface ServerContext {
  readonly req?: { readonly socket?: { readonly remoteAddress?: string } };
}

/** What the shell found out about a request before the app's router sees it. */
export interface Incoming {
  readonly route: AppRoute | 'other';
  readonly pathname: string;
  /** The client's address, through `TRUST_PROXY` proxies only. */
  readonly client: string;
  /** Where the layers below report what they did, for the request's log line and metrics. */
  readonly observation: Observation;
}

export type Router = (request: Request, incoming: Incoming) => Response | Promise<Response>;

export interface ShellOptions {
  readonly logger: Logger;
  /** Told about every answered request (its log line and metrics). */
  readonly report: (report: RequestReport) => void;
  /** `TRUST_PROXY`: whose `X-Forwarded-For` names the client. */
  readonly trustProxy: readonly string[];
}

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

/** The path of an absolute URL without its query string or fragment (cheaper than `new URL` on every request). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * The HTTP shell around the app's router: each request gets an id (echoed in `x-request-id` and sent upstream), its
 * route and client address, a 500 instead of a crash, and a report once answered.
 */
export function shell<C extends ServerContext>(router: Router, options: ShellOptions) {
  const trusted = addressList(options.trustProxy);
  return async (request: Request, context: C): Promise<Response> => {
    const started = performance.now();
    const id = requestId(request);
    const pathname = pathOf(request.url);
    const route = routeOf(pathname);
    const client = clientAddress(
      context?.req?.socket?.remoteAddress ?? '',
      request.headers.get('x-forwarded-for'),
      trusted,
    );
    const observation: Observation = { id, client, upstreamCalls: 0, operations: [], legacy: null };
    let response: Response;
    try {
      response = await router(request, { route, pathname, client, observation });
    } catch (error) {
      options.logger.error({ requestId: id, err: error }, 'request failed');
      response = new Response('Internal Server Error\n', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    response = withRequestId(response, id);
    options.report({
      observation,
      method: request.method,
      path: pathname,
      route,
      status: response.status,
      seconds: (performance.now() - started) / 1000,
      client,
      userAgent: request.headers.get('user-agent'),
    });
    return response;
  };
}
