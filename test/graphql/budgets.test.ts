import { describe, expect, it } from 'vitest';
import { generatedSeed } from '../../src/emulator/seeds/generated.js';
import { SECRET, settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

// Upstream call budgets of the issue, counted by the emulator. Budget (c), ten aliases of one user costing one call,
// is in user.test.ts.

describe('budget (a): a user with groups and roster on the demo seed', () => {
  const g = useGateway();

  it('costs 4 calls: the user, its group names, its roster and the one local contact (the domain is configured)', async () => {
    const res = await g.gql('{ user(username: "john") { name groups { name } roster { jid user { name } } } }');
    expect(res.body).toEqual({
      data: {
        user: { name: 'John Doe', groups: [], roster: [{ jid: 'jane@example.org', user: { name: 'Jane Doe' } }] },
      },
    });
    // Group names need no group read; jane is the only roster contact; no xmpp.domain lookup as the app is told it.
    expect(await g.upstreamCalls()).toEqual({
      total: 4,
      routes: { 'GET /users/{username}': 2, 'GET /users/{username}/groups': 1, 'GET /users/{username}/roster': 1 },
    });
  });
});

describe('budget (b): every group with its members on 2,000 users, 200 groups × 25 members', () => {
  const g = useGateway({ seed: generatedSeed(settings, { users: 2000, groups: 200, members: 25, rooms: 0 }) });

  it('costs 202 calls: the group list, each group’s members, and one user list for all 5,000 member lookups', async () => {
    const user = '{ username name email }';
    // 200 group reads at the concurrency cap: undici's abort listeners outlive their calls by a tick, and must not
    // set off node's listener-leak warning.
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const res = await g
      .gql(`{ groups(first: 1000) { totalCount nodes { name members ${user} admins ${user} } } }`)
      .finally(() => {
        setImmediate(() => process.off('warning', onWarning));
      });
    const { totalCount, nodes } = res.body.data.groups;
    expect(totalCount).toBe(200);
    expect(nodes.map((n: { members: unknown[]; admins: unknown[] }) => n.members.length + n.admins.length)).toEqual(
      Array(200).fill(25),
    );
    expect(nodes[0]).toMatchObject({
      name: 'group0001',
      admins: [{ username: 'user00001', name: 'User 00001', email: 'user00001@example.com' }],
    });
    expect(nodes[0].members[0]).toEqual({ username: 'user00002', name: 'User 00002', email: 'user00002@example.com' });
    expect(warnings).toEqual([]);
    expect(await g.upstreamCalls()).toEqual({
      total: 202,
      routes: { 'GET /groups': 1, 'GET /groups/{groupName}': 200, 'GET /users': 1 },
    });
  });
});

describe('budgets per HTTP request: a batch and its aliases share them', () => {
  const g = useGateway({ seed: generatedSeed(settings, { users: 30, groups: 0, members: 0, rooms: 0 }) });
  const batch = (operations: string[]) =>
    g.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: SECRET },
      body: JSON.stringify(operations.map((query) => ({ query }))),
    });

  it('makes an identical read once, whatever the number of operations and aliases asking for it', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `a${i}: users { totalCount }`).join(' ');
    const res = await batch(Array.from({ length: 10 }, () => `{ ${fifty} }`));
    const answers = (await res.json()) as Array<{ data: Record<string, { totalCount: number }> }>;
    expect(answers).toHaveLength(10);
    expect(answers.every((a) => Object.values(a.data).every((u) => u.totalCount === 33))).toBe(true);
    expect(await g.upstreamCalls()).toEqual({ total: 1, routes: { 'GET /users': 1 } });
  });

  it('reads again what a mutation of the same request changed', async () => {
    const res = await batch([
      '{ user(username: "user00001") { name } }',
      'mutation { updateUser(username: "user00001", input: { name: "Renamed" }) { name } }',
    ]);
    expect(await res.json()).toEqual([
      { data: { user: { name: 'User 00001' } } },
      { data: { updateUser: { name: 'Renamed' } } },
    ]);
  });
});

describe('MAX_UPSTREAM_CALLS applies to the whole HTTP request', () => {
  const g = useGateway({
    seed: generatedSeed(settings, { users: 30, groups: 0, members: 0, rooms: 0 }),
    app: { maxUpstreamCalls: 25 },
  });

  it('refuses what a batch needs beyond the cap, though each operation alone fits', async () => {
    // Each operation reads the user list and 15 rosters, 16 calls alone; the three pages overlap, and the batch
    // needs the list once and 33 rosters: 34 calls.
    const cursor = (offset: number) => JSON.stringify(Buffer.from(`offset:${offset}`).toString('base64url'));
    const page = (after: string) => `{ users(first: 15, after: ${after}) { nodes { roster { jid } } } }`;
    const res = await g.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: SECRET },
      body: JSON.stringify([page('null'), page(cursor(9)), page(cursor(17))].map((query) => ({ query }))),
    });
    const answers = (await res.json()) as Array<{ errors?: Array<{ message: string }> }>;
    const refusals = answers.flatMap((a) => a.errors ?? []).map((e) => e.message);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((m) => m.includes('MAX_UPSTREAM_CALLS'))).toBe(true);
    expect((await g.upstreamCalls()).total).toBeLessThanOrEqual(25);
  });
});

describe('the XMPP domain, when not configured', () => {
  const g = useGateway({ domain: null });

  it('is read by the first request that needs it, and by no later one', async () => {
    const query = '{ user(username: "john") { roster { jid user { name } } } }';
    expect((await g.gql(query)).body.errors).toBeUndefined();
    expect((await g.upstreamCalls()).routes['GET /system/properties/{propertyKey}']).toBe(1);
    await g.resetCalls();
    expect((await g.gql(query)).body.errors).toBeUndefined();
    expect((await g.upstreamCalls()).routes['GET /system/properties/{propertyKey}']).toBeUndefined();
  });
});
