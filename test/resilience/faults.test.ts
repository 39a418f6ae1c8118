import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { startEmulator } from '../../src/emulator/server.js';
import { createBreaker } from '../../src/upstream/breaker.js';
import { settings, useEmulator } from '../helpers/emulator.js';
import { codes, stack } from './stack.js';

/** A sick Openfire, played by the emulator's control plane, as GraphQL callers and `/readyz` see it. */
const t = useEmulator();
const john = '{ user(username: "john") { username } }';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('GraphQL when Openfire fails', () => {
  it.each([
    [{ status: 502 }, 'UPSTREAM_UNAVAILABLE'],
    [{ status: 503 }, 'UPSTREAM_UNAVAILABLE'],
    [{ status: 504 }, 'UPSTREAM_UNAVAILABLE'],
    [{ status: 500 }, 'UPSTREAM_ERROR'],
    [{ reset: true }, 'UPSTREAM_UNAVAILABLE'],
    [{ body: 'truncated' }, 'UPSTREAM_UNAVAILABLE'],
    [{ body: 'malformed' }, 'UPSTREAM_ERROR'],
    [{ loginPage: true }, 'UPSTREAM_ERROR'],
    // Further away than the test's own timeout: only the deadline can end it.
    [{ latencyMs: 600_000 }, 'UPSTREAM_TIMEOUT'],
  ])('answers %j with %s', async (fault, code) => {
    const e = await t.ready;
    const g = stack(e.url, { requestTimeoutMs: 1_000 });
    e.faults.add({ route: 'GET /users/{username}', ...fault } as never);
    const res = await g.gql(john);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ user: null });
    expect(codes(res.body)).toEqual([code]);
  });

  it('says what to change when Openfire answers with its login page', async () => {
    const e = await t.ready;
    e.faults.add({ loginPage: true });
    const res = await stack(e.url).gql(john);
    expect(res.body.errors?.[0]?.message).toMatch(/login page.*adminConsole\.access\.allow-wildcards-in-excludes=true/);
  });

  it('answers UPSTREAM_UNAVAILABLE when nothing listens, and /readyz says why', async () => {
    const g = stack(`http://127.0.0.1:${await closedPort()}`);
    const res = await g.gql(john);
    expect(codes(res.body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(await g.get('/readyz')).toEqual({
      status: 503,
      body: { status: 'unready', reason: 'Openfire unreachable (connection refused)' },
    });
  });
});

describe('the circuit breaker in front of Openfire', () => {
  it('opens after consecutive 502s: calls stop reaching Openfire and fail at once; after the cool-down one probe closes it', async () => {
    const e = await t.ready;
    const clock = { now: Date.parse('2026-01-01T12:00:00Z') };
    const breaker = createBreaker({ failures: 3, coolDownMs: 5_000, now: () => clock.now });
    const g = stack(e.url, { breaker });
    e.faults.add({ route: 'GET /users/{username}', status: 502 });
    for (let i = 0; i < 3; i++) expect(codes((await g.gql(john)).body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(breaker.state()).toBe('open');
    const reached = e.stats.toJSON().total;

    for (let i = 0; i < 5; i++) {
      const res = await g.gql(john);
      expect(codes(res.body)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(res.body.errors?.[0]?.message).toContain(
        'Openfire is considered down after 3 failed calls in a row; retrying at 2026-01-01T12:00:05.000Z',
      );
    }
    e.faults.clear();
    expect(codes((await g.gql(john)).body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(e.stats.toJSON().total).toBe(reached);

    clock.now += 5_000;
    expect((await g.gql(john)).body).toEqual({ data: { user: { username: 'john' } } });
    expect(breaker.state()).toBe('closed');
    expect((await g.gql(john)).body.data).toEqual({ user: { username: 'john' } });
    expect(e.stats.toJSON().total).toBe(reached + 2);
  });

  it('stays closed on answers that are Openfire’s own errors (500, not found)', async () => {
    const e = await t.ready;
    const breaker = createBreaker({ failures: 2 });
    const g = stack(e.url, { breaker });
    e.faults.add({ route: 'GET /users/{username}', status: 500 });
    for (let i = 0; i < 3; i++) expect(codes((await g.gql(john)).body)).toEqual(['UPSTREAM_ERROR']);
    e.faults.clear();
    for (let i = 0; i < 3; i++)
      expect((await g.gql('{ user(username: "nobody") { username } }')).body).toEqual({ data: { user: null } });
    expect(breaker.state()).toBe('closed');
    expect(e.stats.toJSON().total).toBe(6);
  });

  it('when Openfire goes down: fails fast, /readyz flips to 503, and both recover by themselves when it returns', async () => {
    const seed = demoSeed(settings);
    let openfire = await startEmulator({ seed, port: 0, control: true });
    const { port } = openfire;
    try {
      // A long cool-down: only the readiness probe, which passes the open breaker, can close it in this test.
      const breaker = createBreaker({ failures: 3, coolDownMs: 600_000 });
      const g = stack(openfire.url, { breaker, readinessTimeoutMs: 500 });
      expect((await g.get('/readyz')).status).toBe(200);
      await openfire.close();

      for (let i = 0; i < 3; i++) expect(codes((await g.gql(john)).body)).toEqual(['UPSTREAM_UNAVAILABLE']);
      const fast = await g.gql(john);
      // The open breaker answers without a connection attempt.
      expect(fast.body.errors?.[0]?.message).toContain('considered down');
      expect(await g.get('/readyz')).toEqual({
        status: 503,
        body: { status: 'unready', reason: 'Openfire unreachable (connection refused)' },
      });

      openfire = await startEmulator({ seed, port, control: true });
      await expect.poll(async () => (await g.get('/readyz')).status, { timeout: 5_000 }).toBe(200);
      expect(breaker.state()).toBe('closed');
      expect((await g.gql(john)).body).toEqual({ data: { user: { username: 'john' } } });
      expect(openfire.stats.toJSON().routes['GET /users/{username}']).toBe(1);
    } finally {
      await openfire.close();
    }
  });
});
