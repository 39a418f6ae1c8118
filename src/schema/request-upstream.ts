import type { CallArgs, ResultOf } from '../upstream/endpoints.js';
import { UpstreamError } from '../upstream/errors.js';
import type { CallOptions, UpstreamClient } from '../upstream/client.js';
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
}

export interface RequestLimits {
  /** Upstream calls in flight at once. */
  readonly concurrency: number;
  /** Upstream calls in total (`MAX_UPSTREAM_CALLS`); past it calls fail unsent. */
  readonly maxCalls: number;
  /** The request's deadline (`REQUEST_TIMEOUT_MS`); the call signal aborts when it passes, and `late()` says why. */
  readonly timeoutMs: number;
  late(): boolean;
}

export function requestUpstream(client: UpstreamClient, options: CallOptions, limits: RequestLimits): RequestUpstream {
  const { concurrency, maxCalls } = limits;
  const tooLate = (): Error =>
    gatewayError('UPSTREAM_TIMEOUT', `Openfire did not answer within the request's deadline of ${limits.timeoutMs} ms (REQUEST_TIMEOUT_MS).`);
  let calls = 0;
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  async function call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>> {
    if (limits.late()) throw tooLate();
    // Counted before queueing, so a query fanning out wide is stopped before its calls are sent.
    if (++calls > maxCalls) {
      throw gatewayError('BAD_USER_INPUT', `This request needs more than ${maxCalls} upstream calls (MAX_UPSTREAM_CALLS); ask for less at once.`);
    }
    await acquire();
    try {
      return await client.call(route, args, options);
    } catch (error) {
      if (error instanceof UpstreamError && error.code === 'TIMEOUT' && limits.late()) throw tooLate();
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
  return { call, find };
}
