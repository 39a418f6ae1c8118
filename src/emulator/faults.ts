import { type RouteKey, routeKeys } from '../upstream/routes.js';

/**
 * Faults injected through the control plane, per route template or global: what a sick or misconfigured Openfire
 * does to its clients. Route faults take precedence over global ones, field by field.
 */
export interface FaultSpec {
  /** Route template key such as `GET /users/{username}`; absent means every route. */
  readonly route?: RouteKey;
  /** Delay before the request is handled. */
  readonly latencyMs?: number;
  /** Answer with this status and a container error page, without handling the request. */
  readonly status?: number;
  /** Fraction (0–1) of requests answered with a 500 container page, spread deterministically. */
  readonly errorRate?: number;
  /** Destroy the connection without answering. */
  readonly reset?: boolean;
  /** Handle the request, then send a cut body: `truncated` closes the socket mid-body, `malformed` ends early. */
  readonly body?: 'truncated' | 'malformed';
  /** Redirect to the admin console login page, as Openfire ≥ 4.7.5 does without the wildcard-exclusion setting. */
  readonly loginPage?: boolean;
  /** Seconds sent as `Retry-After` with a forced `status`. */
  readonly retryAfter?: number;
  /** Apply to the next N matching requests only, then expire. */
  readonly times?: number;
}

export class FaultError extends Error {}

const bodyKinds = new Set(['truncated', 'malformed']);

export function parseFault(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultError('a fault is a JSON object');
  const f = input as Record<string, unknown>;
  const known = new Set([
    'route',
    'latencyMs',
    'status',
    'errorRate',
    'reset',
    'body',
    'loginPage',
    'retryAfter',
    'times',
  ]);
  for (const key of Object.keys(f)) if (!known.has(key)) throw new FaultError(`unknown fault field "${key}"`);
  if (f.route !== undefined && !routeKeys.includes(f.route as RouteKey)) {
    throw new FaultError(`unknown route "${String(f.route)}" (use a key such as "GET /users/{username}")`);
  }
  const nonNegative = (name: string, max = Number.MAX_SAFE_INTEGER): void => {
    const v = f[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)) {
      throw new FaultError(`"${name}" must be a number between 0 and ${max}`);
    }
  };
  nonNegative('latencyMs', 600_000);
  nonNegative('errorRate', 1);
  nonNegative('retryAfter', 3600);
  if (f.times !== undefined && (!Number.isInteger(f.times) || (f.times as number) < 1)) {
    throw new FaultError('"times" must be a positive integer');
  }
  if (
    f.status !== undefined &&
    (!Number.isInteger(f.status) || (f.status as number) < 200 || (f.status as number) > 599)
  ) {
    throw new FaultError('"status" must be an HTTP status between 200 and 599');
  }
  for (const name of ['reset', 'loginPage']) {
    if (f[name] !== undefined && typeof f[name] !== 'boolean') throw new FaultError(`"${name}" must be a boolean`);
  }
  if (f.body !== undefined && !bodyKinds.has(f.body as string))
    throw new FaultError('"body" must be "truncated" or "malformed"');
  return f as FaultSpec;
}

export class Faults {
  private global: FaultSpec | null = null;
  private readonly byRoute = new Map<RouteKey, FaultSpec>();
  private readonly seen = new Map<string, number>();
  /** Requests left for faults added with `times`. */
  private readonly remaining = new Map<FaultSpec, number>();

  add(fault: FaultSpec): void {
    if (fault.route) this.byRoute.set(fault.route, fault);
    else this.global = fault;
    if (fault.times !== undefined) this.remaining.set(fault, fault.times);
  }

  clear(): void {
    this.global = null;
    this.byRoute.clear();
    this.seen.clear();
    this.remaining.clear();
  }

  list(): FaultSpec[] {
    return [...(this.global ? [this.global] : []), ...this.byRoute.values()];
  }

  /** The effective fault for a request (route fields over global ones), or null; counts down `times`. */
  match(route: RouteKey | null): FaultSpec | null {
    const specific = route ? this.byRoute.get(route) : undefined;
    const global = this.global;
    for (const fault of [specific, global]) if (fault) this.use(fault);
    if (!specific && !global) return null;
    return { ...global, ...specific };
  }

  private use(fault: FaultSpec): void {
    const left = this.remaining.get(fault);
    if (left === undefined) return;
    if (left > 1) {
      this.remaining.set(fault, left - 1);
      return;
    }
    this.remaining.delete(fault);
    if (fault.route) this.byRoute.delete(fault.route);
    else this.global = null;
  }

  /** Whether this request falls in the error fraction: exactly `rate` of the requests, evenly spread. */
  failsNow(route: RouteKey | null, rate: number): boolean {
    const key = route ?? '*';
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return Math.floor((n + 1) * rate) > Math.floor(n * rate);
  }
}
