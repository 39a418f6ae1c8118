import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll } from 'vitest';
import { remoteKeys } from '../../src/auth/jwks.js';
import { createTokenVerifier, DEFAULT_JWT, type TokenVerifier } from '../../src/auth/jwt.js';
import { nodeprep } from '../../src/xmpp/jid.js';
import { scanForSecret, TEST_JWT_SECRET } from './log-sink.js';

/**
 * What the token tests share: key pairs made with jose, tokens signed with them (each one added to the secrets the
 * log scan looks for), and an identity provider over real HTTP on 127.0.0.1 serving a JWKS and an OpenID discovery
 * document, counting what it is asked.
 */
export type AsymmetricAlg = 'RS256' | 'ES256' | 'EdDSA';

export interface TestKey {
  readonly alg: AsymmetricAlg;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public key as a JWKS member. */
  readonly jwk: JWK;
}

export async function makeKey(alg: AsymmetricAlg, kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export const jwks = (...keys: TestKey[]): JSONWebKeySet => ({ keys: keys.map((key) => key.jwk) });

export const ISSUER_PATH = '/realms/test';
export const AUDIENCE = 'openfire-gateway';
export const DOMAIN = 'example.org';

export interface SignOptions {
  /** Seconds from now; default one hour. */
  readonly expiresIn?: number | null;
  readonly notBefore?: number;
  readonly issuer?: string;
  readonly audience?: string;
  /** Overrides the key's own `kid`; `null` sends none. */
  readonly kid?: string | null;
  /** Overrides the header's `alg` (a token signed with one algorithm that claims another). */
  readonly alg?: string;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Signs claims with a key pair or, given a string, with that HS256 secret (the test secret by default). */
export async function sign(
  key: TestKey | string,
  claims: JWTPayload,
  issuer: string,
  options: SignOptions = {},
): Promise<string> {
  const alg = typeof key === 'string' ? 'HS256' : key.alg;
  const kid = options.kid === undefined ? (typeof key === 'string' ? undefined : key.kid) : options.kid;
  const jwt = new SignJWT({ sub: 'subject-1', ...claims })
    .setProtectedHeader({ alg: options.alg ?? alg, typ: 'JWT', ...(kid === null || kid === undefined ? {} : { kid }) })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt();
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(now() + expiresIn);
  if (options.notBefore !== undefined) jwt.setNotBefore(now() + options.notBefore);
  const token = await jwt.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key.privateKey);
  scanForSecret(token);
  return token;
}

/** An unsigned token (`alg: none`), as an attacker would send one. */
export function unsigned(claims: JWTPayload, issuer: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'x', iss: issuer, aud: AUDIENCE, exp: now() + 3600, ...claims })}.`;
  scanForSecret(token);
  return token;
}

export const HS_SECRET = TEST_JWT_SECRET;

/**
 * The verifier options every test shares: the defaults (test/auth/config.test.ts states them literally), with the
 * JID rules of src/xmpp/jid.ts.
 */
const { algorithms, clockToleranceS, usernameClaim, rolesClaim, adminRole, readRole } = DEFAULT_JWT;
export const CLAIMS = { algorithms, clockToleranceS, usernameClaim, rolesClaim, adminRole, readRole, nodeprep };

/** A loopback port nobody listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface IdentityProvider {
  /** The issuer: `http://127.0.0.1:<port>/realms/test`. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Serves these keys from now on (a rotation). */
  setKeys(set: JSONWebKeySet): void;
  /** Answers the JWKS path with this status and no keys (or normally again with `null`). */
  failJwks(status: number | null): void;
  /** Replaces the discovery document (`null`: 404). */
  setDiscovery(document: Record<string, unknown> | null): void;
  /** Requests per path since the start. */
  hits(path: 'jwks' | 'discovery'): number;
}

/** The identity provider of the current test file, on a free loopback port, closed after the file. */
export async function startIdentityProvider(initial: JSONWebKeySet): Promise<IdentityProvider> {
  let keys = initial;
  let jwksStatus: number | null = null;
  const counts = { jwks: 0, discovery: 0 };
  let discovery: Record<string, unknown> | null = null;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === `${ISSUER_PATH}/protocol/openid-connect/certs`) {
      counts.jwks++;
      return jwksStatus === null ? send(res, 200, keys) : send(res, jwksStatus, { error: 'down' });
    }
    if (req.url === `${ISSUER_PATH}/.well-known/openid-configuration`) {
      counts.discovery++;
      return discovery === null ? send(res, 404, { error: 'not found' }) : send(res, 200, discovery);
    }
    send(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ISSUER_PATH}`;
  const jwksUrl = `${issuer}/protocol/openid-connect/certs`;
  discovery = { issuer, jwks_uri: jwksUrl, id_token_signing_alg_values_supported: ['RS256', 'ES256'] };
  return {
    issuer,
    jwksUrl,
    setKeys: (set) => {
      keys = set;
    },
    failJwks: (status) => {
      jwksStatus = status;
    },
    setDiscovery: (document) => {
      discovery = document;
    },
    hits: (path) => counts[path],
  };
}

export interface SignIn {
  /** The gateway's verifier, reading the provider's JWKS over HTTP. */
  readonly verifier: TokenVerifier;
  /** `Bearer <token>` for a user (no roles: an end user), or with roles such as `openfire-read`. */
  bearer(username: string, roles?: readonly string[]): Promise<string>;
}

/** An identity provider with one RS256 key and the verifier that trusts it: for tests that sign callers in. */
export async function startSignIn(): Promise<SignIn> {
  const key = await makeKey('RS256', 'sign-in-1');
  const idp = await startIdentityProvider(jwks(key));
  const verifier = createTokenVerifier({
    ...CLAIMS,
    keys: remoteKeys(new URL(idp.jwksUrl)),
    issuer: idp.issuer,
    audience: AUDIENCE,
  });
  return {
    verifier,
    bearer: async (username, roles = []) =>
      `Bearer ${await sign(key, { preferred_username: username, roles: [...roles] }, idp.issuer)}`,
  };
}
