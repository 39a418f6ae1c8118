import { timingSafeEqual } from 'node:crypto';
import { digest } from '../common/secrets.js';
import type { Caller, Role } from '../request/caller.js';

/** Keys compared in constant time, every key each time. */
export function keyMatcher(keys: ReadonlyMap<string, Role>): (presented: string) => Role | null {
  const entries = [...keys].map(([key, role]) => [digest(key), role] as const);
  return (presented) => {
    const candidate = digest(presented);
    let found: Role | null = null;
    for (const [key, role] of entries) if (timingSafeEqual(key, candidate)) found = role;
    return found;
  };
}

export type AuthMode =
  | { readonly kind: 'passthrough' }
  | { readonly kind: 'keys'; readonly match: (key: string) => Role | null };

/**
 * The caller, or null when the request carries no usable credential (answered 401 before any upstream call). With
 * API keys configured, callers send `Authorization: Bearer <key>` and the gateway uses its own Openfire credential;
 * without them, the caller's `Authorization` header is forwarded to Openfire.
 */
export function identify(mode: AuthMode, authorization: string | null): Caller | null {
  if (authorization === null || authorization.trim() === '') return null;
  if (mode.kind === 'passthrough') return { role: 'admin', authorization };
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  const role = bearer === undefined ? null : mode.match(bearer);
  return role === null ? null : { role };
}
