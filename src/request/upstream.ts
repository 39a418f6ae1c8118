import { setMaxListeners } from 'node:events';
import type { CallOptions, UpstreamClient } from '../upstream/client.js';
import type { CallArgs, ResultOf } from '../upstream/endpoints.js';
import { UpstreamError } from '../upstream/errors.js';
import type { RouteKey } from '../upstream/routes.js';

/**
 * The upstream client as one HTTP request sees it: the caller's credential and the request id on every call, at most
 * `concurrency` calls in flight and `maxCalls` in all, a deadline, identical reads made once, and cancellation once
 * the answer is decided. Failures reach the caller through `mapError`, so each face speaks its own error language.
 */
export interface RequestUpstream {
  call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>>;
  /** Like `call`, but Openfire's NOT_FOUND is `null` (lookups of absent things). */
  find<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K> | null>;
  /**
   * A call that must reach Openfire even once the request has its answer, its client has gone or its deadline has
   * passed, and while the circuit breaker is open: an undo step of a multi-step change, without which Openfire would
   * keep half of it. Its failure comes as it is (an `UpstreamError`), for the undo log to read.
   */
  essential<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>>;
  /** The response is decided: calls still running are cancelled and no new one is sent. */
  close(): void;
}

/** What one request may cost the upstream. */
export interface Budget {
  /** Upstream calls in flight at once. */
  readonly concurrency: number;
  /** Upstream calls in total (`MAX_UPSTREAM_CALLS`); past it calls fail unsent. Reads answered again are free. */
  readonly maxCalls: number;
  /** The request's deadline (`REQUEST_TIMEOUT_MS`), from the creation of the facade; calls running then are aborted. */
  readonly timeoutMs: number;
}

/** `UPSTREAM_CONCURRENCY`, `MAX_UPSTREAM_CALLS` and `REQUEST_TIMEOUT_MS` when not configured. */
export const DEFAULT_BUDGET: Budget = { concurrency: 16, maxCalls: 1000, timeoutMs: 15_000 };

/** Why a call was refused by the request's own budget rather than by Openfire. */
export class BudgetError extends Error {
  override readonly name = 'BudgetError';
  constructor(
    readonly code: 'DEADLINE' | 'CALL_CAP',
    message: string,
  ) {
    super(message);
  }
}

export interface RequestUpstreamOptions extends CallOptions {
  readonly budget: Budget;
  /** The caller's share of the upstream pool, taken for each call after the request's own concurrency slot. */
  readonly share?: () => Promise<() => void>;
  /** What callers see instead of an `UpstreamError` or a `BudgetError` (cancellations pass as they are). */
  readonly mapError?: (error: UpstreamError | BudgetError) => unknown;
  /** Told when the request changes Openfire, so caches above this one drop what they hold. */
  readonly onWrite?: () => void;
}

/** Why calls are cancelled or refused once the response is decided or its client has gone; one shared reason. */
const ENDED = new DOMException('The request has its answer, or its client has gone', 'AbortError');

/**
 * A read's identity: the route and its arguments. Call sites build their arguments in one key order, so the plain
 * JSON is enough; two spellings of one read would only be made twice, never mixed up.
 */
const readKey = (route: RouteKey, args: unknown): string => `${route} ${JSON.stringify(args)}`;

/**
 * The signal given to the calls and the deadline's timer are made with the first call, so a request that needs none
 * (a refused or cached one, `__typename`) pays for neither, and closing aborts only when calls are still running.
 * `signal` is the caller's (the HTTP request's): once it has aborted, no new call is sent; calls in flight finish
 * within the deadline. Tying the calls to it as well (a listener, or `AbortSignal.any`) cost every operation about
 * 3% of a small query's CPU, to save what the deadline and the concurrency cap already bound.
 */
export function requestUpstream(client: UpstreamClient, options: RequestUpstreamOptions): RequestUpstream {
  const { budget, mapError = (error) => error, onWrite } = options;
  const started = performance.now();
  const tooLate = (): BudgetError =>
    new BudgetError(
      'DEADLINE',
      `Openfire did not answer within the request's deadline of ${budget.timeoutMs} ms (REQUEST_TIMEOUT_MS).`,
    );
  let late = false;
  let closed = false;
  let controller: AbortController | null = null;
  let deadline: NodeJS.Timeout | undefined;
  const callOptionsWith = (signal?: AbortSignal): CallOptions => ({
    authorization: options.authorization,
    requestId: options.requestId,
    onCall: options.onCall,
    signal,
  });
  let callOptions = callOptionsWith();
  const arm = (): AbortController => {
    const ours = new AbortController();
    controller = ours;
    deadline = setTimeout(
      () => {
        late = true;
        ours.abort();
      },
      Math.max(0, budget.timeoutMs - (performance.now() - started)),
    ).unref();
    callOptions = callOptionsWith(ours.signal);
    return ours;
  };
  let calls = 0;
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (signal: AbortSignal): Promise<void> => {
    if (active < budget.concurrency) {
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
    if (late || performance.now() - started >= budget.timeoutMs) return tooLate();
    return closed || options.signal?.aborted ? ENDED : null;
  };

  async function send<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>> {
    const refused = refusal();
    if (refused) throw refused;
    // Counted before queueing, so a query fanning out wide is stopped before its calls are sent.
    if (++calls > budget.maxCalls) {
      throw new BudgetError(
        'CALL_CAP',
        `This request needs more than ${budget.maxCalls} upstream calls (MAX_UPSTREAM_CALLS); ask for less at once.`,
      );
    }
    const { signal } = controller ?? arm();
    await acquire(signal);
    const giveBack = await options.share?.();
    try {
      const refusedLater = refusal();
      if (refusedLater) throw refusedLater;
      return await client.call(route, args, callOptions);
    } catch (error) {
      if (error instanceof UpstreamError && error.code === 'TIMEOUT' && late) throw tooLate();
      throw error;
    } finally {
      giveBack?.();
      release();
    }
  }

  /** Reads made by this request, by route and arguments: an identical read is answered by the first one. */
  let reads: Map<string, Promise<unknown>> | null = null;
  const written = (): void => {
    reads = null;
    onWrite?.();
  };

  async function raw<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>> {
    if (!route.startsWith('GET ')) {
      // Reads started before the write must not answer reads made after it.
      written();
      try {
        return await send(route, args);
      } finally {
        written();
      }
    }
    const key = readKey(route, args);
    reads ??= new Map();
    let read = reads.get(key) as Promise<ResultOf<K>> | undefined;
    if (!read) {
      read = send(route, args);
      reads.set(key, read);
    }
    return read;
  }

  const mapped = (error: unknown): unknown =>
    error instanceof UpstreamError || error instanceof BudgetError ? mapError(error) : error;

  return {
    async call(route, args) {
      try {
        return await raw(route, args);
      } catch (error) {
        throw mapped(error);
      }
    },
    async find(route, args) {
      try {
        return await raw(route, args);
      } catch (error) {
        if (error instanceof UpstreamError && error.code === 'NOT_FOUND') return null;
        throw mapped(error);
      }
    },
    async essential(route, args) {
      calls++;
      const giveBack = await options.share?.();
      written();
      try {
        const { authorization, requestId, onCall } = options;
        return await client.call(route, args, { authorization, requestId, onCall, bypassBreaker: true });
      } finally {
        giveBack?.();
        written();
      }
    },
    close() {
      closed = true;
      clearTimeout(deadline);
      if (active > 0) controller?.abort(ENDED);
    },
  };
}
