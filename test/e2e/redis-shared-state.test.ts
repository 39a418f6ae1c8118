import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/graphql/plugins/use-apq.js';
import { createReadiness } from '../../src/ops/readiness.js';
import { sharedApqStore } from '../../src/redis/apq.js';
import { openSharedState, type SharedState } from '../../src/redis/connection.js';
import { sharedThrottle } from '../../src/redis/throttle.js';
import { type TestGateway, useGateway } from '../helpers/gateway.js';
import { LEGACY_SECRET } from '../helpers/legacy.js';
import { eventually } from '../helpers/live-clients.js';
import { startProcess } from '../helpers/process.js';
import { startRedis } from '../helpers/redis-server.js';

/**
 * Two gateway replicas (two apps in this process, each with its own connection) sharing one real redis-server,
 * as `REDIS_URL` makes them: the legacy throttle counts across both, an APQ hash registered on one is known to the
 * other, and when Redis stops each use follows its stated policy and recovers by itself when Redis is back.
 */
const redis = await startRedis({ password: 'redis-pw-7' });
const MAX_FAILURES = 4;
const API_KEY = 'replica-test-key';

function replica(name: string): { gateway: TestGateway; state: SharedState } {
  const state = openSharedState(redis.url);
  afterAll(() => state.close());
  // With an API key the gateway holds Openfire's secret itself, which the legacy endpoint needs.
  const gateway = useGateway({
    apiKeys: new Map([[API_KEY, 'admin']]),
    app: {
      legacy: {
        secret: LEGACY_SECRET,
        throttle: sharedThrottle(state, { maxFailures: MAX_FAILURES, windowMs: 60_000, prefix: `test:${name}:` }),
      },
      persisted: { apq: true, operations: null, only: false, store: sharedApqStore(state, apqOptions) },
      readiness: createReadiness({ client: { call: async () => true } as never, sharedState: state }),
    },
  });
  return { gateway, state };
}
const apqOptions = { prefix: 'test:apq:', ttlSeconds: 60, maxBytes: 100_000 };
// Both replicas use one throttle prefix, as two processes with the same settings do.
const a = replica('shared');
const b = replica('shared');
afterAll(() => redis.stop());

/** A legacy call; in this process every request comes from the same (socket-less) client. */
const legacy = async (gateway: TestGateway, secret: string) =>
  (await gateway.fetch(`/userservice?type=grouplist&secret=${encodeURIComponent(secret)}`)).text();

const query = '{ user(username: "jane") { username } }';
const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
const gql = (gateway: TestGateway, body: Record<string, unknown>) =>
  gateway.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify(body),
  });

describe('state shared by two replicas through a real redis-server', () => {
  it('throttles wrong secrets counted across replicas, for the right secret too', async () => {
    await eventually(() => a.state.isReady() && b.state.isReady(), 'both replicas to connect');
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await legacy(i % 2 === 0 ? a.gateway : b.gateway, 'wrong')).toContain('RequestNotAuthorised');
    }
    // Each replica saw only half the failures; together they reach the limit.
    expect(await legacy(a.gateway, LEGACY_SECRET)).toContain('RequestNotAuthorised');
    expect(await legacy(b.gateway, LEGACY_SECRET)).toContain('RequestNotAuthorised');
    // The count is the client's: another key has none.
    const counts = sharedThrottle(a.state, { maxFailures: MAX_FAILURES, windowMs: 60_000, prefix: 'test:shared:' });
    expect(await counts.blocked('192.0.2.99')).toBe(false);
    expect(await counts.blocked('')).toBe(true);
  });

  it('knows on one replica an APQ hash registered through the other', async () => {
    expect((await gql(b.gateway, { extensions: persisted })).status).toBe(404);
    expect((await gql(a.gateway, { query, extensions: persisted })).status).toBe(200);
    const res = await gql(b.gateway, { extensions: persisted });
    expect(await res.json()).toEqual({ data: { user: { username: 'jane' } } });
  });

  it('while Redis is down: legacy refused with ServiceUnavailable, APQ a miss, /readyz says so; then recovers', async () => {
    await redis.stop();
    await eventually(() => !a.state.isReady(), 'the replica to notice');
    expect(await legacy(a.gateway, LEGACY_SECRET)).toBe('<error>ServiceUnavailable</error>\n');
    expect((await gql(a.gateway, { extensions: persisted })).status).toBe(404);
    const ready = await a.gateway.fetch('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', redis: 'unreachable' });

    await redis.start();
    await eventually(() => a.state.isReady(), 'the replica to reconnect by itself');
    // The restart emptied Redis (no persistence), so the client throttled above is counted afresh: answered.
    expect(await legacy(a.gateway, LEGACY_SECRET)).toBe('<result></result>\n');
    expect(await (await a.gateway.fetch('/readyz')).json()).toEqual({ status: 'ready', redis: 'ready' });
    // The store was emptied with the restart (no persistence): the client registers again, and it is shared again.
    expect((await gql(a.gateway, { query, extensions: persisted })).status).toBe(200);
    expect((await gql(b.gateway, { extensions: persisted })).status).toBe(200);
  });
});

describe('REDIS_URL on the gateway process', () => {
  it('connects with the password from the URL, keeps it out of its output, and reports Redis on /readyz', async () => {
    const gateway = await startProcess('src/main.ts', [], /legacy: .*\n/, { PORT: '0', REDIS_URL: redis.url });
    try {
      const base = (/GraphQL: (\S+)\/graphql/.exec(gateway.output()) ?? [])[1] ?? '';
      await eventually(async () => (await (await fetch(`${base}/readyz`)).json()).redis === 'ready', 'Redis ready');
      expect(gateway.output()).not.toContain('redis-pw-7');
    } finally {
      await gateway.stop();
    }
  });
});

describe('REDIS_URL over TLS', () => {
  it('connects to a rediss:// URL, trusting the certificate through NODE_EXTRA_CA_CERTS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const secure = await startRedis({ password: 'tls-pw-3', tls: { cert, key } });
    const gateway = await startProcess('src/main.ts', [], /legacy: .*\n/, {
      PORT: '0',
      REDIS_URL: secure.url,
      NODE_EXTRA_CA_CERTS: cert,
    });
    try {
      expect(secure.url.startsWith('rediss://')).toBe(true);
      const base = (/GraphQL: (\S+)\/graphql/.exec(gateway.output()) ?? [])[1] ?? '';
      await eventually(async () => (await (await fetch(`${base}/readyz`)).json()).redis === 'ready', 'Redis over TLS');
    } finally {
      await gateway.stop();
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
