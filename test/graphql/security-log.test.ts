import { beforeEach, describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import type { SecurityLogRecord } from '../../src/emulator/store.js';
import { settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });

const base = Date.UTC(2026, 0, 2) / 1000;
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
/** Five entries one minute apart: ids 1..5, admin acting except entry 3 (jane). */
const entries: SecurityLogRecord[] = [1, 2, 3, 4, 5].map((logId) => ({
  logId,
  username: logId === 3 ? 'jane' : 'admin',
  timestamp: base + logId * 60,
  summary: `action ${logId}`,
  node: 'node1',
  details: `details ${logId}`,
}));

const page = `totalCount nodes { logId } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

describe('securityAuditLogs', () => {
  beforeEach(async () => {
    (await g.ready).edit((draft) => {
      draft.securityLog = entries;
    });
  });

  it('lists entries newest first with their fields and user, the total known on a single page', async () => {
    const res = await g.gql(
      '{ securityAuditLogs { totalCount nodes { logId username timestamp summary node details user { name } } } }',
    );
    expect(res.body.data.securityAuditLogs.totalCount).toBe(5);
    expect(res.body.data.securityAuditLogs.nodes.map((n: { logId: string }) => n.logId)).toEqual([
      '5',
      '4',
      '3',
      '2',
      '1',
    ]);
    expect(res.body.data.securityAuditLogs.nodes[2]).toEqual({
      logId: '3',
      username: 'jane',
      timestamp: iso(base + 180),
      summary: 'action 3',
      node: 'node1',
      details: 'details 3',
      user: { name: 'Jane Doe' },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /logs/security': 1, 'GET /users/{username}': 2 });
  });

  it('pages through Openfire’s offset and limit, one call per page', async () => {
    const first = await g.gql(`{ securityAuditLogs(first: 2) { ${page} } }`);
    expect(first.body.data.securityAuditLogs).toMatchObject({
      totalCount: null,
      nodes: [{ logId: '5' }, { logId: '4' }],
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
    });
    const second = await g.gql(
      'query($after: String) { securityAuditLogs(first: 2, after: $after) { totalCount nodes { logId } pageInfo { hasNextPage hasPreviousPage endCursor } } }',
      {
        after: first.body.data.securityAuditLogs.pageInfo.endCursor,
      },
    );
    expect(second.body.data.securityAuditLogs).toMatchObject({
      totalCount: null,
      nodes: [{ logId: '3' }, { logId: '2' }],
      pageInfo: { hasNextPage: true, hasPreviousPage: true },
    });
    const last = await g.gql(
      'query($after: String) { securityAuditLogs(first: 2, after: $after) { totalCount nodes { logId } pageInfo { hasNextPage } } }',
      {
        after: second.body.data.securityAuditLogs.pageInfo.endCursor,
      },
    );
    expect(last.body.data.securityAuditLogs).toEqual({
      totalCount: 5,
      nodes: [{ logId: '1' }],
      pageInfo: { hasNextPage: false },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /logs/security': 3 });
  });

  it('knows no total past the end, and an empty page of none', async () => {
    const cursor = Buffer.from('offset:9').toString('base64url');
    const past = await g.gql(`query($after: String) { securityAuditLogs(after: $after) { ${page} } }`, {
      after: cursor,
    });
    expect(past.body.data.securityAuditLogs).toEqual({
      totalCount: null,
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
    const none = await g.gql('{ securityAuditLogs(first: 0) { totalCount nodes { logId } pageInfo { hasNextPage } } }');
    expect(none.body.data.securityAuditLogs).toEqual({ totalCount: null, nodes: [], pageInfo: { hasNextPage: true } });
  });

  it('filters by user and by an inclusive time range', async () => {
    const byUser = await g.gql('{ securityAuditLogs(username: "jane") { totalCount nodes { logId } } }');
    expect(byUser.body.data.securityAuditLogs).toEqual({ totalCount: 1, nodes: [{ logId: '3' }] });
    const range = await g.gql(
      'query($from: DateTime, $to: DateTime) { securityAuditLogs(from: $from, to: $to) { nodes { logId } } }',
      {
        from: iso(base + 120),
        to: new Date((base + 240) * 1000 + 500).toISOString(),
      },
    );
    expect(range.body.data.securityAuditLogs.nodes).toEqual([{ logId: '4' }, { logId: '3' }, { logId: '2' }]);
  });

  it.each([
    ['a page over the maximum', '{ securityAuditLogs(first: 1001) { totalCount } }'],
    ['a negative page', '{ securityAuditLogs(first: -1) { totalCount } }'],
    [
      'a start after the end',
      '{ securityAuditLogs(from: "2026-01-03T00:00:00Z", to: "2026-01-02T00:00:00Z") { totalCount } }',
    ],
    ['an instant Openfire reads as unbounded', '{ securityAuditLogs(to: "1970-01-01T00:00:00Z") { totalCount } }'],
    ['a foreign cursor', '{ securityAuditLogs(after: "bm9wZQ") { totalCount } }'],
    ['an invalid username', '{ securityAuditLogs(username: "a b") { totalCount } }'],
  ])('rejects %s before calling Openfire', async (_what, query) => {
    const res = await g.gql(query);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('reports a write-only audit log as FORBIDDEN with Openfire’s exception', async () => {
    (await g.ready).edit((draft) => {
      draft.auditWriteOnly = true;
    });
    const res = await g.gql('{ securityAuditLogs { totalCount } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', exception: 'AuditWriteOnlyException' });
  });
});
