import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createUpstreamClient, type UpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { UpstreamError } from '../../src/upstream/errors.js';
import { call, SECRET, useEmulator } from '../helpers/emulator.js';

/** A sick Openfire, played by the emulator's control plane, as the client sees it. */
const t = useEmulator();
const pools: Array<ReturnType<typeof createTransport>> = [];

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

async function upstream(headersTimeoutMs = 5_000): Promise<UpstreamClient> {
  const { url } = await t.ready;
  const dispatcher = createTransport({ origin: url, headersTimeoutMs });
  pools.push(dispatcher);
  return createUpstreamClient({
    baseUrl: url,
    dispatcher,
    credential: { kind: 'secret', secret: SECRET },
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, budgetMs: 3_000 },
  });
}

async function fault(spec: Record<string, unknown>): Promise<void> {
  const { url } = await t.ready;
  expect((await call(url, 'POST', '//__emulator/faults', { auth: null, body: spec })).status).toBe(201);
}

async function received(route: string): Promise<number> {
  const { url } = await t.ready;
  return (await call(url, 'GET', '//__emulator/stats', { auth: null })).json().routes[route] ?? 0;
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

const john = { path: { username: 'john' } } as const;

describe('faults', () => {
  // Openfire's answer is further away than the test's own timeout: only the client's bound can end these calls.
  it('answers TIMEOUT at the headers timeout rather than waiting for a slow Openfire', async () => {
    await fault({ route: 'GET /users/{username}', latencyMs: 600_000 });
    const error = await failure((await upstream(200)).call('GET /users/{username}', john));
    expect(error.code).toBe('TIMEOUT');
  });

  it('cancels an in-flight call when the caller’s deadline passes, as TIMEOUT', async () => {
    await fault({ route: 'GET /users/{username}', latencyMs: 600_000 });
    const error = await failure(
      (await upstream()).call('GET /users/{username}', john, { signal: AbortSignal.timeout(100) }),
    );
    expect(error.code).toBe('TIMEOUT');
  });

  it('retries a GET whose connection was reset, and succeeds', async () => {
    await fault({ route: 'GET /users/{username}', reset: true, times: 1 });
    const user = await (await upstream()).call('GET /users/{username}', john);
    expect(user.username).toBe('john');
    expect(await received('GET /users/{username}')).toBe(2);
  });

  it('does not retry a POST whose connection was reset, and reports UNAVAILABLE', async () => {
    await fault({ route: 'POST /groups', reset: true, times: 1 });
    const error = await failure((await upstream()).call('POST /groups', { body: { name: 'once' } }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(await received('POST /groups')).toBe(1);
  });

  it('honours Retry-After on a 503 and then succeeds', async () => {
    await fault({ route: 'GET /groups', status: 503, retryAfter: 1, times: 1 });
    const started = performance.now();
    expect(await (await upstream()).call('GET /groups', {})).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(await received('GET /groups')).toBe(2);
  });

  it('reports a cut JSON body as PROTOCOL', async () => {
    await fault({ route: 'GET /users/{username}', body: 'malformed' });
    expect((await failure((await upstream()).call('GET /users/{username}', john))).code).toBe('PROTOCOL');
  });

  it('reports a body cut by a closed connection as UNAVAILABLE after retrying', async () => {
    await fault({ route: 'GET /users/{username}', body: 'truncated' });
    expect((await failure((await upstream()).call('GET /users/{username}', john))).code).toBe('UNAVAILABLE');
    expect(await received('GET /users/{username}')).toBe(3);
  });

  it('reports the admin console login page as PROTOCOL with the setting to change', async () => {
    await fault({ loginPage: true });
    const error = await failure((await upstream()).call('GET /users', {}));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toContain('adminConsole.access.allow-wildcards-in-excludes=true');
  });

  it('reports a refused connection as UNAVAILABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const dispatcher = createTransport({ origin: `http://127.0.0.1:${port}` });
    pools.push(dispatcher);
    const client = createUpstreamClient({
      baseUrl: `http://127.0.0.1:${port}`,
      dispatcher,
      credential: { kind: 'secret', secret: SECRET },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 500 },
    });
    expect((await failure(client.call('GET /users', {}))).code).toBe('UNAVAILABLE');
  });
});
