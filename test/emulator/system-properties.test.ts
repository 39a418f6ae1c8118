import { describe, expect, it } from 'vitest';
import { setProperty, useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
/** The `<error>` entity of RESTExceptionMapper, elements in JAXB's alphabetical order (openfire-rest-api.md §4.3). */
const xmlError = (exception: string, message: string, resource: string): string =>
  `${XML}<error><exception>${exception}</exception><message>${message}</message><resource>${resource}</resource></error>`;
const JSON_ACCEPT = { accept: 'application/json' };

/** The stored property keys, in the order they were added. */
async function storedKeys(): Promise<string[]> {
  return (await t.ready).snapshot().properties.map(([key]) => key);
}

async function setProperties(...entries: Array<[string, string | null]>): Promise<void> {
  (await t.ready).edit((draft) => {
    for (const [key, value] of entries) setProperty(draft, key, value);
  });
}

async function storedValue(key: string): Promise<string | undefined> {
  const res = await t.api('GET', `/system/properties/${key}`, JSON_ACCEPT);
  return res.status === 200 ? res.json().value : undefined;
}

describe('GET /system/properties', () => {
  it('lists every property sorted by key, a default-only one without value', async () => {
    await setProperties(['zz.custom', 'last'], ['0.default', null]);
    const json = await t.api('GET', '/system/properties', JSON_ACCEPT);
    expect(json.status).toBe(200);
    const listed: Array<{ key: string; value?: string }> = json.json().property;
    const keys = listed.map((p) => p.key);
    expect(keys).toEqual((await storedKeys()).sort());
    expect(listed[0]).toEqual({ key: '0.default' });
    expect(listed).toContainEqual({ key: 'xmpp.domain', value: 'example.org' });
    const xml = await t.api('GET', '/system/properties');
    expect(xml.text.startsWith(`${XML}<properties><property key="0.default"/><property key=`)).toBe(true);
    expect(xml.text).toContain('<property key="xmpp.domain" value="example.org"/>');
    expect(xml.text.endsWith('<property key="zz.custom" value="last"/></properties>')).toBe(true);
  });
});

describe('GET /system/properties/{propertyKey}', () => {
  it('returns one property as attributes in XML and keys in JSON', async () => {
    expect((await t.api('GET', '/system/properties/xmpp.domain')).text).toBe(
      `${XML}<property key="xmpp.domain" value="example.org"/>`,
    );
    expect((await t.api('GET', '/system/properties/xmpp.domain', JSON_ACCEPT)).text).toBe(
      '{"key":"xmpp.domain","value":"example.org"}',
    );
  });

  it('answers 404 for an unknown key and for a default-only property', async () => {
    await setProperties(['a.default', null]);
    const xml = await t.api('GET', '/system/properties/a.default');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(xmlError('PropertyNotFoundException', 'Could not find property', 'a.default'));
    const json = await t.api('GET', '/system/properties/nope', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"nope","message":"Could not find property","exception":"PropertyNotFoundException"}',
    );
  });
});

describe('POST /system/properties', () => {
  it('creates a property from XML and overwrites it from JSON', async () => {
    const created = await t.api('POST', '/system/properties', { body: '<property key="my.prop" value="one"/>' });
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    expect(await storedValue('my.prop')).toBe('one');
    const overwritten = await t.api('POST', '/system/properties', { body: { key: 'my.prop', value: 'two' } });
    expect(overwritten.status).toBe(201);
    expect(await storedValue('my.prop')).toBe('two');
  });

  it('cuts a trailing dot and trims the key', async () => {
    await t.api('POST', '/system/properties', { body: { key: ' spaced.key.', value: 'v' } });
    expect(await storedValue('spaced.key')).toBe('v');
    expect(await storedKeys()).not.toContain(' spaced.key.');
  });

  it('deletes the property when the value is missing', async () => {
    await t.api('POST', '/system/properties', { body: { key: 'my.prop', value: 'one' } });
    const res = await t.api('POST', '/system/properties', { body: '<property key="my.prop"/>' });
    expect(res.status).toBe(201);
    expect((await t.api('GET', '/system/properties/my.prop')).status).toBe(404);
  });

  it('keeps a default-only property listed when its value is removed', async () => {
    await setProperties(['a.default', null]);
    expect((await t.api('POST', '/system/properties', { body: { key: 'a.default' } })).status).toBe(201);
    expect(await storedKeys()).toContain('a.default');
  });

  it('fails with an unmapped 500 without a key or without an entity', async () => {
    const noKey = await t.api('POST', '/system/properties', { body: { value: 'v' }, accept: 'application/json' });
    expect(noKey.status).toBe(500);
    expect(noKey.json()).toMatchObject({ message: 'Request failed.', status: '500' });
    const noEntity = await t.api('POST', '/system/properties', { body: '', contentType: 'application/json' });
    expect(noEntity.status).toBe(500);
  });
});

describe('PUT /system/properties/{propertyKey}', () => {
  it('updates an existing property', async () => {
    await setProperties(['my.prop', 'one']);
    const res = await t.api('PUT', '/system/properties/my.prop', { body: '<property key="my.prop" value="two"/>' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(await storedValue('my.prop')).toBe('two');
  });

  it('deletes an existing property when the value is missing', async () => {
    await t.api('POST', '/system/properties', { body: { key: 'my.prop', value: 'one' } });
    expect((await t.api('PUT', '/system/properties/my.prop', { body: { key: 'my.prop' } })).status).toBe(200);
    expect(await storedValue('my.prop')).toBeUndefined();
  });

  it('answers 404 naming the body key when the path key does not exist', async () => {
    const res = await t.api('PUT', '/system/properties/nope', { body: { key: 'other', value: 'v' } });
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      '{"resource":"other","message":"Could not find property for update","exception":"PropertyNotFoundException"}',
    );
    const xml = await t.api('PUT', '/system/properties/nope', { body: '<property key="nope" value="v"/>' });
    expect(xml.text).toBe(xmlError('PropertyNotFoundException', 'Could not find property for update', 'nope'));
    expect(await storedKeys()).not.toContain('nope');
  });

  it('answers 400 naming the path key when the body key differs', async () => {
    const res = await t.api('PUT', '/system/properties/xmpp.domain', {
      body: '<property key="xmpp.other" value="x"/>',
    });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      xmlError('IllegalArgumentException', "Path property name and entity property name doesn't match", 'xmpp.domain'),
    );
    expect(await storedValue('xmpp.domain')).toBe('example.org');
  });
});

describe('DELETE /system/properties/{propertyKey}', () => {
  it('deletes an existing property', async () => {
    await t.api('POST', '/system/properties', { body: { key: 'my.prop', value: 'one' } });
    const res = await t.api('DELETE', '/system/properties/my.prop');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await t.api('GET', '/system/properties/my.prop')).status).toBe(404);
  });

  it('answers 404 for an absent property', async () => {
    const xml = await t.api('DELETE', '/system/properties/nope');
    expect(xml.status).toBe(404);
    expect(xml.text).toContain('<message>Could not find property</message><resource>nope</resource>');
    const json = await t.api('DELETE', '/system/properties/nope', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"nope","message":"Could not find property","exception":"PropertyNotFoundException"}',
    );
  });
});
