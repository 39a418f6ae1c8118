import type { UpstreamClient } from '../upstream/client.js';
import { LOGIN_PAGE_HINT, UpstreamError } from '../upstream/errors.js';

/**
 * `/readyz`: whether this instance should get traffic, i.e. Openfire answers and its own readiness check
 * (`GET /system/readiness`) is green. The probe is bounded by its own timeout, concurrent checks share one upstream
 * call, and an answer is reused briefly, so a load balancer polling many replicas cannot load Openfire. The probe
 * passes an open circuit breaker (and its success closes it), so readiness flips back as soon as Openfire does.
 */
export interface ReadinessOptions {
  readonly client: UpstreamClient;
  /** Time the upstream probe gets. */
  readonly timeoutMs?: number;
  /** How long an answer is reused. */
  readonly cacheMs?: number;
  readonly now?: () => number;
  /** Redis shared by replicas (`REDIS_URL`), when there is one: reported, not a reason to be unready. */
  readonly sharedState?: { isReady(): boolean };
}

export type Verdict = { readonly ready: true } | { readonly ready: false; readonly reason: string };

export interface Readiness {
  check(): Promise<Verdict>;
  /**
   * Whether Redis answers, `null` without one. It does not make the instance unready: every replica shares it, so a
   * Redis outage would take all of them out at once, while each use of it has its own policy for the outage.
   */
  sharedState(): 'ready' | 'unreachable' | null;
  /** From now on unready (`shutting down`): the process is draining. */
  drain(): void;
}

export const DEFAULT_READINESS = { timeoutMs: 2_000, cacheMs: 1_000 } as const;

const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed without an answer',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** The first errno-style code along the cause chain (undici wraps socket errors). */
function causeCode(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++, e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** A short reason for the operator; upstream messages are not copied, so nothing but codes and statuses shows. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (!(error instanceof UpstreamError)) return 'Openfire readiness check failed';
  if (error.code === 'TIMEOUT') return `Openfire did not answer within ${timeoutMs} ms`;
  if (error.code === 'UNAVAILABLE' && error.status === null) {
    const code = causeCode(error.cause);
    return `Openfire unreachable (${(code && CONNECTION_FAILURES[code]) ?? code ?? 'no connection'})`;
  }
  if (error.code === 'PROTOCOL' && error.message.includes(LOGIN_PAGE_HINT))
    return 'Openfire answered with its login page';
  if (error.status !== null) return `Openfire readiness check failed (HTTP ${error.status})`;
  return 'Openfire readiness check failed';
}

export function createReadiness(options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? DEFAULT_READINESS.timeoutMs;
  const cacheMs = options.cacheMs ?? DEFAULT_READINESS.cacheMs;
  const now = options.now ?? Date.now;
  let draining = false;
  let inflight: Promise<Verdict> | null = null;
  let cached: { verdict: Verdict; at: number } | null = null;

  async function probe(): Promise<Verdict> {
    try {
      const ready = await options.client.call(
        'GET /system/readiness',
        {},
        { signal: AbortSignal.timeout(timeoutMs), bypassBreaker: true },
      );
      // A 503 from the check itself: Openfire is up but says it is not ready (starting, cluster or plugins not ready).
      return ready ? { ready: true } : { ready: false, reason: 'Openfire reports it is not ready (HTTP 503)' };
    } catch (error) {
      return { ready: false, reason: reasonOf(error, timeoutMs) };
    }
  }

  return {
    async check() {
      if (draining) return { ready: false, reason: 'shutting down' };
      if (cached && now() - cached.at < cacheMs) return cached.verdict;
      inflight ??= probe().then((verdict) => {
        cached = { verdict, at: now() };
        inflight = null;
        return verdict;
      });
      return inflight;
    },
    drain() {
      draining = true;
    },
    sharedState() {
      if (!options.sharedState) return null;
      return options.sharedState.isReady() ? 'ready' : 'unreachable';
    },
  };
}

/**
 * The `/readyz` answer: 200 `{"status":"ready"}` or 503 `{"status":"unready","reason":…}`, with `"redis":"ready"` or
 * `"unreachable"` when there is one; never cached by proxies.
 */
export async function readyzResponse(readiness: Readiness): Promise<Response> {
  const verdict = await readiness.check();
  const headers = { 'cache-control': 'no-store' };
  const redis = readiness.sharedState();
  const shared = redis === null ? {} : { redis };
  return verdict.ready
    ? Response.json({ status: 'ready', ...shared }, { headers })
    : Response.json({ status: 'unready', reason: verdict.reason, ...shared }, { status: 503, headers });
}
