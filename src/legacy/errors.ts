import { IncompleteRollback } from '../request/undo.js';
import { UpstreamError } from '../upstream/errors.js';

/**
 * Every name the gateway's `/userservice` may put inside `<error>`: the original plugin's six
 * (openfire-rest-api.md §12.5) and two of our own for an Openfire that cannot be used. Exception texts (`e.toString()`)
 * are never sent (openfire-rest-api.md §12.6 item 4).
 */
export const LEGACY_ERRORS = [
  'RequestNotAuthorised',
  'UserServiceDisabled',
  'IllegalArgumentException',
  'UserAlreadyExistsException',
  'UserNotFoundException',
  'SharedGroupException',
  /** Openfire unreachable, too slow or overloaded: retrying later may succeed. */
  'ServiceUnavailable',
  /** Openfire answered in a way the operation cannot use (misconfiguration, an upstream failure): see the logs. */
  'ServiceError',
] as const;

export type LegacyErrorName = (typeof LEGACY_ERRORS)[number];

/** A refusal decided by the gateway itself, with the reply name the old client gets. */
export class LegacyError extends Error {
  override readonly name = 'LegacyError';
  constructor(readonly reply: LegacyErrorName) {
    super(reply);
  }
}

/**
 * Openfire's exception names that the legacy service reported under the same name (openfire-rest-api.md §12.2 step 9).
 */
const PASSED_THROUGH = new Set<string>([
  'UserAlreadyExistsException',
  'UserNotFoundException',
  'SharedGroupException',
  'IllegalArgumentException',
]);

/** The one mapping from failures to reply names; steps catch the answers they expect (a 409 "exists") first. */
export function legacyErrorOf(error: unknown): LegacyErrorName {
  if (error instanceof LegacyError) return error.reply;
  if (error instanceof IncompleteRollback) return legacyErrorOf(error.original);
  if (!(error instanceof UpstreamError)) return 'ServiceError';
  const rejected = error.status !== null && error.status >= 400 && error.status < 500;
  if (rejected && error.exception !== null && PASSED_THROUGH.has(error.exception)) {
    return error.exception as LegacyErrorName;
  }
  if (rejected && error.exception === 'PasswordIsNull') return 'IllegalArgumentException';
  if (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT') return 'ServiceUnavailable';
  return 'ServiceError';
}
