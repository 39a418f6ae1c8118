import { describe, expect, it } from 'vitest';
import { propertyIn } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway();

const stored = async (key: string) => propertyIn((await g.ready).snapshot(), key);

describe('system property queries', () => {
  it('reads a property by key with one upstream call', async () => {
    const res = await g.gql('{ systemProperty(key: "xmpp.domain") { key value } }');
    expect(res.body).toEqual({ data: { systemProperty: { key: 'xmpp.domain', value: 'example.org' } } });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /system/properties/{propertyKey}': 1 });
  });

  it('answers null for an absent property and for one that only has a default', async () => {
    expect(await stored('admin.authorizedUsernames')).toBeNull();
    const res = await g.gql(
      '{ a: systemProperty(key: "no.such.key") { key } b: systemProperty(key: "admin.authorizedUsernames") { key } }',
    );
    expect(res.body).toEqual({ data: { a: null, b: null } });
  });

  it('rejects an empty key before calling Openfire', async () => {
    const res = await g.gql('{ systemProperty(key: " ") { key } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('lists every property sorted by key, default-only ones with a null value', async () => {
    const res = await g.gql('{ systemProperties { key value } }');
    const expected = (await g.ready)
      .snapshot()
      .properties.map(([key, value]) => ({ key, value }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(res.body.data.systemProperties).toEqual(expected);
    expect(res.body.data.systemProperties).toContainEqual({ key: 'admin.authorizedUsernames', value: null });
  });

  it('filters the list by key prefix with one upstream call', async () => {
    const res = await g.gql('{ systemProperties(prefix: "xmpp.") { key } }');
    const keys = res.body.data.systemProperties.map((p: { key: string }) => p.key);
    const expected = (await g.ready)
      .snapshot()
      .properties.map(([key]) => key)
      .filter((k) => k.startsWith('xmpp.'))
      .sort();
    expect(keys).toEqual(expected);
    expect(keys).toContain('xmpp.domain');
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /system/properties': 1 });
  });
});

describe('system property mutations', () => {
  it('creates a property, overwrites it, and returns it re-read', async () => {
    const created = await g.gql('mutation { setSystemProperty(key: "gateway.test", value: "one") { key value } }');
    expect(created.body.data.setSystemProperty).toEqual({ key: 'gateway.test', value: 'one' });
    const overwritten = await g.gql('mutation { setSystemProperty(key: "gateway.test", value: "two") { value } }');
    expect(overwritten.body.data.setSystemProperty).toEqual({ value: 'two' });
    expect(await stored('gateway.test')).toBe('two');
    expect((await g.upstreamCalls()).routes).toEqual({
      'POST /system/properties': 2,
      'GET /system/properties/{propertyKey}': 2,
    });
  });

  it('returns the property under the key Openfire stores (trimmed, without a trailing dot)', async () => {
    const res = await g.gql('mutation { setSystemProperty(key: " gateway.dotted.", value: "v") { key value } }');
    expect(res.body.data.setSystemProperty).toEqual({ key: 'gateway.dotted', value: 'v' });
    expect(await stored('gateway.dotted')).toBe('v');
  });

  it('updates an existing property', async () => {
    const res = await g.gql(
      'mutation { updateSystemProperty(key: "xmpp.domain", value: "example.net") { key value } }',
    );
    expect(res.body.data.updateSystemProperty).toEqual({ key: 'xmpp.domain', value: 'example.net' });
    expect(await stored('xmpp.domain')).toBe('example.net');
  });

  it('answers NOT_FOUND when updating an absent property, without creating it', async () => {
    const res = await g.gql('mutation { updateSystemProperty(key: "gateway.absent", value: "v") { key } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'PropertyNotFoundException' });
    expect(await stored('gateway.absent')).toBeUndefined();
  });

  it('deletes a property, after which it reads as null', async () => {
    await g.gql('mutation { setSystemProperty(key: "gateway.doomed", value: "v") { key } }');
    const res = await g.gql('mutation { deleteSystemProperty(key: "gateway.doomed") }');
    expect(res.body.data).toEqual({ deleteSystemProperty: true });
    expect(await stored('gateway.doomed')).toBeUndefined();
    expect((await g.gql('{ systemProperty(key: "gateway.doomed") { key } }')).body.data.systemProperty).toBeNull();
  });

  it('answers NOT_FOUND when deleting an absent property', async () => {
    const res = await g.gql('mutation { deleteSystemProperty(key: "gateway.absent") }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'PropertyNotFoundException' });
  });

  it('rejects an empty key or one that is only a dot before calling Openfire', async () => {
    const res = await g.gql('mutation { a: setSystemProperty(key: ".", value: "v") { key } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const del = await g.gql('mutation { deleteSystemProperty(key: "") }');
    expect(del.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
