import { describe, expect, it } from 'vitest';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { SECRET, settings, useEmulator } from '../helpers/emulator.js';

/**
 * `AuthFilter` (openfire-rest-api.md §3): secret and basic modes, the allowlist, the master switch and the
 * unauthenticated paths.
 */
const secretMode = useEmulator();
const basicMode = useEmulator({ seed: demoSeed({ ...settings, httpAuth: 'basic' }) });

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function setProperty(key: string, value: string): Promise<void> {
  const res = await secretMode.api('POST', '/system/properties', { body: { key, value } });
  expect(res.status).toBe(201);
}

describe('shared secret mode', () => {
  it('accepts the exact secret as the whole Authorization value', async () => {
    expect((await secretMode.api('GET', '/users')).status).toBe(200);
  });

  it.each([
    ['a missing header', null],
    ['a wrong secret', 'wrong'],
    ['a Bearer prefix', `Bearer ${SECRET}`],
    ['another case', SECRET.toUpperCase()],
  ])('answers 401 without entity or challenge for %s', async (_what, auth) => {
    const res = await secretMode.api('GET', '/users', { auth });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.text).not.toContain('<error>');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('checks credentials before routing, so unknown paths without them are 401', async () => {
    expect((await secretMode.api('GET', '/no/such/thing', { auth: null })).status).toBe(401);
  });

  it('follows a secret changed at runtime through the system properties', async () => {
    await setProperty('plugin.restapi.secret', 'rotated');
    expect((await secretMode.api('GET', '/users')).status).toBe(401);
    expect((await secretMode.api('GET', '/users', { auth: 'rotated' })).status).toBe(200);
  });
});

describe('basic mode', () => {
  it('accepts an admin user with the right password', async () => {
    expect((await basicMode.api('GET', '/users', { auth: basic('admin', 'admin') })).status).toBe(200);
    expect(
      (await basicMode.api('GET', '/users', { auth: `basic ${Buffer.from('admin:admin').toString('base64')}` })).status,
    ).toBe(200);
  });

  it.each([
    ['a non-admin user', basic('john', 'secret')],
    ['a wrong password', basic('admin', 'nope')],
    ['an unknown user', basic('ghost', 'x')],
    ['no colon', `Basic ${Buffer.from('admin').toString('base64')}`],
    ['the shared secret', SECRET],
  ])('answers 401 for %s', async (_what, auth) => {
    expect((await basicMode.api('GET', '/users', { auth })).status).toBe(401);
  });

  it('answers an unmapped 500 for a username that is not a valid JID node (openfire-rest-api.md §3 step 8)', async () => {
    expect((await basicMode.api('GET', '/users', { auth: basic('a b', 'x') })).status).toBe(500);
  });
});

describe('allowlist and master switch', () => {
  it('refuses addresses outside plugin.restapi.allowedIPs with 401, believing X-Forwarded-For as upstream does', async () => {
    await setProperty('plugin.restapi.allowedIPs', '10.1.1.1, 10.2.2.2');
    expect((await secretMode.api('GET', '/users')).status).toBe(401);
    expect((await secretMode.api('GET', '/users', { headers: { 'x-forwarded-for': '10.2.2.2' } })).status).toBe(200);
    expect(
      (await secretMode.api('GET', '/users', { headers: { 'x-forwarded-for': '10.2.2.2, 10.1.1.1' } })).status,
    ).toBe(401);
  });

  it('answers 403 to everything but the open paths when the plugin is disabled', async () => {
    await setProperty('plugin.restapi.enabled', 'false');
    expect((await secretMode.api('GET', '/users')).status).toBe(403);
    expect((await secretMode.api('OPTIONS', '/users', { auth: null })).status).toBe(403);
    expect((await secretMode.api('GET', '/system/liveness', { auth: null })).status).toBe(200);
    expect((await secretMode.api('GET', '/openapi.yaml', { auth: null })).status).toBe(200);
  });
});

describe('unauthenticated paths', () => {
  it.each(['/system/liveness', '/system/readiness', '/system/readiness/server', '/openapi.yaml'])(
    '%s needs no credentials',
    async (path) => {
      expect((await secretMode.api('GET', path, { auth: null })).status).toBe(200);
    },
  );

  it('still requires credentials for openapi.json', async () => {
    expect((await secretMode.api('GET', '/openapi.json', { auth: null })).status).toBe(401);
    expect((await secretMode.api('GET', '/openapi.json')).status).toBe(200);
  });

  it('lets unknown paths under liveness through to a 404', async () => {
    expect((await secretMode.api('GET', '/system/liveness/nothing', { auth: null })).status).toBe(404);
  });
});
