import { describe, expect, it } from 'vitest';
import { createTokenVerifier, openTokenVerifier } from '../../src/auth/jwt.js';
import { nodeprep } from '../../src/xmpp/jid.js';
import { useGateway } from '../helpers/gateway.js';
import {
  AUDIENCE,
  CLAIMS,
  HS_SECRET,
  jwks,
  makeKey,
  type SignOptions,
  sign,
  startIdentityProvider,
  type TestKey,
  unsigned,
} from '../helpers/identity-provider.js';
import { logRecords } from '../helpers/log-sink.js';

/**
 * Callers' tokens through the gateway (`app.fetch`) in front of the emulator, verified against an identity
 * provider's JWKS over real HTTP: what is accepted with which role, and every refusal, answered 401 with
 * `WWW-Authenticate` before any upstream call.
 */
const [rsa, ec, ed, stranger] = await Promise.all([
  makeKey('RS256', 'rsa-1'),
  makeKey('ES256', 'ec-1'),
  makeKey('EdDSA', 'ed-1'),
  makeKey('RS256', 'rsa-1'),
]);
const idp = await startIdentityProvider(jwks(rsa, ec, ed));
const { nodeprep: _, ...claims } = CLAIMS;
const tokens = await openTokenVerifier(
  { source: { kind: 'jwks', url: idp.jwksUrl }, issuer: idp.issuer, audience: AUDIENCE, ...claims },
  { nodeprep },
);
const keyed = useGateway({ tokens, apiKeys: new Map([['admin-key', 'admin']]) });
const passthrough = useGateway({ tokens });
const hs = useGateway({
  tokens: createTokenVerifier({
    ...CLAIMS,
    keys: new TextEncoder().encode(HS_SECRET),
    issuer: null,
    audience: null,
    algorithms: ['HS256'],
  }),
});

/** Without XMPP_DOMAIN: the domain is read from Openfire, with the gateway's credential, once. */
const unknownDomain = useGateway({ tokens, domain: null });

/** End users without the directory (`AUTH_USER_DIRECTORY=false`). */
const noDirectory = useGateway({ tokens, app: { userPolicy: { passwordChange: true, directory: false } } });

type Gateway = typeof keyed;

/** A POST to /graphql with the header as given; the raw response, for its status and headers. */
async function post(gateway: Gateway, authorization: string, query: string, requestId = 'auth-test') {
  const res = await gateway.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization, 'x-request-id': requestId },
    body: JSON.stringify({ query }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: JSON under test, checked by expect()
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const userQuery = '{ user(username: "john") { name } }';
const mutation = 'mutation { createUser(input: { username: "tokened", password: "pw" }) { username } }';
const token = (key: TestKey | string, payload: Record<string, unknown>, options?: SignOptions) =>
  sign(key, payload, idp.issuer, options);

describe('tokens signed by the JWKS keys', () => {
  it.each([
    ['RS256', rsa],
    ['ES256', ec],
    ['EdDSA', ed],
  ])('accepts %s with the admin role: queries and changes with the gateway’s credential', async (_alg, key) => {
    const admin = await token(key, { roles: ['openfire-admin'] });
    expect((await post(keyed, `Bearer ${admin}`, userQuery)).body).toEqual({ data: { user: { name: 'John Doe' } } });
    expect((await post(passthrough, `Bearer ${admin}`, userQuery)).body).toEqual({
      data: { user: { name: 'John Doe' } },
    });
  });

  it('lets the admin role change Openfire, and gives the read role queries but no mutations', async () => {
    const admin = await token(rsa, { roles: ['openfire-admin'] });
    expect((await post(keyed, `Bearer ${admin}`, mutation)).body).toEqual({
      data: { createUser: { username: 'tokened' } },
    });
    const read = await token(ec, { realm: 'x', roles: ['openfire-read'] });
    expect((await post(keyed, `Bearer ${read}`, userQuery)).body.data).toEqual({ user: { name: 'John Doe' } });
    await keyed.resetCalls();
    const refused = await post(keyed, `Bearer ${read}`, mutation);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await keyed.upstreamCalls()).total).toBe(0);
  });

  it('accepts an end user’s token (no role) with a username', async () => {
    const user = await token(ed, { preferred_username: 'jane' });
    const res = await post(keyed, `Bearer ${user}`, '{ __typename }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('reads the XMPP domain from Openfire once for JIDs when it is not configured', async () => {
    const jid = `Bearer ${await token(ed, { preferred_username: 'Jane@example.org' })}`;
    expect((await post(unknownDomain, jid, '{ me { username } }')).body).toEqual({
      data: { me: { username: 'jane' } },
    });
    const other = `Bearer ${await token(ed, { preferred_username: 'jane@elsewhere.org' })}`;
    expect((await post(unknownDomain, other, '{ me { username } }')).status).toBe(401);
    expect((await unknownDomain.upstreamCalls()).routes['GET /system/properties/{propertyKey}']).toBe(1);
  });

  it('hands the user policy to the schema through the request scope', async () => {
    const user = `Bearer ${await token(ed, { preferred_username: 'jane' })}`;
    const query = '{ directory(first: 2) { nodes { username } } }';
    expect((await post(keyed, user, query)).body).toEqual({
      data: { directory: { nodes: [{ username: 'admin' }, { username: 'jane' }] } },
    });
    const off = await post(noDirectory, user, query);
    expect(off.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('keeps API keys working beside tokens, and passthrough forwarding beside them', async () => {
    expect((await post(keyed, 'Bearer admin-key', userQuery)).body.data).toEqual({ user: { name: 'John Doe' } });
    expect((await post(keyed, 'Bearer nope', userQuery)).status).toBe(401);
    // The emulator's secret, forwarded as before; a wrong one reaches Openfire and is refused there.
    expect((await post(passthrough, 'test-secret-7Hq2', userQuery)).body.data).toEqual({ user: { name: 'John Doe' } });
    const wrong = await post(passthrough, 'someone-else', userQuery);
    expect(wrong.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('tells a caller without a credential that tokens are accepted', async () => {
    const res = await keyed.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: userQuery }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as { errors: Array<{ message: string }> }).errors[0]?.message).toBe(
      'Send an API key as "Authorization: Bearer <key>", or a token as "Authorization: Bearer <token>".',
    );
  });
});

describe('HS256 tokens with AUTH_JWT_SECRET', () => {
  it('accepts a token signed with the secret', async () => {
    const admin = await sign(HS_SECRET, { roles: ['openfire-admin'] }, 'anyone');
    expect((await post(hs, `Bearer ${admin}`, userQuery)).body.data).toEqual({ user: { name: 'John Doe' } });
  });

  it('refuses a token signed with another secret, and an RS256 token (no asymmetric keys are configured)', async () => {
    const other = await sign('another-secret-of-32-bytes-or-more!', { roles: ['openfire-admin'] }, 'anyone');
    const rs = await token(rsa, { roles: ['openfire-admin'] });
    for (const [value, reason] of [
      [other, 'invalid signature'],
      [rs, 'algorithm not allowed'],
    ] as const) {
      const res = await post(hs, `Bearer ${value}`, userQuery);
      expect([res.status, res.headers.get('www-authenticate')]).toEqual([
        401,
        `Bearer error="invalid_token", error_description="${reason}"`,
      ]);
    }
    expect((await hs.upstreamCalls()).total).toBe(0);
  });
});

describe('refused tokens: 401, WWW-Authenticate, the check named, no upstream call', () => {
  const tamper = (value: string): string => {
    const [header, , signature] = value.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', roles: ['openfire-admin'] })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  };
  const cases: Array<[string, () => Promise<string> | string, string]> = [
    ['an expired token', () => token(rsa, { roles: ['openfire-admin'] }, { expiresIn: -120 }), 'token expired'],
    [
      'a token not valid yet',
      () => token(rsa, { roles: ['openfire-admin'] }, { notBefore: 300 }),
      'token not yet valid',
    ],
    [
      'a token without expiry',
      () => token(rsa, { roles: ['openfire-admin'] }, { expiresIn: null }),
      'missing exp claim',
    ],
    [
      'another issuer',
      () => token(ec, { roles: ['openfire-admin'] }, { issuer: 'https://evil.example' }),
      'wrong issuer',
    ],
    ['another audience', () => token(ec, { roles: ['openfire-admin'] }, { audience: 'other-app' }), 'wrong audience'],
    ['a key the JWKS does not hold', () => token(rsa, {}, { kid: 'rsa-unknown' }), 'unknown signing key'],
    ['another key under a known kid', () => token(stranger, { roles: ['openfire-admin'] }), 'invalid signature'],
    ['a changed payload', async () => tamper(await token(rsa, { preferred_username: 'jane' })), 'invalid signature'],
    ['alg: none', () => unsigned({ roles: ['openfire-admin'] }, idp.issuer), 'algorithm not allowed'],
    ['an HS256 token', () => sign(HS_SECRET, { roles: ['openfire-admin'] }, idp.issuer), 'algorithm not allowed'],
    ['a malformed token', () => 'bm90.YSB0b2tlbg.c2ln', 'malformed token'],
    ['an end user without a username', () => token(ed, { name: 'Jane' }), 'missing username claim'],
    [
      'a JID of another domain',
      () => token(ed, { preferred_username: 'jane@elsewhere.org' }),
      'username of another domain',
    ],
    ['an invalid username', () => token(ed, { preferred_username: 'ja<ne' }), 'invalid username'],
  ];

  it.each(cases)('refuses %s', async (what, make, reason) => {
    const value = await make();
    const requestId = `refused-${what.replace(/\W+/g, '-')}`;
    const res = await post(keyed, `Bearer ${value}`, userQuery, requestId);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${reason}"`);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: `Token refused: ${reason}.`, extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(value.split('.')[2] || value);
    expect((await keyed.upstreamCalls()).total).toBe(0);
    // Logged with the reason (the sink is scanned for every token signed: see test/helpers/identity-provider.ts).
    expect(logRecords().filter((r) => r.msg === 'token refused' && r.requestId === requestId)).toEqual([
      expect.objectContaining({ reason }),
    ]);
  });

  it('refuses a bad token in passthrough mode too, instead of forwarding it', async () => {
    const res = await post(passthrough, `Bearer ${await token(rsa, {}, { expiresIn: -120 })}`, userQuery);
    expect([res.status, res.body.errors[0].message]).toEqual([401, 'Token refused: token expired.']);
    expect((await passthrough.upstreamCalls()).total).toBe(0);
  });

  it('refuses every operation of a batch, after one check', async () => {
    const expired = await token(rsa, { roles: ['openfire-admin'] }, { expiresIn: -120 });
    const res = await keyed.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}`, 'x-request-id': 'batch' },
      body: JSON.stringify([{ query: userQuery }, { query: '{ __typename }' }]),
    });
    // A batch is answered 200 with one result per operation (yoga's way), each refused.
    const refused = { message: 'Token refused: token expired.', extensions: { code: 'UNAUTHENTICATED' } };
    expect(await res.json()).toEqual([{ errors: [refused] }, { errors: [refused] }]);
    expect(logRecords().filter((r) => r.msg === 'token refused' && r.requestId === 'batch')).toHaveLength(1);
    expect((await keyed.upstreamCalls()).total).toBe(0);
  });
});
