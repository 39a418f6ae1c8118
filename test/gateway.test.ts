import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { call } from './helpers/emulator.js';
import { offlineApp } from './helpers/gateway.js';
import { runProcess, startProcess } from './helpers/process.js';

describe('gateway configuration', () => {
  it('defaults to 127.0.0.1:4000 with the embedded emulator', () => {
    expect(loadConfig({}, [])).toEqual({
      port: 4000,
      host: '127.0.0.1',
      apiKeys: null,
      listThreshold: 20,
      upstreamConcurrency: 16,
      xmppDomain: null,
      openfireUrl: null,
      credential: null,
      trustProxy: [],
      userservice: { secret: null, allowedIps: [], maxFailures: 10 },
      shutdownTimeoutMs: 10_000,
      upstreamTimeoutMs: 10_000,
      limits: { bodyBytes: 1_048_576, maxDepth: 15, maxAliases: 50, maxTokens: 5000, maxBatch: 10, requestTimeoutMs: 15_000, maxUpstreamCalls: 1000 },
      browser: { corsOrigins: [], csrfPrevention: true, graphiql: true, introspection: true },
      persisted: { apq: true, file: null, only: false },
      logLevel: 'info',
      metrics: { enabled: true, token: null },
      help: false,
    });
  });

  it('reads the legacy userservice settings', () => {
    const config = loadConfig(
      { USERSERVICE_SECRET: 'old-app', USERSERVICE_ALLOWED_IPS: '10.0.0.0/8, 192.168.1.5,fd00::/8', TRUST_PROXY: '127.0.0.1', USERSERVICE_MAX_FAILURES: '3' },
      [],
    );
    expect(config.userservice).toEqual({ secret: 'old-app', allowedIps: ['10.0.0.0/8', '192.168.1.5', 'fd00::/8'], maxFailures: 3 });
    expect(config.trustProxy).toEqual(['127.0.0.1']);
  });

  it('reads API keys with their roles, and rejects malformed entries without echoing keys', () => {
    expect(loadConfig({ GATEWAY_API_KEYS: 'k1:admin, k2:read' }, []).apiKeys).toEqual(new Map([['k1', 'admin'], ['k2', 'read']]));
    expect(() => loadConfig({ GATEWAY_API_KEYS: 'topsecret:owner' }, [])).toThrow(/GATEWAY_API_KEYS entry 1 must look like/);
    expect(() => loadConfig({ GATEWAY_API_KEYS: 'topsecret:owner' }, [])).not.toThrow(/topsecret/);
    expect(() => loadConfig({ BATCH_LIST_THRESHOLD: '0' }, [])).toThrow(/BATCH_LIST_THRESHOLD must be a positive integer/);
  });

  it('reads a real Openfire and its credential from the environment, flags winning', () => {
    const config = loadConfig({ OPENFIRE_URL: 'http://openfire:9090/', OPENFIRE_SECRET: 'env', PORT: '8080' }, ['--port', '8081']);
    expect(config).toMatchObject({ port: 8081, openfireUrl: 'http://openfire:9090', credential: { kind: 'secret', secret: 'env' } });
    expect(loadConfig({ OPENFIRE_URL: 'https://of', OPENFIRE_USERNAME: 'admin', OPENFIRE_PASSWORD: 'pw' }, []).credential).toEqual({
      kind: 'basic',
      username: 'admin',
      password: 'pw',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ OPENFIRE_URL: 'openfire:9090', OPENFIRE_SECRET: 's' }, /OPENFIRE_URL must/],
    [{ OPENFIRE_URL: 'http://openfire:9090' }, /OPENFIRE_URL needs a credential/],
    [{ OPENFIRE_USERNAME: 'admin' }, /OPENFIRE_USERNAME needs OPENFIRE_PASSWORD/],
    [{ OPENFIRE_SECRET: 's', OPENFIRE_USERNAME: 'a', OPENFIRE_PASSWORD: 'p' }, /either OPENFIRE_SECRET or/],
    [{ USERSERVICE_SECRET: '' }, /USERSERVICE_SECRET must not be empty/],
    [{ OPENFIRE_SECRET: '' }, /OPENFIRE_SECRET must not be empty/],
    [{ USERSERVICE_ALLOWED_IPS: '10.0.0.0/33' }, /USERSERVICE_ALLOWED_IPS: "10.0.0.0\/33" is not an IP address or CIDR range/],
    [{ TRUST_PROXY: 'proxy.local' }, /TRUST_PROXY: "proxy.local" is not an IP address/],
    [{ USERSERVICE_MAX_FAILURES: '0' }, /USERSERVICE_MAX_FAILURES must be a positive integer/],
  ])('rejects %j with a message naming the setting and never the secret', (env, message) => {
    expect(() => loadConfig(env, [])).toThrow(ConfigError);
    expect(() => loadConfig(env, [])).toThrow(message);
    try {
      loadConfig(env, []);
    } catch (error) {
      expect((error as Error).message).not.toContain('pw');
    }
  });
});

describe('the app', () => {
  it('answers /healthz and 404 elsewhere', async () => {
    const app = offlineApp();
    const health = await app.fetch('http://gateway/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', upstream: 'http://127.0.0.1:1' });
    expect((await app.fetch('http://gateway/nothing')).status).toBe(404);
  });
});

describe('npm start', () => {
  it('starts the gateway with the embedded emulator and prints where it is and the credential', async () => {
    const proc = await startProcess('src/main.ts', [], /health: (\S+)\n/, { PORT: '0', OPENFIRE_SECRET: 'banner-secret' });
    const out = proc.output();
    const health = /health: (\S+)/.exec(out)?.[1] ?? '';
    const emulator = /embedded Openfire REST API emulator at (\S+)\/plugins\/restapi\/v1/.exec(out)?.[1] ?? '';
    expect(out).toContain('credential: Authorization: banner-secret');
    expect((await fetch(health)).status).toBe(200);
    const users = await call(emulator, 'GET', '/users', { auth: 'banner-secret', accept: 'application/json' });
    expect(users.json().users.map((u: { username: string }) => u.username)).toEqual(['admin', 'jane', 'john']);
    expect(await proc.stop()).toBe(0);
  });

  it('serves the legacy userservice over a real socket, announcing it without the secret', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: (\S+)\n/, { PORT: '0', USERSERVICE_SECRET: 'legacy-banner-secret' });
    const out = proc.output();
    const sample = /legacy: (\S+)/.exec(out)?.[1] ?? '';
    expect(sample).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/userservice\?type=grouplist&secret=<USERSERVICE_SECRET>$/);
    expect(out).not.toContain('legacy-banner-secret');
    const base = sample.slice(0, sample.indexOf('?'));
    const add = await fetch(`${base}?type=add&secret=legacy-banner-secret&username=Ann+Lee&password=pw&groups=demo`);
    expect([add.status, add.headers.get('content-type'), await add.text()]).toEqual([200, 'text/xml; charset=utf-8', '<result>ok</result>\n']);
    const list = await fetch(base, { method: 'POST', body: new URLSearchParams({ type: 'usergrouplist', secret: 'legacy-banner-secret', username: 'ann lee' }) });
    expect(await list.text()).toBe('<result><groupname>demo</groupname></result>\n');
    expect(await proc.stop()).toBe(0);
    expect(proc.output()).not.toContain('legacy-banner-secret');
  });

  it('refuses a bad setting with exit code 2 and the usage', async () => {
    const result = await runProcess('src/main.ts', [], { PORT: 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be an integer');
  });
});
