import { generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier, DEFAULT_JWT, type TokenVerifier, type TokenVerifierOptions } from './jwt.js';

/**
 * Embedded mode's own token issuer, so that end-user calls can be tried at once: an ES256 key pair made at start
 * and never stored, trusted by the gateway and signing ready tokens for demo users. Never used with a real
 * Openfire, nor when `AUTH_*` names a key source.
 */
export const DEMO_ISSUER = 'urn:openfire-gateway:embedded';
export const DEMO_AUDIENCE = 'openfire-gateway';
/** How long a demo token is valid. */
export const DEMO_TOKEN_HOURS = 8;

export interface DemoTokens {
  readonly verifier: TokenVerifier;
  /** A token for an end user of the emulator's data (role `user`: no roles claim). */
  sign(username: string): Promise<string>;
}

export async function demoTokens(options: Pick<TokenVerifierOptions, 'nodeprep' | 'now'>): Promise<DemoTokens> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const now = options.now ?? Date.now;
  const verifier = createTokenVerifier({
    keys: publicKey,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    algorithms: ['ES256'],
    clockToleranceS: DEFAULT_JWT.clockToleranceS,
    usernameClaim: DEFAULT_JWT.usernameClaim,
    rolesClaim: DEFAULT_JWT.rolesClaim,
    adminRole: DEFAULT_JWT.adminRole,
    readRole: DEFAULT_JWT.readRole,
    ...options,
  });
  return {
    verifier,
    sign: (username) => {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({ [DEFAULT_JWT.usernameClaim]: username })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setIssuer(DEMO_ISSUER)
        .setAudience(DEMO_AUDIENCE)
        .setSubject(username)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + DEMO_TOKEN_HOURS * 3600)
        .sign(privateKey);
    },
  };
}
