import { timingSafeEqual } from 'node:crypto';
import { digest } from '../common/secrets.js';
import type { Caller, Role } from '../request/caller.js';

/** An API key that matched: its role, and its place in `GATEWAY_API_KEYS` as the caller's name (never the key). */
export interface KeyMatch {
  readonly role: Role;
  readonly id: string;
}

/** Keys compared in constant time, every key each time. */
export function keyMatcher(keys: ReadonlyMap<string, Role>): (presented: string) => KeyMatch | null {
  const entries = [...keys].map(([key, role], i) => [digest(key), { role, id: `api-key#${i + 1}` }] as const);
  return (presented) => {
    const candidate = digest(presented);
    let found: KeyMatch | null = null;
    for (const [key, match] of entries) if (timingSafeEqual(key, candidate)) found = match;
    return found;
  };
}

export type AuthMode =
  | { readonly kind: 'passthrough' }
  | { readonly kind: 'keys'; readonly match: (key: string) => KeyMatch | null };

/**
 * The caller, or null when the request carries no usable credential (answered 401 before any upstream call). With
 * API keys configured, callers send `Authorization: Bearer <key>` and the gateway uses its own Openfire credential;
 * without them, the caller's `Authorization` header is forwarded to Openfire.
 */
export function identify(mode: AuthMode, authorization: string | null): Caller | null {
  if (authorization === null || authorization.trim() === '') return null;
  // A forwarded credential is known by its digest: fairness needs a name for it, logs and memory never the secret.
  if (mode.kind === 'passthrough')
    return { key: `credential:${digest(authorization).toString('hex', 0, 8)}`, role: 'admin', authorization };
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  const match = bearer === undefined ? null : mode.match(bearer);
  return match === null ? null : { key: match.id, role: match.role };
}
