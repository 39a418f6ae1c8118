import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_AUDIENCE, DEMO_ISSUER, demoTokens } from '../../src/auth/demo.js';
import { nodeprep } from '../../src/xmpp/jid.js';
import { useGateway } from '../helpers/gateway.js';
import { scanForSecret } from '../helpers/log-sink.js';

/** Embedded mode's own key: a ready end-user token for jane, trusted by this process and no other. */
const domain = { domain: () => Promise.resolve('example.org') };
const demo = await demoTokens({ nodeprep });
const gateway = useGateway({ tokens: demo.verifier });

describe('the embedded demo token', () => {
  it('names jane as an end user, for a few hours', async () => {
    const token = await demo.sign('jane');
    scanForSecret(token);
    expect(await demo.verifier.verify(token, domain)).toEqual({
      ok: true,
      caller: { key: `jwt:${DEMO_ISSUER}:jane`, role: 'user', username: 'jane' },
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, sub: 'jane', preferred_username: 'jane' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(8 * 3600);
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
  });

  it('is accepted by the gateway that made it', async () => {
    const token = await demo.sign('jane');
    scanForSecret(token);
    const res = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('is refused by another start (a new key each time)', async () => {
    const other = await demoTokens({ nodeprep });
    const token = await other.sign('jane');
    scanForSecret(token);
    expect(await demo.verifier.verify(token, domain)).toEqual({ ok: false, reason: 'invalid signature' });
  });
});
