import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call } from './helpers/emulator.js';
import { offlineApp } from './helpers/gateway.js';
import { runProcess, startProcess } from './helpers/process.js';

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
    const proc = await startProcess('src/main.ts', [], /health: (\S+)\n/, {
      PORT: '0',
      OPENFIRE_SECRET: 'banner-secret',
    });
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
    const proc = await startProcess('src/main.ts', [], /legacy: (\S+)\n/, {
      PORT: '0',
      USERSERVICE_SECRET: 'legacy-banner-secret',
    });
    const out = proc.output();
    const sample = /legacy: (\S+)/.exec(out)?.[1] ?? '';
    expect(sample).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/userservice\?type=grouplist&secret=<USERSERVICE_SECRET>$/);
    expect(out).not.toContain('legacy-banner-secret');
    const base = sample.slice(0, sample.indexOf('?'));
    const add = await fetch(`${base}?type=add&secret=legacy-banner-secret&username=Ann+Lee&password=pw&groups=demo`);
    expect([add.status, add.headers.get('content-type'), await add.text()]).toEqual([
      200,
      'text/xml; charset=utf-8',
      '<result>ok</result>\n',
    ]);
    const list = await fetch(base, {
      method: 'POST',
      body: new URLSearchParams({ type: 'usergrouplist', secret: 'legacy-banner-secret', username: 'ann lee' }),
    });
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

describe('the production build', () => {
  it('compiles (npm run build) and runs as plain JavaScript, writing its buffered log lines on exit', async () => {
    // Its own output directory (git-ignored), so a build here never races `npm run build` or the bench over dist/.
    const out = '.build-test';
    rmSync(out, { recursive: true, force: true });
    const tsc = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', out],
      { encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    try {
      const proc = await startProcess(`${out}/main.js`, [], /health: (\S+)\n/, {
        PORT: '0',
        OPENFIRE_SECRET: 'build-secret',
        LOG_LEVEL: 'info',
      });
      const graphql = `${/GraphQL: (\S+)/.exec(proc.output())?.[1]}`;
      const res = await fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'build-secret', 'x-request-id': 'build-1' },
        body: JSON.stringify({ query: '{ user(username: "john") { name } }' }),
      });
      expect(await res.json()).toEqual({ data: { user: { name: 'John Doe' } } });
      expect(await proc.stop()).toBe(0);
      const lines = proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; requestId?: string; upstreamCalls?: number });
      expect(lines.find((l) => l.msg === 'request' && l.requestId === 'build-1')).toMatchObject({ upstreamCalls: 1 });
      expect(lines.at(-1)?.msg).toBe('stopped');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
