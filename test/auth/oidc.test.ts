import { describe, expect, it } from 'vitest';
import { type JwtSettings, openTokenVerifier, TokenSetupError } from '../../src/auth/jwt.js';
import { discover } from '../../src/auth/oidc.js';
import {
  AUDIENCE,
  CLAIMS,
  closedPort,
  jwks,
  makeKey,
  sign,
  startIdentityProvider,
} from '../helpers/identity-provider.js';

/**
 * `AUTH_OIDC_ISSUER`: the discovery document read once at start-up names the JWKS and the issuer; when it cannot be
 * read start-up stops (main.ts: exit code 2, test/e2e/start.test.ts).
 */
const key = await makeKey('RS256', 'oidc-1');
const idp = await startIdentityProvider(jwks(key));
const { nodeprep, ...claims } = CLAIMS;
const settings = (issuer: string | null = null): JwtSettings => ({
  source: { kind: 'oidc', issuer: idp.issuer },
  issuer,
  audience: AUDIENCE,
  ...claims,
});
const domain = { domain: () => Promise.resolve('example.org') };

describe('OpenID Connect discovery', () => {
  it('reads jwks_uri and issuer from <issuer>/.well-known/openid-configuration', async () => {
    expect(await discover(idp.issuer)).toEqual({ issuer: idp.issuer, jwksUri: idp.jwksUrl });
    expect(await discover(`${idp.issuer}/`)).toEqual({ issuer: idp.issuer, jwksUri: idp.jwksUrl });
  });

  it('verifies tokens with the discovered keys, the discovered issuer required by default', async () => {
    const before = idp.hits('discovery');
    const verifier = await openTokenVerifier(settings(), { nodeprep });
    expect(idp.hits('discovery')).toBe(before + 1);
    const good = await sign(key, { preferred_username: 'jane' }, idp.issuer);
    expect(await verifier.verify(good, domain)).toMatchObject({ ok: true, caller: { username: 'jane' } });
    const other = await sign(key, { preferred_username: 'jane' }, 'https://other.example');
    expect(await verifier.verify(other, domain)).toEqual({ ok: false, reason: 'wrong issuer' });
    // The document is read at start-up only.
    expect(idp.hits('discovery')).toBe(before + 1);
  });

  it('lets AUTH_JWT_ISSUER name another issuer than the discovered one', async () => {
    const verifier = await openTokenVerifier(settings('https://public.example/realms/test'), { nodeprep });
    const token = await sign(key, { roles: ['openfire-read'] }, 'https://public.example/realms/test');
    expect(await verifier.verify(token, domain)).toMatchObject({ ok: true, caller: { role: 'read' } });
  });

  it.each([
    [
      null,
      /^AUTH_OIDC_ISSUER: cannot read http:\/\/127\.0\.0\.1:\d+\/realms\/test\/\.well-known\/openid-configuration: HTTP 404$/,
    ],
    [{ issuer: 'x' }, /^AUTH_OIDC_ISSUER: \S+ has no jwks_uri \(an http or https URL\)$/],
    [{ jwks_uri: 'file:///etc/keys' }, /has no jwks_uri/],
  ])('stops start-up when the document is %j', async (document, message) => {
    idp.setDiscovery(document);
    try {
      await expect(openTokenVerifier(settings(), { nodeprep })).rejects.toThrow(TokenSetupError);
      await expect(openTokenVerifier(settings(), { nodeprep })).rejects.toThrow(message);
    } finally {
      idp.setDiscovery({ issuer: idp.issuer, jwks_uri: idp.jwksUrl });
    }
  });

  it('stops start-up when nobody answers', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}/realms/x`;
    const unreachable = { ...settings(), source: { kind: 'oidc', issuer } } as const;
    await expect(openTokenVerifier(unreachable, { nodeprep })).rejects.toThrow(
      `AUTH_OIDC_ISSUER: cannot read ${issuer}/.well-known/openid-configuration: ECONNREFUSED`,
    );
  });
});
