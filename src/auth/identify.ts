import { timingSafeEqual } from 'node:crypto';
import { digest } from '../common/secrets.js';
import type { Caller, Role } from '../request/caller.js';
import type { TokenContext, TokenVerifier } from './jwt.js';

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

/**
 * How callers are identified: API keys (`GATEWAY_API_KEYS`) or passthrough, and beside either, when `tokens` is
 * set, end users' and services' JWTs (`AUTH_*`, or embedded mode's own demo key).
 */
export type AuthMode =
  | { readonly kind: 'passthrough'; readonly tokens?: TokenVerifier | null }
  | {
      readonly kind: 'keys';
      readonly match: (key: string) => KeyMatch | null;
      readonly tokens?: TokenVerifier | null;
    };

/** Who the request's credential names, or why there is nobody. */
export type Identity =
  | { readonly kind: 'caller'; readonly caller: Caller }
  /** No usable credential: none, an unknown API key, a non-Bearer header with API keys. */
  | { readonly kind: 'missing' }
  /** A token that failed a check (`token expired`, `wrong audience`…). */
  | { readonly kind: 'refused'; readonly reason: string }
  /** A token that could not be checked (its signing keys could not be read). */
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Three base64url parts (the last one empty for `alg: none`, so that such a token is refused as one). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const looksLikeJwt = (value: string): boolean => JWT_SHAPE.test(value);

const MISSING: Identity = { kind: 'missing' };

/**
 * The caller of a request, decided before any upstream call. `Bearer <value>`: a configured API key matches first
 * (compared in constant time), else a value shaped like a JWT is verified as a token when tokens are on; the
 * gateway then uses its own Openfire credential. In passthrough mode anything else is forwarded to Openfire as is.
 */
export async function identify(mode: AuthMode, authorization: string | null, context: TokenContext): Promise<Identity> {
  if (authorization === null || authorization.trim() === '') return MISSING;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim();
  if (bearer !== undefined) {
    const match = mode.kind === 'keys' ? mode.match(bearer) : null;
    if (match !== null) return { kind: 'caller', caller: { key: match.id, role: match.role } };
    if (mode.tokens && looksLikeJwt(bearer)) {
      const result = await mode.tokens.verify(bearer, context);
      if (result.ok) return { kind: 'caller', caller: result.caller };
      return { kind: result.unavailable ? 'unavailable' : 'refused', reason: result.reason };
    }
  }
  if (mode.kind === 'keys') return MISSING;
  // A forwarded credential is known by its digest: fairness needs a name for it, logs and memory never the secret.
  return {
    kind: 'caller',
    caller: { key: `credential:${digest(authorization).toString('hex', 0, 8)}`, role: 'admin', authorization },
  };
}
