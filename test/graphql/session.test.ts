import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import { generatedSeed } from '../../src/emulator/seeds/generated.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { defined } from '../helpers/defined.js';
import { settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });
// 3 demo users plus 25 generated ones, each of those online: above the loaders' threshold of 20.
const many = useGateway({ seed: generatedSeed(settings, { users: 25, groups: 0, members: 0, rooms: 0 }) });

const sessionFields =
  'sessionId username resource node status presenceStatus presenceMessage priority hostAddress hostName creationDate lastActionDate secure';

describe('sessions', () => {
  it('lists every session with its fields and user, in one call plus one per user', async () => {
    const res = await g.gql(`{ sessions { totalCount nodes { ${sessionFields} user { name } } } }`);
    const { sessions } = (await g.ready).snapshot();
    const jane = defined(sessions[0], "jane's seeded session");
    const john = defined(sessions[1], "john's seeded session");
    expect(res.body.data.sessions.totalCount).toBe(2);
    expect(res.body.data.sessions.nodes).toEqual([
      {
        sessionId: 'jane@example.org/laptop',
        username: 'jane',
        resource: 'laptop',
        node: 'Local',
        status: 'Authenticated',
        presenceStatus: 'Online',
        presenceMessage: 'At my desk',
        priority: 5,
        hostAddress: '127.0.0.1',
        hostName: 'localhost',
        creationDate: new Date(jane.creationDate).toISOString(),
        lastActionDate: new Date(jane.lastActionDate).toISOString(),
        secure: true,
        user: { name: 'Jane Doe' },
      },
      expect.objectContaining({
        sessionId: 'john@example.org/phone',
        presenceStatus: 'Away',
        presenceMessage: null,
        secure: false,
        creationDate: new Date(john.creationDate).toISOString(),
        user: { name: 'John Doe' },
      }),
    ]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /sessions': 1, 'GET /users/{username}': 2 });
  });

  it('pages sessions', async () => {
    const res = await g.gql('{ sessions(first: 1) { totalCount nodes { username } pageInfo { hasNextPage } } }');
    expect(res.body.data.sessions).toEqual({
      totalCount: 2,
      nodes: [{ username: 'jane' }],
      pageInfo: { hasNextPage: true },
    });
  });

  it('lists one user’s sessions through the per-user route', async () => {
    const res = await g.gql('{ sessions(username: "john") { totalCount nodes { resource } } }');
    expect(res.body.data.sessions).toEqual({ totalCount: 1, nodes: [{ resource: 'phone' }] });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /sessions/{username}': 1 });
  });

  it('rejects an invalid username before calling Openfire', async () => {
    const res = await g.gql('{ sessions(username: "a/b") { totalCount } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('gives anonymous sessions no user, without looking one up', async () => {
    (await g.ready).edit((draft) => {
      draft.sessions = [sessionRecord('Anonymous', 'example.org', 'x1', Date.UTC(2026, 0, 1))];
    });
    const res = await g.gql('{ sessions { nodes { username user { username } } } }');
    expect(res.body.data.sessions.nodes).toEqual([{ username: 'Anonymous', user: null }]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /sessions': 1 });
  });

  it('counts local and cluster-wide sessions', async () => {
    (await g.ready).edit((draft) => {
      draft.sessions.push(sessionRecord('bob', 'example.org', 'far', Date.UTC(2026, 0, 1), { node: 'Remote' }));
    });
    const res = await g.gql('{ sessionCounts { local cluster } }');
    expect(res.body.data.sessionCounts).toEqual({ local: 2, cluster: 3 });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /system/statistics/sessions': 1 });
  });
});

describe('User.sessions and User.online', () => {
  it('asks Openfire per user for a few users', async () => {
    const res = await g.gql(
      '{ john: user(username: "john") { online sessions { resource } } bob: user(username: "bob") { online sessions { resource } } }',
    );
    expect(res.body.data).toEqual({
      john: { online: true, sessions: [{ resource: 'phone' }] },
      bob: { online: false, sessions: [] },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 2, 'GET /sessions/{username}': 2 });
  });

  it('costs one GET /users and one GET /sessions for a list of 28 users', async () => {
    const res = await many.gql('{ users { nodes { username online sessions { resource } } } }');
    const nodes: Array<{ username: string; online: boolean; sessions: unknown[] }> = res.body.data.users.nodes;
    expect(nodes).toHaveLength(28);
    expect(nodes.filter((u) => u.online).map((u) => u.username)).toEqual(
      (await many.ready).snapshot().sessions.map((s) => s.username),
    );
    expect(nodes.find((u) => u.username === 'user00001')).toEqual({
      username: 'user00001',
      online: true,
      sessions: [{ resource: 'bench' }],
    });
    expect(nodes.find((u) => u.username === 'john')).toEqual({ username: 'john', online: false, sessions: [] });
    expect((await many.upstreamCalls()).routes).toEqual({ 'GET /users': 1, 'GET /sessions': 1 });
  });
});

describe('kickSessions', () => {
  it('closes the user’s sessions and answers true', async () => {
    const res = await g.gql('mutation { kickSessions(username: "john") }');
    expect(res.body.data).toEqual({ kickSessions: true });
    expect((await g.ready).snapshot().sessions.map((s) => s.username)).toEqual(['jane']);
    expect((await g.gql('{ user(username: "john") { online } }')).body.data.user).toEqual({ online: false });
  });

  it('answers true for a user without sessions', async () => {
    expect((await g.gql('mutation { kickSessions(username: "bob") }')).body.data).toEqual({ kickSessions: true });
  });

  it('rejects an invalid username before calling Openfire', async () => {
    const res = await g.gql('mutation { kickSessions(username: "") }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
