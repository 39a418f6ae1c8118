import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { call, useEmulator } from '../helpers/emulator.js';

/** The `/__emulator` control plane: statistics, reset, state, and every fault kind seen by a raw HTTP client. */
const t = useEmulator();

async function control(method: string, name: string, body?: unknown) {
  const e = await t.ready;
  return call(e.url, method, `//__emulator/${name}`, { auth: null, ...(body !== undefined && { body }) });
}

/** A raw node:http GET that reports transport failures instead of throwing. */
async function rawGet(
  path: string,
): Promise<{ status?: number; body: string; error?: string; headers?: Record<string, unknown> }> {
  const e = await t.ready;
  return new Promise((resolve) => {
    const req = request(
      `${e.url}/plugins/restapi/v1${path}`,
      { headers: { authorization: 'test-secret-7Hq2' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
        res.on('error', (error) =>
          resolve({ status: res.statusCode, body, error: (error as NodeJS.ErrnoException).code ?? error.message }),
        );
      },
    );
    req.on('error', (error) => resolve({ body: '', error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

describe('statistics', () => {
  it('counts requests per method and route template, unknown paths as unmatched', async () => {
    await t.api('GET', '/users/john');
    await t.api('GET', '/users/jane');
    await t.api('GET', '/users');
    await t.api('GET', '/missing');
    await t.api('GET', '/users', { auth: null });
    const stats = (await control('GET', 'stats')).json();
    expect(stats).toEqual({ total: 5, routes: { 'GET /users': 2, 'GET /users/{username}': 2, unmatched: 1 } });
  });

  it('does not count control plane calls', async () => {
    await control('GET', 'stats');
    expect((await control('GET', 'stats')).json().total).toBe(0);
  });
});

describe('reset and state', () => {
  it('returns to the seed, zeroes the statistics and clears faults', async () => {
    await t.api('DELETE', '/users/john');
    await control('POST', 'faults', { status: 503 });
    expect((await control('POST', 'reset')).status).toBe(204);
    expect((await t.api('GET', '/users/john')).status).toBe(200);
    expect((await control('GET', 'stats')).json()).toEqual({ total: 1, routes: { 'GET /users/{username}': 1 } });
  });

  it('dumps the state and loads a snapshot that later resets return to', async () => {
    const snapshot = (await control('GET', 'state')).json();
    snapshot.users = snapshot.users.filter((u: { username: string }) => u.username === 'admin');
    expect((await control('PUT', 'state', snapshot)).status).toBe(204);
    expect((await t.api('GET', '/users', { accept: 'application/json' })).json().users).toHaveLength(1);
    await control('POST', 'reset');
    expect((await t.api('GET', '/users', { accept: 'application/json' })).json().users).toHaveLength(1);
  });

  it('rejects a body that is not a snapshot', async () => {
    expect((await control('PUT', 'state', { users: [] })).status).toBe(400);
  });
});

describe('faults', () => {
  it('adds latency before handling', async () => {
    await control('POST', 'faults', { route: 'GET /users/{username}', latencyMs: 150 });
    const started = performance.now();
    expect((await t.api('GET', '/users/john')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('forces a status with a container page, without touching state', async () => {
    await control('POST', 'faults', { route: 'DELETE /users/{username}', status: 503 });
    const res = await t.api('DELETE', '/users/john');
    expect(res.status).toBe(503);
    expect(res.text).toContain('Service Unavailable');
    await control('DELETE', 'faults');
    expect((await t.api('GET', '/users/john')).status).toBe(200);
  });

  it('fails exactly the requested fraction of requests', async () => {
    await control('POST', 'faults', { errorRate: 0.5 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.api('GET', '/users/john')).status);
    expect(statuses.filter((s) => s === 500)).toHaveLength(3);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });

  it('resets the connection', async () => {
    await control('POST', 'faults', { route: 'GET /users', reset: true });
    const res = await rawGet('/users');
    expect(res.status).toBeUndefined();
    expect(res.error).toBe('ECONNRESET');
  });

  it('truncates a body mid-stream', async () => {
    await control('POST', 'faults', { route: 'GET /users', body: 'truncated' });
    const res = await rawGet('/users');
    expect(res.status).toBe(200);
    expect(res.error).toBe('ECONNRESET');
  });

  it('sends a malformed (cut) body with a consistent length', async () => {
    await control('POST', 'faults', { route: 'GET /users/{username}', body: 'malformed' });
    const res = await rawGet('/users/john');
    expect(res.status).toBe(200);
    expect(res.error).toBeUndefined();
    expect(res.body.startsWith('<?xml')).toBe(true);
    expect(res.body.endsWith('</user>')).toBe(false);
  });

  it('redirects to the admin console login page like a misconfigured Openfire', async () => {
    await control('POST', 'faults', { loginPage: true });
    const res = await rawGet('/users');
    expect(res.status).toBe(302);
    expect(res.headers?.location).toBe('/login.jsp?url=%2Fplugins%2Frestapi%2Fv1%2Fusers');
    const e = await t.ready;
    const page = await call(e.url, 'GET', '//login.jsp', { auth: null });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Openfire Admin Console');
  });

  it('lists faults, and DELETE clears them', async () => {
    await control('POST', 'faults', [{ latencyMs: 1 }, { route: 'GET /groups', status: 502 }]);
    expect((await control('GET', 'faults')).json()).toEqual([{ latencyMs: 1 }, { route: 'GET /groups', status: 502 }]);
    expect((await control('DELETE', 'faults')).status).toBe(204);
    expect((await control('GET', 'faults')).json()).toEqual([]);
  });

  it.each([
    [{ route: 'GET /nope' }, /unknown route/],
    [{ status: 99 }, /status/],
    [{ errorRate: 2 }, /errorRate/],
    [{ body: 'weird' }, /body/],
    [{ colour: 'red' }, /unknown fault field/],
    ['not json', /valid JSON/],
  ])('rejects an invalid fault %j with 400', async (fault, message) => {
    const res = await control('POST', 'faults', fault);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(message);
  });
});

describe('without --control', () => {
  const plain = useEmulator({ control: false });
  it('serves no control plane', async () => {
    const e = await plain.ready;
    expect((await call(e.url, 'GET', '//__emulator/stats', { auth: null })).status).toBe(404);
  });
});

describe('expiring faults and Retry-After', () => {
  it('applies a fault with times to the next N requests only', async () => {
    await control('POST', 'faults', { route: 'GET /users/{username}', status: 503, retryAfter: 2, times: 2 });
    const first = await t.api('GET', '/users/john');
    expect([first.status, first.headers['retry-after']]).toEqual([503, '2']);
    expect((await t.api('GET', '/users/john')).status).toBe(503);
    expect((await t.api('GET', '/users/john')).status).toBe(200);
    expect((await control('GET', 'faults')).json()).toEqual([]);
  });

  it('rejects a times that is not a positive integer', async () => {
    expect((await control('POST', 'faults', { status: 503, times: 0 })).status).toBe(400);
  });
});
