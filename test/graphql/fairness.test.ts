import { describe, expect, it } from 'vitest';
import { useGateway } from '../helpers/gateway.js';
import { LEGACY_SECRET } from '../helpers/legacy.js';

/**
 * One caller flooding the gateway must not hold up another: with Openfire slow to answer the flood's route, a second
 * caller's lookup, a legacy call and /healthz all finish before the first of the flood's requests does. Asserted on
 * the order of completion, not on times.
 */
const g = useGateway({
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
  app: { legacy: { secret: LEGACY_SECRET } },
});

const graphql = (key: string, query: string) =>
  g.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });

describe('fairness between callers', () => {
  it('serves a second caller, a legacy client and /healthz while one caller floods with slow calls', async () => {
    const e = await g.ready;
    e.faults.add({ route: 'GET /chatservices', latencyMs: 300 });
    const finished: string[] = [];
    const done = (label: string) => (res: Response) => res.text().then(() => void finished.push(label));
    // 100 requests of one slow call each: more than the 32 connections to Openfire.
    const flood = Array.from({ length: 100 }, () =>
      graphql('admin-key', '{ chatServices { serviceName } }').then(done('flood')),
    );
    await expect.poll(() => e.stats.toJSON().routes['GET /chatservices'] ?? 0).toBeGreaterThanOrEqual(16);
    const others = [
      graphql('read-key', '{ user(username: "john") { name } }').then(done('second caller')),
      g.fetch(`/userservice?type=usergrouplist&secret=${LEGACY_SECRET}&username=john`).then(done('legacy')),
      g.fetch('/healthz').then(done('healthz')),
    ];
    await Promise.all([...flood, ...others]);
    expect(finished.indexOf('flood')).toBe(3);
    expect(finished.slice(0, 3).sort()).toEqual(['healthz', 'legacy', 'second caller']);
  });
});
