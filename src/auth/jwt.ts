import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Caller } from '../request/caller.js';
import { claimAt, type RoleNames, roleOf, rolesIn, type UsernameRules, usernameFrom } from './claims.js';
import { KeysUnavailableError, type RemoteKeysOptions, remoteKeys } from './jwks.js';
import { DiscoveryError, discover } from './oidc.js';

/** Where the keys that sign callers' tokens come from: one of the three `AUTH_*` key sources. */
export type KeySource =
  | { readonly kind: 'jwks'; readonly url: string }
  | { readonly kind: 'oidc'; readonly issuer: string }
  | { readonly kind: 'secret'; readonly secret: string };

/** The `AUTH_JWT_*` settings, as config.ts reads them. */
export interface JwtSettings extends RoleNames {
  readonly source: KeySource;
  /** Required `iss`; `null` checks none (a secret without `AUTH_JWT_ISSUER`) or takes the OIDC provider's. */
  readonly issuer: string | null;
  /** Required `aud`; `null` checks none (only with a secret). */
  readonly audience: string | null;
  readonly algorithms: readonly string[];
  readonly clockToleranceS: number;
  /** The claim (a name or a dotted path) holding the Openfire username or a bare JID. */
  readonly usernameClaim: string;
  /** The claim (a name or a dotted path) holding the caller's roles. */
  readonly rolesClaim: string;
}

/** Signatures with a public key (JWKS, OIDC) and with a shared secret: never mixed, `none` never allowed. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

export const DEFAULT_JWT = {
  algorithms: ['RS256', 'ES256', 'EdDSA'],
  secretAlgorithms: ['HS256'],
  clockToleranceS: 30,
  usernameClaim: 'preferred_username',
  rolesClaim: 'roles',
  adminRole: 'openfire-admin',
  readRole: 'openfire-read',
  /** HS256 needs a key as long as its hash (RFC 7518 section 3.2). */
  secretMinBytes: 32,
} as const;

/** What a token gave: the caller, or the check it failed (`unavailable`: it could not be checked at all). */
export type TokenResult =
  | { readonly ok: true; readonly caller: Caller }
  | { readonly ok: false; readonly reason: string; readonly unavailable?: boolean };

export interface TokenContext {
  /** Openfire's XMPP domain, for a username claim holding a JID. */
  readonly domain: () => Promise<string>;
}

/** Verifies callers' tokens; one per process (its key cache is the process's). */
export interface TokenVerifier {
  verify(token: string, context: TokenContext): Promise<TokenResult>;
}

/** The settings' checks (issuer, audience, algorithms, claims), with the keys they resolve to. */
export interface TokenVerifierOptions extends Omit<JwtSettings, 'source'> {
  /** A shared secret, a public key, or a resolver picking one by the token's header (a JWKS). */
  readonly keys: Uint8Array | CryptoKey | JWTVerifyGetKey;
  /** src/xmpp/jid.ts's nodeprep (auth/ does not import xmpp/: main.ts hands it in). */
  readonly nodeprep: UsernameRules['nodeprep'];
  readonly now?: () => number;
}

/** The failed check, named without the token (shown to the caller, in WWW-Authenticate and in the log). */
function reasonOf(error: unknown): { reason: string; unavailable?: boolean } {
  if (error instanceof KeysUnavailableError) return { reason: error.message, unavailable: true };
  if (error instanceof errors.JWTExpired) return { reason: error.claim === 'exp' ? 'token expired' : 'token too old' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return { reason: `missing ${error.claim} claim` };
    const known: Record<string, string> = {
      nbf: 'token not yet valid',
      iat: 'token issued in the future',
      iss: 'wrong issuer',
      aud: 'wrong audience',
    };
    return { reason: known[error.claim] ?? `invalid ${error.claim} claim` };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { reason: 'algorithm not allowed' };
  if (error instanceof errors.JWKSNoMatchingKey) return { reason: 'unknown signing key' };
  if (error instanceof errors.JWKSMultipleMatchingKeys) return { reason: 'ambiguous signing key' };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { reason: 'invalid signature' };
  if (error instanceof errors.JOSENotSupported) return { reason: 'unsupported algorithm or key' };
  return { reason: 'malformed token' };
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { keys, now = Date.now } = options;
  const verifyOptions = {
    algorithms: [...options.algorithms],
    clockTolerance: options.clockToleranceS,
    requiredClaims: ['exp'],
    ...(options.issuer !== null && { issuer: options.issuer }),
    ...(options.audience !== null && { audience: options.audience }),
  };
  const check = (token: string): Promise<JWTPayload> => {
    const at = { ...verifyOptions, currentDate: new Date(now()) };
    // One overload per kind of key: jose's union overload would hide the resolver's result type.
    const verified =
      typeof keys === 'function' ? jwtVerify(token, keys, at) : jwtVerify(token, keys as Uint8Array | CryptoKey, at);
    return verified.then((result) => result.payload);
  };
  return {
    async verify(token, context) {
      let payload: JWTPayload;
      try {
        payload = await check(token);
      } catch (error) {
        return { ok: false, ...reasonOf(error) };
      }
      const role = roleOf(rolesIn(claimAt(payload, options.rolesClaim)), options);
      // The caller's name for fairness and logs: the token's issuer and subject, never the token.
      const subject = typeof payload.sub === 'string' ? payload.sub : null;
      const key = (who: string) => `jwt:${payload.iss ?? ''}:${who}`;
      if (role !== 'user') return { ok: true, caller: { key: key(subject ?? `role:${role}`), role } };
      let found: Awaited<ReturnType<typeof usernameFrom>>;
      try {
        found = await usernameFrom(claimAt(payload, options.usernameClaim), {
          nodeprep: options.nodeprep,
          domain: context.domain,
        });
      } catch {
        return { ok: false, reason: 'the XMPP domain could not be read from Openfire', unavailable: true };
      }
      if ('refusal' in found) return { ok: false, reason: found.refusal };
      return { ok: true, caller: { key: key(subject ?? `user:${found.username}`), role, username: found.username } };
    },
  };
}

/** Start-up could not prepare token verification (the OIDC discovery document); main.ts stops with exit code 2. */
export class TokenSetupError extends Error {}

export interface OpenOptions extends RemoteKeysOptions {
  readonly nodeprep: UsernameRules['nodeprep'];
}

/** The verifier for the configured settings; reads the OIDC discovery document first when there is one. */
export async function openTokenVerifier(settings: JwtSettings, options: OpenOptions): Promise<TokenVerifier> {
  const { source } = settings;
  let keys: TokenVerifierOptions['keys'];
  let issuer = settings.issuer;
  if (source.kind === 'secret') keys = new TextEncoder().encode(source.secret);
  else if (source.kind === 'jwks') keys = remoteKeys(new URL(source.url), options);
  else {
    try {
      const discovered = await discover(source.issuer);
      keys = remoteKeys(new URL(discovered.jwksUri), options);
      issuer ??= discovered.issuer;
    } catch (error) {
      if (error instanceof DiscoveryError) throw new TokenSetupError(`AUTH_OIDC_ISSUER: ${error.message}`);
      throw error;
    }
  }
  return createTokenVerifier({ ...settings, keys, issuer, nodeprep: options.nodeprep, now: options.now });
}
