import { describe, expect, it } from 'vitest';
import { type AuthMode, identify, keyMatcher } from '../../src/auth/identify.js';
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/auth/jwt.js';
import { CLAIMS, HS_SECRET, sign } from '../helpers/identity-provider.js';

/**
 * Who a request's Authorization header names: the username and role mapping of tokens, and how tokens compose with
 * API keys and passthrough. Tokens are signed with the test's HS256 secret; the checks do not depend on the key.
 */
const ISSUER = 'https://idp.example.com/realms/test';

function verifier(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    ...CLAIMS,
    keys: new TextEncoder().encode(HS_SECRET),
    issuer: ISSUER,
    audience: null,
    algorithms: ['HS256'],
    ...options,
  });
}

/** Counts the domain lookups: only a username claim holding a JID needs one. */
function context() {
  const asked = { count: 0 };
  return {
    asked,
    domain: () => {
      asked.count++;
      return Promise.resolve('example.org');
    },
  };
}

const tokens = verifier();
const passthrough: AuthMode = { kind: 'passthrough', tokens };
const bearer = async (claims: Record<string, unknown>) => `Bearer ${await sign(HS_SECRET, claims, ISSUER)}`;

describe('the username claim', () => {
  it.each([
    ['jane', 'jane'],
    ['Jane', 'jane'],
    ['ＪＡＮＥ', 'jane'],
    ['jane@example.org', 'jane'],
    ['Jane@Example.ORG', 'jane'],
  ])('maps %j to the Openfire username %j', async (value, username) => {
    const identity = await identify(passthrough, await bearer({ preferred_username: value }), context());
    expect(identity).toEqual({ kind: 'caller', caller: { key: `jwt:${ISSUER}:subject-1`, role: 'user', username } });
  });

  it.each([
    ['jane@elsewhere.org', 'username of another domain'],
    ['jane@conference.example.org', 'username of another domain'],
    ['jane@example.org/phone', 'invalid username'],
    ['@example.org', 'invalid username'],
    ['jane@', 'invalid username'],
    ['ja ne', 'invalid username'],
    ['ja"ne', 'invalid username'],
    ['a@b@example.org', 'invalid username'],
    ['', 'missing username claim'],
    [42, 'missing username claim'],
    [['jane'], 'missing username claim'],
    [undefined, 'missing username claim'],
  ])('refuses %j: %s', async (value, reason) => {
    const identity = await identify(passthrough, await bearer({ preferred_username: value }), context());
    expect(identity).toEqual({ kind: 'refused', reason });
  });

  it('asks for the domain only when the claim is a JID', async () => {
    const plain = context();
    await identify(passthrough, await bearer({ preferred_username: 'jane' }), plain);
    expect(plain.asked.count).toBe(0);
    const jid = context();
    await identify(passthrough, await bearer({ preferred_username: 'jane@example.org' }), jid);
    expect(jid.asked.count).toBe(1);
  });

  it('cannot check a JID while the domain cannot be read (503, not 401)', async () => {
    const down = { domain: () => Promise.reject(new Error('Openfire is down')) };
    expect(await identify(passthrough, await bearer({ preferred_username: 'jane@example.org' }), down)).toEqual({
      kind: 'unavailable',
      reason: 'the XMPP domain could not be read from Openfire',
    });
  });

  it('reads another claim when told (AUTH_JWT_USERNAME_CLAIM), a dotted path too', async () => {
    const byEmail = { ...passthrough, tokens: verifier({ usernameClaim: 'email' }) };
    expect(
      await identify(byEmail, await bearer({ email: 'john@example.org', preferred_username: 'x' }), context()),
    ).toMatchObject({ caller: { username: 'john' } });
    const nested = { ...passthrough, tokens: verifier({ usernameClaim: 'xmpp.user' }) };
    expect(await identify(nested, await bearer({ xmpp: { user: 'john' } }), context())).toMatchObject({
      caller: { username: 'john' },
    });
  });

  it('names the caller by issuer and subject, never by the token', async () => {
    const header = await bearer({ sub: 'a7f3', preferred_username: 'jane' });
    const identity = await identify(passthrough, header, context());
    expect(identity).toMatchObject({ caller: { key: `jwt:${ISSUER}:a7f3` } });
    expect(JSON.stringify(identity)).not.toContain(header.slice(7));
  });
});

describe('the roles claim', () => {
  it.each([
    [{ roles: ['openfire-admin'] }, 'admin'],
    [{ roles: ['openfire-read', 'openfire-admin'] }, 'admin'],
    [{ roles: ['openfire-read'] }, 'read'],
    [{ roles: 'offline_access openfire-read' }, 'read'],
    [{ roles: ['other'], preferred_username: 'jane' }, 'user'],
    [{ roles: 'openfire-administrator', preferred_username: 'jane' }, 'user'],
    [{ roles: { 'openfire-admin': true }, preferred_username: 'jane' }, 'user'],
  ])('maps %j to the role %s', async (claims, role) => {
    expect(await identify(passthrough, await bearer(claims), context())).toMatchObject({ caller: { role } });
  });

  it('gives admin and read tokens no username, and needs none from them', async () => {
    const identity = await identify(passthrough, await bearer({ roles: ['openfire-admin'] }), context());
    expect(identity).toEqual({ kind: 'caller', caller: { key: `jwt:${ISSUER}:subject-1`, role: 'admin' } });
  });

  it('follows a dotted path (Keycloak’s realm_access.roles), and a claim name holding dots', async () => {
    const keycloak = { ...passthrough, tokens: verifier({ rolesClaim: 'realm_access.roles' }) };
    const claims = { realm_access: { roles: ['default-roles', 'openfire-admin'] }, roles: ['openfire-read'] };
    expect(await identify(keycloak, await bearer(claims), context())).toMatchObject({ caller: { role: 'admin' } });
    const namespaced = { ...passthrough, tokens: verifier({ rolesClaim: 'https://example.com/roles' }) };
    expect(
      await identify(namespaced, await bearer({ 'https://example.com/roles': ['openfire-read'] }), context()),
    ).toMatchObject({ caller: { role: 'read' } });
  });

  it('uses the configured role names (AUTH_JWT_ADMIN_ROLE, AUTH_JWT_READ_ROLE)', async () => {
    const named = { ...passthrough, tokens: verifier({ adminRole: 'chat-admin', readRole: 'chat-audit' }) };
    expect(await identify(named, await bearer({ roles: ['chat-admin'] }), context())).toMatchObject({
      caller: { role: 'admin' },
    });
    expect(await identify(named, await bearer({ roles: ['chat-audit'] }), context())).toMatchObject({
      caller: { role: 'read' },
    });
    expect(
      await identify(named, await bearer({ roles: ['openfire-admin'], preferred_username: 'jane' }), context()),
    ).toMatchObject({ caller: { role: 'user' } });
  });
});

describe('tokens beside API keys and passthrough', () => {
  const keys = new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ] as const);
  const keyed: AuthMode = { kind: 'keys', match: keyMatcher(keys), tokens };

  it('matches API keys, verifies tokens, and refuses anything else in API-key mode', async () => {
    expect(await identify(keyed, 'Bearer read-key', context())).toEqual({
      kind: 'caller',
      caller: { key: 'api-key#2', role: 'read' },
    });
    expect(await identify(keyed, await bearer({ roles: ['openfire-admin'] }), context())).toMatchObject({
      caller: { role: 'admin' },
    });
    for (const header of ['Bearer nope', 'test-secret-7Hq2', 'Basic YWRtaW46YWRtaW4=', '  '])
      expect(await identify(keyed, header, context())).toEqual({ kind: 'missing' });
    expect(await identify(keyed, null, context())).toEqual({ kind: 'missing' });
  });

  it('matches a configured key first, even one shaped like a JWT', async () => {
    const odd: AuthMode = { kind: 'keys', match: keyMatcher(new Map([['aaa.bbb.ccc', 'read']])), tokens };
    expect(await identify(odd, 'Bearer aaa.bbb.ccc', context())).toEqual({
      kind: 'caller',
      caller: { key: 'api-key#1', role: 'read' },
    });
  });

  it('forwards every other header in passthrough mode, but never a refused token', async () => {
    expect(await identify(passthrough, 'test-secret-7Hq2', context())).toMatchObject({
      caller: { role: 'admin', authorization: 'test-secret-7Hq2' },
    });
    expect(await identify(passthrough, 'Bearer not-a-jwt', context())).toMatchObject({
      caller: { authorization: 'Bearer not-a-jwt' },
    });
    const expired = `Bearer ${await sign(HS_SECRET, { roles: ['openfire-admin'] }, ISSUER, { expiresIn: -120 })}`;
    expect(await identify(passthrough, expired, context())).toEqual({ kind: 'refused', reason: 'token expired' });
  });

  it('treats a JWT like any other value without token verification (as before)', async () => {
    const header = await bearer({ roles: ['openfire-admin'] });
    expect(await identify({ kind: 'passthrough' }, header, context())).toMatchObject({
      caller: { authorization: header },
    });
    expect(await identify({ kind: 'keys', match: keyMatcher(keys) }, header, context())).toEqual({ kind: 'missing' });
  });
});
