/**
 * When to try a call again: idempotent methods only, on connection failures and on transient statuses
 * (`isTransientStatus` in errors.ts), with jittered exponential backoff, `Retry-After` honoured, bounded in attempts
 * and in total time.
 */
export interface RetryPolicy {
  /** Total tries, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts once this much time has passed since the first try. */
  readonly budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 50, maxDelayMs: 1_000, budgetMs: 3_000 };

/** Node and undici error codes of a connection that failed or broke before a complete answer. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

export const isIdempotent = (method: string): boolean => method === 'GET' || method === 'HEAD';

export function isConnectionError(error: unknown): boolean {
  // A few levels of `cause` are enough (undici wraps socket errors once or twice) and keep a cyclic chain finite.
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++, e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  }
  return false;
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The wait before try number `attempt + 1` (attempt counts from 1), or null when no retry fits the policy: full
 * jitter over an exponential ceiling, or exactly what `Retry-After` asks when it fits the remaining budget.
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  retryAfter: number | null,
  random = Math.random,
): number | null {
  if (attempt >= policy.attempts) return null;
  const delay =
    retryAfter ?? Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
  return elapsedMs + delay > policy.budgetMs ? null : delay;
}
