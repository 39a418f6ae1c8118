import { describe, expect, it } from 'vitest';
import { useGateway } from '../helpers/gateway.js';

/**
 * The two modes of docs/graphql.md: API keys (admin/read) with the gateway's own Openfire credential, or passthrough.
 */
const keys = useGateway({
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
});
const passthrough = useGateway();

const mutation = 'mutation { createUser(input: { username: "keyed", password: "pw" }) { username } }';

describe('API key mode', () => {
  it('lets an admin key query and mutate with the gateway’s credential', async () => {
    expect(
      (await keys.gql('{ user(username: "john") { name } }', {}, { authorization: 'Bearer admin-key' })).body,
    ).toEqual({
      data: { user: { name: 'John Doe' } },
    });
    expect((await keys.gql(mutation, {}, { authorization: 'Bearer admin-key' })).body).toEqual({
      data: { createUser: { username: 'keyed' } },
    });
  });

  it('lets a read key query but answers FORBIDDEN to its mutations, before any upstream call', async () => {
    expect(
      (await keys.gql('{ user(username: "john") { name } }', {}, { authorization: 'Bearer read-key' })).body.data.user
        .name,
    ).toBe('John Doe');
    await keys.resetCalls();
    const res = await keys.gql(mutation, {}, { authorization: 'Bearer read-key' });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await keys.upstreamCalls()).total).toBe(0);
  });

  it('hides credential-like system properties from read keys', async () => {
    const query =
      '{ systemProperty(key: "plugin.restapi.secret") { value } domain: systemProperty(key: "xmpp.domain") { value } }';
    expect((await keys.gql(query, {}, { authorization: 'Bearer read-key' })).body.data).toEqual({
      systemProperty: { value: null },
      domain: { value: 'example.org' },
    });
    expect((await keys.gql(query, {}, { authorization: 'Bearer admin-key' })).body.data.systemProperty).toEqual({
      value: 'test-secret-7Hq2',
    });
  });

  it.each([
    ['no header', null],
    ['an unknown key', 'Bearer nope'],
    ['the Openfire secret instead of a key', 'test-secret-7Hq2'],
  ])('answers 401 for %s without calling Openfire', async (_what, authorization) => {
    const res = await keys.gql('{ user(username: "john") { name } }', {}, { authorization });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await keys.upstreamCalls()).total).toBe(0);
  });
});

describe('passthrough mode', () => {
  it('forwards each caller’s own credential and shares nothing between callers', async () => {
    const good = await passthrough.gql('{ user(username: "john") { name } }');
    expect(good.body.data.user.name).toBe('John Doe');
    const bad = await passthrough.gql('{ user(username: "john") { name } }', {}, { authorization: 'someone-else' });
    expect(bad.body.data?.user ?? null).toBeNull();
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Each request asked Openfire itself: no answer was reused across credentials.
    expect((await passthrough.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 2 });
  });
});
