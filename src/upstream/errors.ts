import type { RouteKey } from './routes.js';

/**
 * One error family for everything that can go wrong talking to Openfire. Callers match on `code`; the message names
 * the route and Openfire's answer, never the credential (requests are not copied into errors).
 */
export type UpstreamErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  /** Connection refused or reset, or a transient status (429/502/503/504), after the retries allowed. */
  | 'UNAVAILABLE'
  /** No answer in time, or the caller's deadline passed. */
  | 'TIMEOUT'
  /** An answer that is not the API: the admin console's login page, HTML, a cut or unparsable body. */
  | 'PROTOCOL'
  /**
   * Openfire failed on the request (a 500: an unmapped exception or a mapped error with status 500), or another 5xx
   * that is not transient.
   */
  | 'SERVER_ERROR';

export interface UpstreamErrorInit {
  readonly code: UpstreamErrorCode;
  readonly route: RouteKey;
  readonly message: string;
  /** HTTP status, `null` when no response arrived. */
  readonly status?: number | null;
  /** Openfire's `exception` (e.g. `UserNotFoundException`) when the answer was an error entity. */
  readonly exception?: string | null;
  /** Openfire's `message` of the error entity. */
  readonly upstreamMessage?: string | null;
  /** Openfire's `resource` of the error entity. */
  readonly resource?: string | null;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly code: UpstreamErrorCode;
  readonly route: RouteKey;
  readonly status: number | null;
  readonly exception: string | null;
  readonly upstreamMessage: string | null;
  readonly resource: string | null;

  constructor(init: UpstreamErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.code = init.code;
    this.route = init.route;
    this.status = init.status ?? null;
    this.exception = init.exception ?? null;
    this.upstreamMessage = init.upstreamMessage ?? null;
    this.resource = init.resource ?? null;
  }
}

/** What an operator must change when Openfire answers with its login page (openfire-rest-api.md §1 and §15 item 1). */
export const LOGIN_PAGE_HINT =
  'Openfire answered with the admin console login page instead of the REST API: set the system property ' +
  'adminConsole.access.allow-wildcards-in-excludes=true (Openfire 4.7.5 and later) and check that the REST API ' +
  'plugin is installed and enabled';

/**
 * Statuses by which Openfire, or a proxy in front of it, says "not now": too many requests (429), bad gateway, service
 * unavailable, gateway timeout. The one definition of a transient answer, used by retries, codes and the breaker.
 */
const TRANSIENT_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export const isTransientStatus = (status: number): boolean => TRANSIENT_STATUS.has(status);

/**
 * A failure that may pass by itself, so trying again later makes sense: no connection, no answer in time, or a
 * transient status.
 */
export const isTransient = (error: unknown): error is UpstreamError =>
  error instanceof UpstreamError && (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT');

/**
 * A transient failure that says Openfire itself is out of reach (what the circuit breaker counts): everything
 * transient but a 429, which comes from a server that is up and busy.
 */
export const isOutage = (error: unknown): boolean => isTransient(error) && error.status !== 429;

export function codeForStatus(status: number): UpstreamErrorCode {
  if (isTransientStatus(status)) return 'UNAVAILABLE';
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    default:
      // 405/406/415 and the like: the server does not speak this API (another plugin version, a proxy).
      return status >= 500 ? 'SERVER_ERROR' : 'PROTOCOL';
  }
}
