import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { routeKeys, splitRouteKey } from '../../src/upstream/routes.js';
import { setProperty, settings, useEmulator } from '../helpers/emulator.js';

const documented = routeKeys.filter((key) => key !== 'GET /openapi.yaml' && key !== 'GET /openapi.json');

describe('OpenAPI documents in secret mode', () => {
  const t = useEmulator();

  it('serves openapi.yaml without authentication', async () => {
    const res = await t.api('GET', '/openapi.yaml', { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/yaml');
    const doc = parse(res.text);
    expect(doc.info).toMatchObject({
      title: 'Openfire REST API',
      contact: { name: 'Ignite Realtime Foundation', url: 'https://www.igniterealtime.org' },
      license: { name: 'Apache 2.0', url: 'http://www.apache.org/licenses/LICENSE-2.0.html' },
    });
    expect(doc.servers).toEqual([{ url: '/plugins' }]);
  });

  it('requires authentication for openapi.json and serves the same document', async () => {
    expect((await t.api('GET', '/openapi.json', { auth: null })).status).toBe(401);
    const res = await t.api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual(parse((await t.api('GET', '/openapi.yaml', { auth: null })).text));
  });

  it('documents every route of the table except the two OpenAPI routes', async () => {
    const { paths } = parse((await t.api('GET', '/openapi.yaml', { auth: null })).text);
    const listed = Object.entries(paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/^\/restapi\/v1/, '')}`),
    );
    expect(listed.sort()).toEqual([...documented].sort());
    const ids = Object.values(paths as Record<string, Record<string, { operationId: string }>>).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(documented.length);
  });

  it('tags operations by resource and refers to entity schemas from the catalog', async () => {
    const doc = parse((await t.api('GET', '/openapi.yaml', { auth: null })).text);
    const users = doc.paths['/restapi/v1/users'];
    expect(users.get.tags).toEqual(['Users']);
    const schema = users.get.responses['200'].content['application/json'].schema;
    expect(schema).toEqual({ $ref: '#/components/schemas/UserEntities' });
    expect(users.post.responses).toHaveProperty('201');
    expect(doc.paths['/restapi/v1/system/statistics/sessions'].get.tags).toEqual(['Statistics']);
    const legacy = doc.paths['/restapi/v1/userservice'].get;
    expect(legacy).toMatchObject({ tags: ['UserService (deprecated)'], deprecated: true });
    expect(doc.components.schemas.UserEntity.properties).toHaveProperty('properties');
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toContain('Security Audit Log');
    for (const key of documented) {
      const { method, template } = splitRouteKey(key);
      expect(doc.paths[`/restapi/v1${template}`][method.toLowerCase()].tags).toHaveLength(1);
    }
  });

  it('declares the shared secret scheme as the global requirement', async () => {
    const doc = parse((await t.api('GET', '/openapi.yaml', { auth: null })).text);
    const scheme = { type: 'apiKey', in: 'header', name: 'Authorization' };
    expect(doc.components.securitySchemes).toEqual({ 'Secret key auth': scheme });
    expect(doc.security).toEqual([{ 'Secret key auth': [] }]);
  });

  it('keeps the scheme the plugin was loaded with when httpAuth changes later', async () => {
    await t.api('GET', '/openapi.yaml', { auth: null });
    (await t.ready).edit((draft) => setProperty(draft, 'plugin.restapi.httpAuth', 'basic'));
    const doc = parse((await t.api('GET', '/openapi.yaml', { auth: null })).text);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['Secret key auth']);
  });
});

describe('OpenAPI documents in basic mode', () => {
  const t = useEmulator({ seed: demoSeed({ ...settings, httpAuth: 'basic' }) });
  const admin = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

  it('declares HTTP Basic with an admin console account', async () => {
    const res = await t.api('GET', '/openapi.json', { auth: admin });
    expect(res.status).toBe(200);
    const doc = res.json();
    expect(doc.components.securitySchemes).toEqual({ 'Admin Console account': { type: 'http', scheme: 'basic' } });
    expect(doc.security).toEqual([{ 'Admin Console account': [] }]);
  });
});
