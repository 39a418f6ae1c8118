import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { firstIllFormed, isWellFormed } from '../common/unicode.js';
import { type CircuitBreaker, isRefusal, type Refusal, type Ticket } from './breaker.js';
import { type DecodableEntity, DecodeError, decodeEntity } from './codec/decode.js';
import { encodeBody } from './codec/encode.js';
import { readErrorEntity } from './codec/error-entity.js';
import type { CallArgs, RequestEntity, ResultOf } from './endpoints.js';
import {
  codeForStatus,
  isOutage,
  isTransientStatus,
  LOGIN_PAGE_HINT,
  UpstreamError,
  type UpstreamErrorCode,
} from './errors.js';
import { DEFAULT_RETRY, isConnectionError, isIdempotent, nextDelay, type RetryPolicy, retryAfterMs } from './retry.js';
import { BASE_PATH, type RouteKey, type RouteSpec, routeKeys, routes, splitRouteKey } from './routes.js';

/** How the client authenticates: the REST API's shared secret, an admin account, or nothing (per-call headers). */
export type Credential =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'none' };

/** One finished call, for metrics and tests. */
export interface CallEvent {
  readonly route: RouteKey;
  readonly method: string;
  /** The final HTTP status, `null` when no response arrived. */
  readonly status: number | null;
  readonly durationMs: number;
  readonly attempts: number;
  /** `null` on success. */
  readonly error: UpstreamErrorCode | null;
  /** The request it was made for (`CallOptions.requestId`), if any. */
  readonly requestId?: string;
}

export interface UpstreamClientOptions {
  /** Openfire's base URL (`http://openfire:9090`); the API is under `/plugins/restapi/v1`. */
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly credential: Credential;
  /** Response format asked for; JSON unless testing the XML decoders. */
  readonly format?: 'json' | 'xml';
  readonly retry?: RetryPolicy;
  /** Fails calls at once while Openfire is considered down (see breaker.ts); none by default. */
  readonly breaker?: CircuitBreaker;
  readonly onCall?: (event: CallEvent) => void;
}

export interface CallOptions {
  /** Cancels the call (and its retries), e.g. when a GraphQL request's deadline passes. */
  readonly signal?: AbortSignal;
  /** Sent as the `Authorization` header instead of the client's credential (passthrough mode). */
  readonly authorization?: string;
  /**
   * Sent even while the breaker is open, its outcome still counted: readiness probes (whose success closes it) and
   * calls that must not be skipped, such as undoing a half-done operation.
   */
  readonly bypassBreaker?: boolean;
  /** Propagated as `x-request-id`. */
  readonly requestId?: string;
  /** Told about this call once it is finished, after the client's own `onCall` (e.g. to count a request's calls). */
  readonly onCall?: (event: CallEvent) => void;
}

export interface UpstreamClient {
  call<K extends RouteKey>(route: K, args: CallArgs<K>, options?: CallOptions): Promise<ResultOf<K>>;
}

interface Prepared {
  readonly method: string;
  readonly path: string;
  readonly body: { contentType: string; text: string } | null;
}

function authorizationOf(credential: Credential): string | undefined {
  if (credential.kind === 'secret') return credential.secret;
  if (credential.kind === 'basic') {
    return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  }
  return undefined;
}

/**
 * One path parameter, percent-encoded. An empty value, `.` or `..` would be read as an empty or dot segment on the
 * way and address another resource (`/users/./roster/vcard` is `/users/roster/vcard`), so it is refused unsent.
 */
/** A call refused unsent: what it would send cannot mean what the caller meant. */
const unsendable = (route: RouteKey, what: string): UpstreamError =>
  new UpstreamError({ code: 'BAD_REQUEST', route, message: `Openfire ${route}: ${what}` });

function segment(route: RouteKey, name: string, value: string): string {
  // "." and ".." would be resolved away by the server, and a lone surrogate cannot be percent-encoded.
  if (value === '' || value === '.' || value === '..')
    throw unsendable(route, `"${value}" cannot be sent as {${name}}`);
  if (!isWellFormed(value)) throw unsendable(route, `{${name}} is not well-formed Unicode`);
  return encodeURIComponent(value);
}

/** A route key split once: its method, the literal path up to the first parameter, then each parameter in turn. */
interface CompiledRoute {
  readonly method: string;
  readonly head: string;
  /** A parameter's name and the literal path after it, up to the next parameter. */
  readonly steps: readonly { readonly name: string; readonly tail: string }[];
}

function compile(route: RouteKey): CompiledRoute {
  const { method, template } = splitRouteKey(route);
  // Splitting on a pattern with one group gives literal, name, literal, name, …, literal: always an odd count.
  const [head, ...rest] = (BASE_PATH + template).split(/\{(\w+)\}/);
  const steps: { name: string; tail: string }[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i];
    const tail = rest[i + 1];
    if (name === undefined || tail === undefined) throw new Error(`${route}: a parameter without the path after it`);
    steps.push({ name, tail });
  }
  if (head === undefined) throw new Error(`${route}: String.split gave no piece`);
  return { method, head, steps };
}

/** Every route compiled up front: building a path is then concatenation, with no pattern matching per call. */
const COMPILED = new Map<RouteKey, CompiledRoute>(routeKeys.map((route) => [route, compile(route)]));

/** Expands the template with percent-encoded parameters (`@`, `/`, spaces, XEP-0106 `\`) and adds the query. */
function prepare(route: RouteKey, args: Record<string, unknown>): Prepared {
  const compiled = COMPILED.get(route);
  if (!compiled) throw new Error(`${route}: not in the route table, so not compiled`);
  const { method, head, steps } = compiled;
  const params = (args.path ?? {}) as Record<string, string>;
  let path = head;
  for (const { name, tail } of steps) path += segment(route, name, params[name] ?? '') + tail;
  const query = args.query as Record<string, unknown> | undefined;
  if (query !== undefined) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      // URLSearchParams would turn a lone surrogate into U+FFFD: another value than the one asked for.
      if (!isWellFormed(String(value))) throw unsendable(route, `?${name} is not well-formed Unicode`);
      search.set(name, String(value));
    }
    if (search.size > 0) path += `?${search}`;
  }
  const spec: RouteSpec = routes[route];
  if (spec.body !== undefined && firstIllFormed(args.body) !== null)
    throw unsendable(route, 'the body holds text that is not well-formed Unicode');
  const body = spec.body === undefined ? null : encodeBody(spec.body as RequestEntity, args.body, params.affiliation);
  return { method, path, body };
}

const isHtml = (contentType: string, text: string): boolean =>
  contentType.includes('html') || /^\s*(<!doctype html|<html)/i.test(text);

function protocol(route: RouteKey, status: number | null, message: string, cause?: unknown): UpstreamError {
  return new UpstreamError({ code: 'PROTOCOL', route, status, message: `Openfire ${route}: ${message}` }, { cause });
}

/** An answer that is not a success, classified; the login page and HTML get the operator hint. */
function failure(route: RouteKey, status: number, headers: Record<string, unknown>, text: string): UpstreamError {
  const contentType = String(headers['content-type'] ?? '');
  const location = String(headers.location ?? '');
  if (
    (status >= 300 && status < 400 && location.includes('login.jsp')) ||
    (isHtml(contentType, text) && status < 300)
  ) {
    return protocol(route, status, LOGIN_PAGE_HINT);
  }
  if (status >= 300 && status < 400) return protocol(route, status, `unexpected redirect to ${location || 'nowhere'}`);
  const entity = readErrorEntity(contentType, text);
  const code = codeForStatus(status);
  const detail = entity
    ? `${entity.exception ?? 'error'}: ${entity.message ?? ''}${entity.resource ? ` (${entity.resource})` : ''}`
    : `HTTP ${status}`;
  return new UpstreamError({
    code,
    route,
    status,
    message: `Openfire ${route}: ${detail}`,
    exception: entity?.exception,
    upstreamMessage: entity?.message,
    resource: entity?.resource,
  });
}

function decodeSuccess<K extends RouteKey>(
  route: K,
  status: number,
  headers: Record<string, unknown>,
  text: string,
): ResultOf<K> {
  const spec: RouteSpec = routes[route];
  const contentType = String(headers['content-type'] ?? '');
  const response = spec.response;
  // A failing health check's 503 is a container page: its HTML is expected, not a sign of the login page.
  if (response === 'status' && status !== 302) return (status === 200) as ResultOf<K>;
  if (isHtml(contentType, text)) throw protocol(route, status, LOGIN_PAGE_HINT);
  if (response === undefined) return undefined as ResultOf<K>;
  if (response === 'vcard') return (status === 204 ? null : text) as ResultOf<K>;
  if (response === 'yaml' || response === 'json') return text as ResultOf<K>;
  const format = contentType.includes('json') ? 'json' : contentType.includes('xml') ? 'xml' : null;
  if (format === null) throw protocol(route, status, `unexpected content type "${contentType}"`);
  try {
    return decodeEntity(response as DecodableEntity, text, format) as ResultOf<K>;
  } catch (error) {
    if (error instanceof DecodeError)
      throw protocol(route, status, `unreadable ${format.toUpperCase()} body (${error.message})`, error);
    throw error;
  }
}

function transportError(route: RouteKey, error: unknown, signal: AbortSignal | undefined): UpstreamError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const timedOut =
    signal?.aborted === true ||
    ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'));
  const what = timedOut ? 'no answer in time' : `connection failed (${code || (error as Error).message})`;
  return new UpstreamError(
    { code: timedOut ? 'TIMEOUT' : 'UNAVAILABLE', route, status: null, message: `Openfire ${route}: ${what}` },
    { cause: error },
  );
}

/** Only an outage (Openfire out of reach, by itself or as a proxy reports it) trips the breaker. */
function record(
  breaker: CircuitBreaker,
  ticket: Ticket,
  error: UpstreamError | null,
  signal: AbortSignal | undefined,
): void {
  if (error === null) breaker.succeeded(ticket);
  else if (signal?.aborted) breaker.abandoned(ticket);
  else if (isOutage(error)) breaker.failed(ticket);
  else breaker.succeeded(ticket);
}

function refused(route: RouteKey, refusal: Refusal): UpstreamError {
  const at = new Date(refusal.retryAt).toISOString();
  return new UpstreamError({
    code: 'UNAVAILABLE',
    route,
    status: null,
    message: `Openfire ${route}: not sent, Openfire is considered down after ${refusal.failures} failed calls in a row; retrying at ${at}`,
  });
}

/** Whether a failed attempt may be tried again, and after how long. */
function retryDelay(
  method: string,
  policy: RetryPolicy,
  attempt: number,
  started: number,
  retryAfter: number | null,
): number | null {
  if (!isIdempotent(method)) return null;
  return nextDelay(policy, attempt, performance.now() - started, retryAfter);
}

/**
 * The one request path for every endpoint: build from the route table, send through the injected dispatcher,
 * consume the body, retry idempotent calls on transient failures, decode or classify the answer.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const origin = new URL(options.baseUrl).origin;
  const prefix = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
  const policy = options.retry ?? DEFAULT_RETRY;
  const accept = options.format === 'xml' ? 'application/xml' : 'application/json';
  const defaultAuthorization = authorizationOf(options.credential);

  async function call<K extends RouteKey>(
    route: K,
    args: CallArgs<K>,
    callOptions: CallOptions = {},
  ): Promise<ResultOf<K>> {
    const { method, path, body } = prepare(route, args as Record<string, unknown>);
    const response = (routes[route] as RouteSpec).response;
    const healthCheck = response === 'status';
    // vCards exist only as XML; asking for JSON would be a 406 (openfire-rest-api.md §7.5).
    const headers: Record<string, string> = { accept: response === 'vcard' ? 'application/xml' : accept };
    const authorization = callOptions.authorization ?? defaultAuthorization;
    if (authorization !== undefined) headers.authorization = authorization;
    if (callOptions.requestId !== undefined) headers['x-request-id'] = callOptions.requestId;
    if (body) headers['content-type'] = body.contentType;
    const started = performance.now();
    let attempts = 0;
    let status: number | null = null;
    const { breaker } = options;
    const admitted = breaker?.admit(callOptions.bypassBreaker) ?? null;
    const finish = (error: UpstreamError | null): void => {
      if (breaker && admitted && !isRefusal(admitted)) record(breaker, admitted, error, callOptions.signal);
      if (!options.onCall && !callOptions.onCall) return;
      const durationMs = performance.now() - started;
      const event: CallEvent = {
        route,
        method,
        status,
        durationMs,
        attempts,
        error: error?.code ?? null,
        requestId: callOptions.requestId,
      };
      options.onCall?.(event);
      callOptions.onCall?.(event);
    };
    if (admitted && isRefusal(admitted)) {
      const error = refused(route, admitted);
      finish(error);
      throw error;
    }
    for (;;) {
      attempts++;
      let delay: number | null;
      let error: UpstreamError;
      try {
        const res = await options.dispatcher.request({
          origin,
          path: prefix + path,
          method: method as Dispatcher.HttpMethod,
          headers,
          body: body?.text ?? null,
          signal: callOptions.signal,
        });
        status = res.statusCode;
        // Always read the body to the end, so the connection goes back to the pool.
        const text = await res.body.text();
        if (res.statusCode < 300 || (res.statusCode === 503 && healthCheck)) {
          const result = decodeSuccess(route, res.statusCode, res.headers, text);
          finish(null);
          return result;
        }
        error = failure(route, res.statusCode, res.headers, text);
        delay = isTransientStatus(res.statusCode)
          ? retryDelay(method, policy, attempts, started, retryAfterMs(res.headers['retry-after']))
          : null;
      } catch (thrown) {
        if (thrown instanceof UpstreamError) {
          finish(thrown);
          throw thrown;
        }
        error = transportError(route, thrown, callOptions.signal);
        delay =
          error.code === 'UNAVAILABLE' && isConnectionError(thrown)
            ? retryDelay(method, policy, attempts, started, null)
            : null;
      }
      if (delay === null) {
        finish(error);
        throw error;
      }
      try {
        await sleep(delay, undefined, { signal: callOptions.signal });
      } catch (aborted) {
        const timeout = transportError(route, aborted, callOptions.signal);
        finish(timeout);
        throw timeout;
      }
    }
  }

  return { call };
}
