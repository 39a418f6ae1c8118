import { describe, expect, it } from 'vitest';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway();

describe('user queries', () => {
  it('reads a user by name, case-insensitively, with one upstream call', async () => {
    const res = await g.gql('{ user(username: "John") { username name email jid properties { key value } } }');
    expect(res.body).toEqual({
      data: {
        user: {
          username: 'john',
          name: 'John Doe',
          email: 'john.doe@example.com',
          jid: 'john@example.org',
          properties: [],
        },
      },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 1 });
  });

  it('costs one upstream call for the same user through ten aliases', async () => {
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `u${i}: user(username: "${i % 2 ? 'john' : 'JOHN'}") { name }`,
    ).join(' ');
    const res = await g.gql(`{ ${aliases} }`);
    expect(Object.values(res.body.data)).toEqual(Array(10).fill({ name: 'John Doe' }));
    expect((await g.upstreamCalls()).total).toBe(1);
  });

  it('answers null for an absent user', async () => {
    expect((await g.gql('{ user(username: "ghost") { username } }')).body).toEqual({ data: { user: null } });
  });

  it('rejects an invalid username before calling Openfire', async () => {
    const res = await g.gql('{ user(username: "a@b") { username } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it.each(['.', '..'])('refuses the username %j, a dot segment that would address another resource', async (name) => {
    const res = await g.gql(`mutation { deleteRosterItem(username: "${name}", jid: "vcard") { jid } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain('cannot be "." or ".."');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('pages users and filters on name or email', async () => {
    const page = await g.gql(
      '{ users(first: 2) { totalCount nodes { username } pageInfo { hasNextPage endCursor } } }',
    );
    expect(page.body.data.users).toMatchObject({
      totalCount: 3,
      nodes: [{ username: 'admin' }, { username: 'jane' }],
      pageInfo: { hasNextPage: true },
    });
    const next = await g.gql('query($after: String) { users(after: $after) { nodes { username } } }', {
      after: page.body.data.users.pageInfo.endCursor,
    });
    expect(next.body.data.users.nodes).toEqual([{ username: 'john' }]);
    const filtered = await g.gql('{ users(nameOrEmail: "DOE") { nodes { username } } }');
    expect(filtered.body.data.users.nodes).toEqual([{ username: 'jane' }, { username: 'john' }]);
  });
});

describe('user mutations', () => {
  it('creates, updates (keeping properties), renames and deletes a user', async () => {
    const created = await g.gql(
      'mutation { createUser(input: { username: "alice", password: "pw", name: "Alice", properties: [{ key: "k", value: "v" }] }) { username name properties { key value } } }',
    );
    expect(created.body.data.createUser).toEqual({
      username: 'alice',
      name: 'Alice',
      properties: [{ key: 'k', value: 'v' }],
    });
    const updated = await g.gql(
      'mutation { updateUser(username: "alice", input: { email: "a@example.com" }) { email properties { key } } }',
    );
    expect(updated.body.data.updateUser).toEqual({ email: 'a@example.com', properties: [{ key: 'k' }] });
    const renamed = await g.gql(
      'mutation { renameUser(username: "alice", newUsername: "alicia") { username name properties { key } } }',
    );
    expect(renamed.body.data.renameUser).toEqual({ username: 'alicia', name: 'Alice', properties: [{ key: 'k' }] });
    expect((await g.gql('mutation { deleteUser(username: "alicia") }')).body.data).toEqual({ deleteUser: true });
    expect((await g.gql('{ user(username: "alicia") { username } }')).body.data.user).toBeNull();
  });

  it('reports an existing user as CONFLICT with Openfire’s exception', async () => {
    const res = await g.gql('mutation { createUser(input: { username: "john", password: "x" }) { username } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'UserAlreadyExistsException' });
  });
});

describe('authentication', () => {
  it('answers 401 without credentials, before any upstream call', async () => {
    const res = await g.gql('{ user(username: "john") { username } }', {}, { authorization: null });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('forwards a wrong credential and reports UNAUTHENTICATED', async () => {
    const res = await g.gql('{ user(username: "john") { username } }', {}, { authorization: 'wrong' });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
