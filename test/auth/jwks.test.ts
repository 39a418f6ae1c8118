import { describe, expect, it } from 'vitest';
import { remoteKeys } from '../../src/auth/jwks.js';
import { createTokenVerifier, type TokenResult } from '../../src/auth/jwt.js';
import { useGateway } from '../helpers/gateway.js';
import {
  AUDIENCE,
  CLAIMS,
  jwks,
  makeKey,
  sign,
  startIdentityProvider,
  type TestKey,
} from '../helpers/identity-provider.js';

/**
 * The JWKS cache against an identity provider over real HTTP, on a clock the test moves (no sleeping): keys read at
 * the first token, read again for an unknown `kid` (key rotation without restart) at most once per 30 s, read
 * again when 10 minutes old, and kept when a later read fails.
 */
const [first, second, third, fourth] = await Promise.all([
  makeKey('ES256', 'key-1'),
  makeKey('ES256', 'key-2'),
  makeKey('ES256', 'key-3'),
  makeKey('ES256', 'key-4'),
]);
const domain = { domain: () => Promise.resolve('example.org') };

/** A fresh provider and verifier (its own cache) with the test's clock. */
async function setUp(initial: TestKey[]) {
  const idp = await startIdentityProvider(jwks(...initial));
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const verifier = createTokenVerifier({
    ...CLAIMS,
    keys: remoteKeys(new URL(idp.jwksUrl), { now }),
    issuer: idp.issuer,
    audience: AUDIENCE,
    now,
  });
  const check = async (key: TestKey): Promise<TokenResult> =>
    verifier.verify(await sign(key, { roles: ['openfire-admin'] }, idp.issuer), domain);
  return { idp, clock, verifier, check };
}

/** A gateway whose verifier has not read its keys yet. */
const unread = await setUp([first]);
const gateway = useGateway({ tokens: unread.verifier });

const accepted = { ok: true, caller: expect.objectContaining({ role: 'admin' }) };
const unknown = { ok: false, reason: 'unknown signing key' };

describe('the JWKS cache', () => {
  it('reads the keys once for many tokens', async () => {
    const { idp, check } = await setUp([first]);
    const results = await Promise.all(Array.from({ length: 5 }, () => check(first)));
    expect(results).toEqual(Array.from({ length: 5 }, () => accepted));
    expect(await check(first)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(1);
  });

  it('accepts a rotated-in key once 30 s have passed since the last read, without restart', async () => {
    const { idp, clock, check } = await setUp([first]);
    expect(await check(first)).toEqual(accepted);
    idp.setKeys(jwks(first, second));
    // Within 30 s of the last read an unknown kid reads nothing: refused, the server not asked.
    clock.now += 29_999;
    expect(await check(second)).toEqual(unknown);
    expect(idp.hits('jwks')).toBe(1);
    clock.now += 1;
    expect(await check(second)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(2);
    // Both keys are now held: no more reads.
    expect([await check(first), await check(second)]).toEqual([accepted, accepted]);
    expect(idp.hits('jwks')).toBe(2);
  });

  it('reads at most once per 30 s however many unknown kids arrive, concurrent ones sharing one read', async () => {
    const { idp, clock, check } = await setUp([first]);
    await check(first);
    clock.now += 30_000;
    expect(await Promise.all([check(third), check(third), check(fourth)])).toEqual([unknown, unknown, unknown]);
    expect(idp.hits('jwks')).toBe(2);
    for (let i = 0; i < 5; i++) {
      clock.now += 5_000;
      expect(await check(third)).toEqual(unknown);
    }
    expect(idp.hits('jwks')).toBe(2);
    idp.setKeys(jwks(first, third));
    clock.now += 5_000;
    expect(await check(third)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(3);
  });

  it('reads keys again when 10 minutes old, dropping a retired key', async () => {
    const { idp, clock, check } = await setUp([first, second]);
    expect(await check(first)).toEqual(accepted);
    idp.setKeys(jwks(second));
    clock.now += 10 * 60_000 - 1;
    expect(await check(first)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(1);
    clock.now += 1;
    expect(await check(first)).toEqual(unknown);
    expect(await check(second)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(2);
  });

  it('keeps the keys it has when the JWKS server fails, and asks it again only after 30 s', async () => {
    const { idp, clock, check } = await setUp([first]);
    await check(first);
    idp.failJwks(500);
    clock.now += 30_000;
    const down = { ok: false, unavailable: true, reason: 'the signing keys could not be read (HTTP 500)' };
    expect(await check(second)).toEqual(down);
    expect(idp.hits('jwks')).toBe(2);
    // Known keys still serve; an unknown kid cannot be decided until the next read.
    expect(await check(first)).toEqual(accepted);
    clock.now += 29_000;
    expect(await check(second)).toEqual(down);
    expect(idp.hits('jwks')).toBe(2);
    // Stale keys serve too while the server is down.
    clock.now += 10 * 60_000;
    expect(await check(first)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(3);
    idp.failJwks(null);
    idp.setKeys(jwks(first, second));
    clock.now += 30_000;
    expect(await check(second)).toEqual(accepted);
    expect(idp.hits('jwks')).toBe(4);
  });

  it('answers 503 while it has never read the keys, before any upstream call', async () => {
    const { idp, clock } = unread;
    idp.failJwks(404);
    const admin = await sign(first, { roles: ['openfire-admin'] }, idp.issuer);
    const ask = () =>
      gateway.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: '{ user(username: "john") { name } }' }),
      });
    const res = await ask();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'The token could not be checked: the signing keys could not be read (HTTP 404). Try again later.',
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ],
    });
    expect((await ask()).status).toBe(503);
    expect(idp.hits('jwks')).toBe(1);
    expect((await gateway.upstreamCalls()).total).toBe(0);
    idp.failJwks(null);
    clock.now += 30_000;
    expect(await (await ask()).json()).toEqual({ data: { user: { name: 'John Doe' } } });
  });
});
