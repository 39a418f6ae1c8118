import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { GATEWAY_USAGE } from '../../src/config.js';
import { call } from '../helpers/emulator.js';
import { scanForSecret, TEST_JWT_SECRET } from '../helpers/log-sink.js';
import { runProcess, startProcess, tryConnect } from '../helpers/process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gateway-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the banner says after `label: `. */
const shown = (output: string, label: string): string => new RegExp(`${label}: (\\S+)`).exec(output)?.[1] ?? '';

const usernames = async (emulator: string, secret: string): Promise<string[]> =>
  (await call(emulator, 'GET', '/users', { auth: secret, accept: 'application/json' }))
    .json()
    .users.map((u: { username: string }) => u.username);

describe('npm start', () => {
  it('starts the gateway with the showcase data by default and prints where it is and the credential', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: .*\n/, {
      PORT: '0',
      OPENFIRE_SECRET: 'banner-secret',
    });
    const out = proc.output();
    expect(out).toContain('credential: Authorization: banner-secret');
    expect(out).toContain('(showcase data)');
    expect(out).not.toContain('warning');
    expect((await fetch(shown(out, 'health'))).status).toBe(200);
    const emulator = /emulator at (\S+)\/plugins\/restapi\/v1/.exec(out)?.[1] ?? '';
    expect(await usernames(emulator, 'banner-secret')).toEqual(['admin', 'alice', 'bob', 'jane', 'john']);
    expect(await proc.stop()).toBe(0);
  });

  it('prints a ready token for jane, which the gateway accepts as her own', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: .*\n/, { PORT: '0' });
    const out = proc.output();
    const token = /user token \(jane\): Bearer (\S+)/.exec(out)?.[1] ?? '';
    scanForSecret(token);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const ask = (authorization: string) =>
      fetch(shown(out, 'GraphQL'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ me { username name } }' }),
      });
    expect(await (await ask(`Bearer ${token}`)).json()).toEqual({
      data: { me: { username: 'jane', name: 'Jane Doe' } },
    });
    const forged = await ask(`Bearer ${token.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="invalid signature"',
    );
    expect(await proc.stop()).toBe(0);
  });

  it('trusts AUTH_JWT_SECRET instead of a demo key when it is set, and never prints it', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: .*\n/, { PORT: '0', AUTH_JWT_SECRET: TEST_JWT_SECRET });
    const out = proc.output();
    expect(out).toContain('tokens: Authorization: Bearer <JWT signed by AUTH_JWT_SECRET>');
    expect(out).not.toContain('user token');
    expect(out).not.toContain(TEST_JWT_SECRET);
    const token = await new SignJWT({ preferred_username: 'john' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    scanForSecret(token);
    const res = await fetch(shown(out, 'GraphQL'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect(await res.json()).toEqual({ data: { me: { username: 'john' } } });
    expect(await proc.stop()).toBe(0);
  });

  it('takes --seed demo and SEED=empty', async () => {
    const demo = await startProcess('src/main.ts', ['--seed', 'demo'], /legacy: .*\n/, {
      PORT: '0',
      OPENFIRE_SECRET: 'seed-secret',
    });
    const emulator = /emulator at (\S+)\/plugins\/restapi\/v1/.exec(demo.output())?.[1] ?? '';
    expect(await usernames(emulator, 'seed-secret')).toEqual(['admin', 'jane', 'john']);
    expect(await demo.stop()).toBe(0);
    const empty = await startProcess('src/main.ts', [], /legacy: .*\n/, { PORT: '0', SEED: 'empty' });
    expect(empty.output()).toContain('(empty data)');
    expect(await empty.stop()).toBe(0);
  });

  it('shows an API-key caller how to call the gateway, not the upstream secret it would refuse', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: .*\n/, {
      PORT: '0',
      OPENFIRE_SECRET: 'upstream-only-secret',
      GATEWAY_API_KEYS: 'banner-key:admin',
    });
    const out = proc.output();
    expect(out).toContain('credential: Authorization: Bearer <one of GATEWAY_API_KEYS>');
    expect(out).not.toContain('upstream-only-secret');
    const ask = (authorization: string) =>
      fetch(shown(out, 'GraphQL'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ user(username: "jane") { name } }' }),
      });
    expect(await (await ask('Bearer banner-key')).json()).toEqual({ data: { user: { name: 'Jane Doe' } } });
    expect((await ask('upstream-only-secret')).status).toBe(401);
    expect(await proc.stop()).toBe(0);
  });

  it('warns when the embedded emulator is bound beyond loopback, and shows a reachable URL', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: .*\n/, { PORT: '0', HOST: '0.0.0.0' });
    const out = proc.output();
    expect(out).toMatch(/warning: HOST=0\.0\.0\.0 with the embedded emulator: .*GraphiQL hands them its credential/);
    const graphql = shown(out, 'GraphQL');
    expect(graphql).not.toContain('0.0.0.0');
    const port = Number(new URL(graphql).port);
    expect(await tryConnect(port)).toBe('accepted');
    expect(await proc.stop()).toBe(0);
  });

  it('stops with SIGTERM sent to the npm process, as a process manager sends it', async () => {
    const npm = spawn('npm', ['start', '--', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (/legacy: .*\n/.test(out)) resolve();
      });
      exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
    });
    const gateway = Number(new URL(shown(out, 'GraphQL')).port);
    const emulator = Number(new URL(/emulator at (\S+)\/plugins/.exec(out)?.[1] ?? '').port);
    expect(await tryConnect(gateway)).toBe('accepted');
    npm.kill('SIGTERM');
    await exited;
    expect([await tryConnect(gateway), await tryConnect(emulator)]).toEqual(['refused', 'refused']);
  });
});

describe('start-up refusals (exit code 2, one line naming the setting)', () => {
  it('refuses a bad setting with the usage', async () => {
    const result = await runProcess('src/main.ts', [], { PORT: 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be an integer');
    expect(result.stderr).toContain('Usage: npm start');
  });

  it('refuses an unknown seed', async () => {
    const result = await runProcess('src/main.ts', ['--seed', 'huge'], { PORT: '0' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gateway: SEED must be one of showcase, demo, empty, got "huge"/);
  });

  it('refuses a port already in use without a stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await runProcess('src/main.ts', [], { PORT: String(port) });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `gateway: port ${port} on 127.0.0.1 is already in use: set PORT (or --port) to a free port, or 0 for any free port\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses an OIDC issuer whose discovery document cannot be read', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const issuer = `http://127.0.0.1:${port}/realms/chat`;
    const result = await runProcess('src/main.ts', [], {
      PORT: '0',
      AUTH_OIDC_ISSUER: issuer,
      AUTH_JWT_AUDIENCE: 'openfire-gateway',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `gateway: AUTH_OIDC_ISSUER: cannot read ${issuer}/.well-known/openid-configuration: ECONNREFUSED\n`,
    );
  });

  it('refuses tokens in front of a real Openfire without the gateway’s own credential', async () => {
    const result = await runProcess('src/main.ts', [], {
      PORT: '0',
      OPENFIRE_URL: 'http://127.0.0.1:9',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^gateway: AUTH_JWT_SECRET with OPENFIRE_URL needs the gateway's own Openfire credential: OPENFIRE_SECRET, or OPENFIRE_USERNAME and OPENFIRE_PASSWORD\n/,
    );
    expect(result.stderr).not.toContain(TEST_JWT_SECRET);
  });

  it('refuses an unreadable PERSISTED_OPERATIONS file with the reason', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, 'nope');
    const result = await runProcess('src/main.ts', [], { PORT: '0', PERSISTED_OPERATIONS: file });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gateway: PERSISTED_OPERATIONS: \S+bad\.json is not JSON/);
  });
});

describe('npm start -- --help', () => {
  it('prints the usage and exits 0, echoing no secret', async () => {
    const secrets = {
      OPENFIRE_SECRET: 'help-secret-1',
      USERSERVICE_SECRET: 'help-secret-2',
      METRICS_TOKEN: 'hs-3',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
    };
    const help = await runProcess('src/main.ts', ['--help'], secrets);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(GATEWAY_USAGE);
    for (const secret of Object.values(secrets)) expect(help.stdout + help.stderr).not.toContain(secret);
  });
});
