import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRET } from '../helpers/emulator.js';
import { LEGACY_SECRET } from '../helpers/legacy.js';
import { secretHits, TEST_PASSWORD } from '../helpers/log-sink.js';
import { startProcess } from '../helpers/process.js';
import { graphql } from '../observability/stack.js';

const legacyQuery = (params: Record<string, string>) => `/userservice?${new URLSearchParams(params)}`;

describe('the gateway process', () => {
  it('logs start-up, requests and shutdown as JSON on stdout, with no secret', async () => {
    const proc = await startProcess('src/main.ts', [], /legacy: (\S+)\n/, {
      PORT: '0',
      OPENFIRE_SECRET: SECRET,
      USERSERVICE_SECRET: LEGACY_SECRET,
      METRICS: 'false',
    });
    const base = /GraphQL: (\S+)\/graphql/.exec(proc.output())?.[1] ?? '';
    const res = await fetch(
      `${base}/graphql`,
      graphql('{ user(username: "john") { name } }', { authorization: SECRET, 'x-request-id': 'proc-1' }),
    );
    expect(res.headers.get('x-request-id')).toBe('proc-1');
    const add = await fetch(
      `${base}${legacyQuery({ type: 'add', secret: LEGACY_SECRET, username: 'ann', password: TEST_PASSWORD })}`,
      { headers: { 'x-request-id': 'proc-2' } },
    );
    expect(await add.text()).toBe('<result>ok</result>\n');
    expect(await proc.stop()).toBe(0);
    const records = proc
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(records.map((r) => r.msg)).toEqual(
      expect.arrayContaining(['gateway listening', 'request', 'upstream call', 'shutting down', 'stopped']),
    );
    expect(records.find((r) => r.requestId === 'proc-1' && r.msg === 'request')).toMatchObject({
      route: '/graphql',
      status: 200,
      upstreamCalls: 1,
    });
    expect(records.find((r) => r.requestId === 'proc-2' && r.msg === 'request')).toMatchObject({
      route: '/userservice',
      legacy: { type: 'add', reply: 'ok' },
    });
    // The banner shows the embedded emulator's credential on purpose; the JSON lines never do.
    expect(
      secretHits(
        proc
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{')),
      ),
    ).toEqual([]);
  });
});

describe('the settings reach the running gateway', () => {
  it('applies limits, browser and persisted-query settings from the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-run-'));
    const known = '{ users(first: 1) { totalCount } }';
    const hash = createHash('sha256').update(known).digest('hex');
    const file = join(dir, 'operations.json');
    writeFileSync(file, JSON.stringify({ [hash]: known }));
    const proc = await startProcess('src/main.ts', [], /legacy: .*\n/, {
      PORT: '0',
      OPENFIRE_SECRET: 'run-secret',
      GRAPHIQL: 'false',
      CORS_ORIGINS: 'https://app.example.com',
      PERSISTED_OPERATIONS: file,
      PERSISTED_ONLY: 'true',
      BODY_LIMIT: '500',
      LOG_LEVEL: 'silent',
    });
    try {
      const url = /GraphQL: (\S+)/.exec(proc.output())?.[1] ?? '';
      expect(proc.output()).not.toContain('GraphiQL:');
      const post = (body: unknown) =>
        fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'run-secret',
            origin: 'https://app.example.com',
          },
          body: JSON.stringify(body),
        });
      const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(byHash.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(await byHash.json()).toEqual({ data: { users: { totalCount: 5 } } });
      expect((await (await post({ query: known })).json()).errors[0].message).toContain('PERSISTED_ONLY');
      expect((await post({ query: known, pad: 'x'.repeat(500) })).status).toBe(413);
      expect((await fetch(url, { headers: { accept: 'text/html' } })).headers.get('content-type') ?? '').not.toContain(
        'text/html',
      );
    } finally {
      expect(await proc.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
