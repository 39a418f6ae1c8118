import { setMaxListeners } from 'node:events';
import type { CallOptions, UpstreamClient } from '../upstream/client.js';
import type { CallArgs, ResultOf } from '../upstream/endpoints.js';
import { UpstreamError } from '../upstream/errors.js';
import type { RouteKey } from '../upstream/routes.js';
import { fromUpstream, gatewayError } from './errors.js';

/**
 * The upstream client as one GraphQL request sees it: the request's credential, id and deadline applied to every
 * call, at most `concurrency` calls in flight and `maxCalls` in all, and upstream failures turned into coded GraphQL
 * errors.
 */
export interface RequestUpstream {
  call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>>;
  /** Like `call`, but a NOT_FOUND answer is `null` (lookups of absent things). */
  find<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K> | null>;
  /** The response is decided: calls still running are cancelled and no new one is sent. */
  close(): void;
}

export interface RequestLimits {
  /** Upstream calls in flight at once. */
  readonly concurrency: number;
  /** Upstream calls in total (`MAX_UPSTREAM_CALLS`); past it calls fail unsent. */
  readonly maxCalls: number;
  /** The request's deadline (`REQUEST_TIMEOUT_MS`), from the creation of this object; calls running then are aborted. */
  readonly timeoutMs: number;
}

/** Why calls are cancelled or refused once the response is decided or its client has gone; one shared reason. */
const ENDED = new DOMException('The GraphQL operation has its answer, or its client has gone', 'AbortError');

/**
 * The signal given to the calls and the deadline's timer are made with the first call, so an operation that needs
 * none (a refused or cached one, `__typename`) pays for neither, and closing aborts only when calls are still running.
 * `options.signal` is the caller's (the HTTP request's): once it has aborted, no new call is sent; calls in flight
 * finish within the deadline. Tying the calls to it as well (a listener, or `AbortSignal.any`) cost every operation
 * about 3% of a small query's CPU, to save what the deadline and the concurrency cap already bound.
 */
export function requestUpstream(client: UpstreamClient, options: CallOptions, limits: RequestLimits): RequestUpstream {
  const { concurrency, maxCalls } = limits;
  const started = performance.now();
  const tooLate = (): Error =>
    gatewayError(
      'UPSTREAM_TIMEOUT',
      `Openfire did not answer within the request's deadline of ${limits.timeoutMs} ms (REQUEST_TIMEOUT_MS).`,
    );
  let late = false;
  let closed = false;
  let controller: AbortController | null = null;
  let deadline: NodeJS.Timeout | undefined;
  let callOptions: CallOptions = options;
  const arm = (): AbortController => {
    const ours = new AbortController();
    controller = ours;
    deadline = setTimeout(
      () => {
        late = true;
        ours.abort();
      },
      Math.max(0, limits.timeoutMs - (performance.now() - started)),
    ).unref();
    callOptions = { ...options, signal: ours.signal };
    return ours;
  };
  let calls = 0;
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (signal: AbortSignal): Promise<void> => {
    if (active < concurrency) {
      // Each call listens on the signal until its response stream closes, a tick after the call ends, so a request
      // near the cap can hold more listeners than calls in flight; the cap bounds them, not node's warning at 10.
      if (++active === 5) setMaxListeners(0, signal);
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const refusal = (): Error | null => {
    if (late || performance.now() - started >= limits.timeoutMs) return tooLate();
    return closed || options.signal?.aborted ? ENDED : null;
  };
  async function call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>> {
    const refused = refusal();
    if (refused) throw refused;
    // Counted before queueing, so a query fanning out wide is stopped before its calls are sent.
    if (++calls > maxCalls) {
      throw gatewayError(
        'BAD_USER_INPUT',
        `This request needs more than ${maxCalls} upstream calls (MAX_UPSTREAM_CALLS); ask for less at once.`,
      );
    }
    const { signal } = controller ?? arm();
    await acquire(signal);
    try {
      const refusedLater = refusal();
      if (refusedLater) throw refusedLater;
      return await client.call(route, args, callOptions);
    } catch (error) {
      if (error instanceof UpstreamError && error.code === 'TIMEOUT' && late) throw tooLate();
      throw error instanceof UpstreamError ? fromUpstream(error) : error;
    } finally {
      release();
    }
  }
  async function find<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K> | null> {
    try {
      return await call(route, args);
    } catch (error) {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return null;
      throw error;
    }
  }
  function close(): void {
    closed = true;
    clearTimeout(deadline);
    if (active > 0) controller?.abort(ENDED);
  }
  return { call, find, close };
}
