import { describe, expect, it } from 'vitest';
import { defined } from '../helpers/defined.js';
import { SECRET } from '../helpers/emulator.js';
import { LEGACY_SECRET } from '../helpers/legacy.js';
import { logLines, logRecords, secretHits, TEST_PASSWORD } from '../helpers/log-sink.js';
import { graphql, useStack } from './stack.js';

/**
 * The logs of a representative flow, through the same sink every test file logs into: one line per request, the
 * request id echoed and sent upstream, and no credential in any line at any level.
 */
const plain = useStack();
const keyed = useStack({
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const basic = `Basic ${Buffer.from(`admin:${TEST_PASSWORD}`).toString('base64')}`;

const requestLines = (id: string) => logRecords().filter((r) => r.msg === 'request' && r.requestId === id);
const onlyLine = (id: string) => {
  const lines = requestLines(id);
  expect(lines).toHaveLength(1);
  return defined(lines[0], `the request line of ${id}`);
};
const legacyQuery = (params: Record<string, string>) => `/userservice?${new URLSearchParams(params)}`;

describe('one JSON line per request', () => {
  it('logs a GraphQL request with its route, status, operation, client and upstream calls, the id echoed and sent upstream', async () => {
    plain.sentRequestIds.length = 0;
    const res = await plain.fetch(
      '/graphql?trace=1',
      graphql('query OneUser { user(username: "john") { name groups { name } } }', {
        authorization: SECRET,
        'x-request-id': 'trace-abc.123',
        'user-agent': 'logs-test/1',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    const line = onlyLine('trace-abc.123');
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/graphql',
      route: '/graphql',
      status: 200,
      client: '127.0.0.1',
      userAgent: 'logs-test/1',
      graphql: [{ name: 'OneUser', type: 'query', codes: [] }],
    });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(line.upstreamCalls).toBe(2);
    expect(plain.sentRequestIds).toEqual(['trace-abc.123', 'trace-abc.123']);
    const upstream = logRecords().filter((r) => r.msg === 'upstream call' && r.requestId === 'trace-abc.123');
    expect(upstream.map((r) => [r.level, r.upstream.route, r.upstream.status])).toEqual(
      expect.arrayContaining([
        ['debug', 'GET /users/{username}', 200],
        ['debug', 'GET /users/{username}/groups', 200],
      ]),
    );
  });

  it.each([
    ['no id', {}],
    ['an id with spaces', { 'x-request-id': 'not a sane id' }],
    ['an id too long', { 'x-request-id': 'a'.repeat(129) }],
  ])(
    'gives a request with %s a new id, echoed and sent upstream (GraphQL and legacy)',
    async (_what, headers: Record<string, string>) => {
      plain.sentRequestIds.length = 0;
      const res = await plain.fetch(
        '/graphql',
        graphql('{ user(username: "jane") { name } }', { authorization: SECRET, ...headers }),
      );
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      expect(onlyLine(id)).toMatchObject({
        status: 200,
        upstreamCalls: 1,
        graphql: [{ name: null, type: 'query', codes: [] }],
      });
      const legacy = await plain.fetch(
        legacyQuery({ type: 'usergrouplist', secret: LEGACY_SECRET, username: 'john' }),
        { headers },
      );
      const legacyId = legacy.headers.get('x-request-id') ?? '';
      expect(legacyId).toMatch(UUID);
      expect(legacyId).not.toBe(id);
      expect(plain.sentRequestIds).toEqual([id, legacyId]);
    },
  );

  it('logs a legacy add with its type, reply and rollback, never the query string, and sends the id upstream', async () => {
    plain.sentRequestIds.length = 0;
    const res = await plain.fetch(
      legacyQuery({
        type: 'add',
        secret: LEGACY_SECRET,
        username: 'logged',
        password: TEST_PASSWORD,
        name: 'Logged In',
        email: 'l@example.com',
      }),
      { headers: { 'x-request-id': 'legacy-1' } },
    );
    expect(await res.text()).toBe('<result>ok</result>\n');
    expect(onlyLine('legacy-1')).toMatchObject({
      path: '/userservice',
      route: '/userservice',
      status: 200,
      upstreamCalls: 1,
      legacy: { type: 'add', reply: 'ok', rollback: 'none' },
    });
    expect(plain.sentRequestIds).toEqual(['legacy-1']);
    // The same by form POST on an old path.
    const post = await plain.fetch('/plugins/userService/userservice', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'legacy-2' },
      body: new URLSearchParams({
        type: 'update',
        secret: LEGACY_SECRET,
        username: 'logged',
        password: `${TEST_PASSWORD}-2`,
      }).toString(),
    });
    expect(await post.text()).toBe('<result>ok</result>\n');
    expect(onlyLine('legacy-2')).toMatchObject({
      path: '/plugins/userService/userservice',
      route: '/userservice',
      legacy: { type: 'update', reply: 'ok' },
    });
  });

  it('logs a wrong legacy secret as RequestNotAuthorised without an upstream call, the client taken from a trusted proxy only', async () => {
    await plain.fetch(
      legacyQuery({ type: 'delete', secret: `${LEGACY_SECRET}-wrong`, username: 'john' }),
      { headers: { 'x-request-id': 'legacy-3', 'x-forwarded-for': '203.0.113.9' } },
      '10.0.0.1',
    );
    expect(onlyLine('legacy-3')).toMatchObject({
      client: '10.0.0.1',
      upstreamCalls: 0,
      legacy: { type: null, reply: 'RequestNotAuthorised', rollback: 'none' },
    });
  });

  it('logs a legacy operation that could not be undone at error level, with the cause', async () => {
    const emulator = await plain.emulator;
    emulator.faults.add({ route: 'POST /users', status: 503 });
    emulator.faults.add({ route: 'DELETE /groups/{groupName}', status: 503 });
    const res = await plain.fetch(
      legacyQuery({ type: 'add', secret: LEGACY_SECRET, username: 'newbie', password: TEST_PASSWORD, groups: 'fresh' }),
      {
        headers: { 'x-request-id': 'legacy-4' },
      },
    );
    const reply = /^<error>(\w+)<\/error>\n$/.exec(await res.text())?.[1];
    expect(reply).toMatch(/^Service/);
    expect(onlyLine('legacy-4')).toMatchObject({
      level: 'info',
      legacy: { type: 'add', reply, rollback: 'incomplete' },
    });
    const incomplete = logRecords().filter((r) => r.msg === 'legacy operation failed and could not be fully undone');
    expect(incomplete).toEqual([
      expect.objectContaining({ level: 'error', requestId: 'legacy-4', legacy: { type: 'add', reply } }),
    ]);
    expect(incomplete[0]?.cause).toContain('DELETE /groups/{groupName}');
  });

  it('logs failed authentication, API keys, upstream errors and unknown routes with their codes', async () => {
    const noAuth = await plain.fetch(
      '/graphql',
      graphql('{ user(username: "john") { name } }', { 'x-request-id': 'auth-1' }),
    );
    expect(noAuth.status).toBe(401);
    expect(onlyLine('auth-1')).toMatchObject({
      status: 401,
      upstreamCalls: 0,
      graphql: [{ name: null, type: 'query', codes: ['UNAUTHENTICATED'] }],
    });

    // A Basic credential Openfire refuses (the emulator takes its secret only).
    await plain.fetch(
      '/graphql',
      graphql('query Me { user(username: "admin") { name } }', { authorization: basic, 'x-request-id': 'auth-2' }),
    );
    expect(onlyLine('auth-2').graphql).toEqual([{ name: 'Me', type: 'query', codes: ['UNAUTHENTICATED'] }]);

    await keyed.fetch(
      '/graphql',
      graphql('{ user(username: "john") { name } }', { authorization: 'Bearer admin-key', 'x-request-id': 'key-1' }),
    );
    expect(onlyLine('key-1')).toMatchObject({ status: 200, upstreamCalls: 1 });
    await keyed.fetch(
      '/graphql',
      graphql('mutation M { deleteUser(username: "john") }', {
        authorization: 'Bearer read-key',
        'x-request-id': 'key-2',
      }),
    );
    expect(onlyLine('key-2').graphql).toEqual([{ name: 'M', type: 'mutation', codes: ['FORBIDDEN'] }]);
    await keyed.fetch(
      '/graphql',
      graphql('{ user(username: "john") { name } }', { authorization: 'Bearer wrong-key', 'x-request-id': 'key-3' }),
    );
    expect(onlyLine('key-3')).toMatchObject({ status: 401 });

    const create = await keyed.fetch(
      '/graphql',
      graphql(
        'mutation Create($input: CreateUserInput!) { createUser(input: $input) { username } }',
        { authorization: 'Bearer admin-key', 'x-request-id': 'key-4' },
        {
          input: { username: 'pat', password: TEST_PASSWORD },
        },
      ),
    );
    expect(await create.json()).toEqual({ data: { createUser: { username: 'pat' } } });
    expect(onlyLine('key-4').graphql).toEqual([{ name: 'Create', type: 'mutation', codes: [] }]);

    (await plain.emulator).faults.add({ route: 'GET /users/{username}', status: 500 });
    await plain.fetch(
      '/graphql',
      graphql('{ user(username: "john") { name } }', { authorization: SECRET, 'x-request-id': 'fault-1' }),
    );
    expect(onlyLine('fault-1').graphql[0].codes[0]).toMatch(/^UPSTREAM_/);
    expect(
      logRecords()
        .filter((r) => r.msg === 'upstream call' && r.requestId === 'fault-1')
        .map((r) => r.upstream.status),
    ).toContain(500);

    await plain.fetch('/nothing/here?secret=x', { headers: { 'x-request-id': 'other-1' } });
    expect(onlyLine('other-1')).toMatchObject({ path: '/nothing/here', route: 'other', status: 404 });
  });

  it('holds no secret, password or API key in any line, at trace level', () => {
    expect(logLines().length).toBeGreaterThan(20);
    expect(secretHits()).toEqual([]);
    const everything = logLines().join('\n');
    for (const value of [basic.slice('Basic '.length), 'secret=', 'password=', `${TEST_PASSWORD}-2`])
      expect(everything).not.toContain(value);
  });
});
