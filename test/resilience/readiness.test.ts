import { describe, expect, it } from 'vitest';
import { createReadiness } from '../../src/ops/readiness.js';
import type { UpstreamClient } from '../../src/upstream/client.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';
import { offlineApp } from '../helpers/gateway.js';
import { stack } from './stack.js';

const t = useEmulator();
const probes = async (): Promise<number> => (await t.ready).stats.toJSON().routes['GET /system/readiness'] ?? 0;

describe('/readyz', () => {
  it('is 200 ready when Openfire answers and its readiness check is green', async () => {
    const g = stack((await t.ready).url);
    expect(await g.get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await probes()).toBe(1);
  });

  it('flips to 503 with a short reason when Openfire says it is not ready, and back when it is', async () => {
    const e = await t.ready;
    const g = stack(e.url);
    e.faults.add({ route: 'GET /system/readiness', status: 503 });
    expect(await g.get('/readyz')).toEqual({
      status: 503,
      body: { status: 'unready', reason: 'Openfire reports it is not ready (HTTP 503)' },
    });
    e.faults.clear();
    await expect.poll(async () => (await g.get('/readyz')).status).toBe(200);
  });

  it.each([
    [{ loginPage: true }, 'Openfire answered with its login page'],
    [{ status: 502 }, 'Openfire readiness check failed (HTTP 502)'],
    [{ reset: true }, 'Openfire unreachable (connection closed without an answer)'],
    [{ latencyMs: 600_000 }, 'Openfire did not answer within 200 ms'],
  ])('answers 503 on %j: %s', async (fault, reason) => {
    const e = await t.ready;
    const g = stack(e.url, { readinessTimeoutMs: 200 });
    e.faults.add(fault);
    // Openfire's slowest answer is further away than the test's own timeout: the probe's bound ends it.
    const answer = await g.get('/readyz');
    expect(answer).toEqual({ status: 503, body: { status: 'unready', reason } });
    expect(JSON.stringify(answer.body)).not.toContain(SECRET);
  });

  it('reports a closed port as connection refused', async () => {
    const res = await offlineApp().fetch('http://gateway/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unready', reason: 'Openfire unreachable (connection refused)' });
  });

  it('coalesces concurrent checks into one upstream call and reuses the answer briefly', async () => {
    const g = stack((await t.ready).url, { readinessCacheMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => g.get('/readyz')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await g.get('/readyz');
    expect(await probes()).toBe(1);
  });

  it('probes again once the reused answer is older than the cache time', async () => {
    let now = 0;
    const calls: string[] = [];
    const client: UpstreamClient = {
      call: async (route) => {
        calls.push(route);
        return true as never;
      },
    };
    const readiness = createReadiness({ client, cacheMs: 1_000, now: () => now });
    await readiness.check();
    now = 999;
    await readiness.check();
    expect(calls).toHaveLength(1);
    now = 1_000;
    await readiness.check();
    expect(calls).toEqual(['GET /system/readiness', 'GET /system/readiness']);
  });

  it('answers "shutting down" without asking Openfire once draining', async () => {
    const g = stack((await t.ready).url);
    g.readiness.drain();
    expect(await g.get('/readyz')).toEqual({ status: 503, body: { status: 'unready', reason: 'shutting down' } });
    expect(await probes()).toBe(0);
  });

  it('leaves /healthz a liveness check that never calls Openfire', async () => {
    const e = await t.ready;
    const g = stack(e.url);
    e.faults.add({ status: 503 });
    expect((await g.get('/healthz')).status).toBe(200);
    expect(e.stats.toJSON().total).toBe(0);
  });
});
