import { afterAll, expect, it } from 'vitest';
import { openSharedState } from '../../src/redis/connection.js';
import { eventually } from '../helpers/live-clients.js';
import { type Started, startProcess } from '../helpers/process.js';
import { startRedis } from '../helpers/redis-server.js';

/**
 * A replica paused (SIGSTOP) in the middle of a legacy operation, past its lease, while another replica changes the
 * same user: once resumed it finds its lease gone before its next write and stops there, so Openfire holds what the
 * other replica did. Two gateway processes, one emulator process and a real redis-server.
 */
const SECRET = 'fencing-openfire-secret';
const LEGACY = 'fencing-legacy-secret';
const redis = await startRedis();
afterAll(() => redis.stop());
const state = openSharedState(redis.url);
afterAll(() => state.close());

const processes: Started[] = [];
afterAll(async () => {
  for (const started of processes) {
    started.child.kill('SIGCONT');
    await started.stop();
  }
});

async function start(entry: string, args: string[], ready: RegExp, env: Record<string, string> = {}) {
  const started = await startProcess(entry, args, ready, env);
  processes.push(started);
  return started;
}

it('refuses the next write of a replica resumed after its lease went to another', async () => {
  const emulator = await start(
    'src/emulator/main.ts',
    ['--port', '0', '--seed', 'showcase', '--secret', SECRET, '--control'],
    /control plane: .*\n/,
  );
  const upstream = /control plane: (http:\/\/[^/]+)\//.exec(emulator.output())?.[1] ?? '';
  const replica = async () => {
    const gateway = await start('src/main.ts', [], /legacy: .*\n/, {
      PORT: '0',
      OPENFIRE_URL: upstream,
      OPENFIRE_SECRET: SECRET,
      USERSERVICE_SECRET: LEGACY,
      REDIS_URL: redis.url,
    });
    const base = (/GraphQL: (\S+)\/graphql/.exec(gateway.output()) ?? [])[1] ?? '';
    await eventually(async () => (await (await fetch(`${base}/readyz`)).json()).redis === 'ready', 'Redis ready');
    return { gateway, base };
  };
  const a = await replica();
  const b = await replica();
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${upstream}/__emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const update = (base: string, groups: string) =>
    fetch(`${base}/userservice?${new URLSearchParams({ type: 'update', secret: LEGACY, username: 'alice', groups })}`);
  const groupsOfAlice = async () => {
    const snapshot = (await (await control('GET', 'state')).json()) as {
      groups: Array<{ name: string; members: string[] }>;
    };
    return snapshot.groups.filter((group) => group.members.includes('alice@example.org')).map((group) => group.name);
  };

  // A (alice: developers → support) reads her groups slowly; meanwhile it is paused for longer than its lease.
  await control('POST', 'faults', { route: 'GET /users/{username}/groups', latencyMs: 1_500, times: 1 });
  const first = update(a.base, 'support');
  await eventually(async () => (await state.client.keys('openfire-gateway:lock:*')).length > 0, "A's lease");
  a.gateway.child.kill('SIGSTOP');
  await eventually(
    async () => (await state.client.keys('openfire-gateway:lock:*')).length === 0,
    'the lease to run out',
  );

  // B takes alice out of every group while A sleeps.
  expect(await (await update(b.base, '')).text()).toBe('<result>ok</result>\n');
  expect(await groupsOfAlice()).toEqual([]);
  const writesBefore = await writes();

  a.gateway.child.kill('SIGCONT');
  expect(await (await first).text()).toBe('<error>ServiceUnavailable</error>\n');
  // A read alice in `developers` before B ran, so it had to write: nothing of it reached Openfire.
  expect(await writes()).toBe(writesBefore);
  expect(await groupsOfAlice()).toEqual([]);

  async function writes(): Promise<number> {
    const stats = (await (await control('GET', 'stats')).json()) as { routes: Record<string, number> };
    return Object.entries(stats.routes)
      .filter(([route]) => !route.startsWith('GET '))
      .reduce((sum, [, count]) => sum + count, 0);
  }
}, 120_000);
