import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';

/**
 * The plugin's HTTP behaviour shared by every endpoint: negotiation, error media, bodies, paths
 * (openfire-rest-api.md §1, §4).
 */
const t = useEmulator();

const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const userNotFoundXml = (resource: string): string =>
  `${PROLOG}<error><exception>UserNotFoundException</exception><message>Could not get user</message><resource>${resource}</resource></error>`;

async function userCount(): Promise<number> {
  return (await t.api('GET', '/users', { accept: 'application/json' })).json().users.length;
}

describe('content negotiation of success responses', () => {
  it.each([
    [undefined, 'application/xml'],
    ['*/*', 'application/xml'],
    ['application/*', 'application/xml'],
    ['application/json', 'application/json'],
    ['application/json, */*', 'application/json'],
    ['application/xml;q=0.5, application/json', 'application/json'],
    ['text/html, */*;q=0.8', 'application/xml'],
  ])('Accept %s answers %s', async (accept, type) => {
    const res = await t.api('GET', '/users/john', { accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
  });

  it('answers 406 with a container page when neither XML nor JSON is acceptable', async () => {
    for (const accept of ['text/plain', 'text/xml']) {
      const res = await t.api('GET', '/users/john', { accept });
      expect(res.status).toBe(406);
      expect(res.text).not.toContain('<error>');
    }
  });
});

describe('error entities follow RESTExceptionMapper’s media rule (openfire-rest-api.md §4.3)', () => {
  it('uses a single non-wildcard Accept verbatim', async () => {
    const res = await t.api('GET', '/users/nobody', { accept: 'application/json' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe('{"resource":"nobody","message":"Could not get user","exception":"UserNotFoundException"}');
  });

  it('falls back to XML when Accept lists several types, although success would be JSON', async () => {
    const res = await t.api('GET', '/users/nobody', { accept: 'application/json, */*' });
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text).toBe(userNotFoundXml('nobody'));
  });

  it('uses the request Content-Type when there is no Accept', async () => {
    const res = await t.api('POST', '/users', { body: { username: 'john', password: 'x' } });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({
      resource: 'john',
      message: 'Could not create new user',
      exception: 'UserAlreadyExistsException',
    });
  });

  it('answers a container 500 when the single Accept type cannot carry the error', async () => {
    const res = await t.api('DELETE', '/users/nobody', { accept: 'text/html' });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Request failed.');
  });
});

describe('request bodies (openfire-rest-api.md §4.1)', () => {
  it('rejects bodies that are neither XML nor JSON with 415 and changes nothing', async () => {
    const before = await userCount();
    for (const contentType of ['text/xml', 'application/x-www-form-urlencoded', 'text/plain']) {
      const res = await t.api('POST', '/users', {
        body: '<user><username>x</username><password>p</password></user>',
        contentType,
      });
      expect(res.status).toBe(415);
    }
    expect(await userCount()).toBe(before);
  });

  it('rejects a non-empty body without Content-Type with 415', async () => {
    const res = await t.api('POST', '/users', { body: '{"username":"x","password":"p"}', contentType: null });
    expect(res.status).toBe(415);
  });

  it('answers malformed XML and the wrong root element with a 400 container page', async () => {
    for (const body of ['<user><username>x</user>', '<group><name>x</name></group>', '']) {
      const res = await t.api('POST', '/users', { body, contentType: 'application/xml' });
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('<error>');
    }
  });

  it('answers malformed JSON, unknown fields and scalars for lists with Jackson’s 400 text/plain', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"username":', /Unexpected/],
      ['{"username":"x","password":"p","isshared":true}', /Unrecognized field "isshared"/],
      [
        '{"username":"x","password":"p","properties":{"property":[]}}',
        /Cannot deserialize value of type `java\.util\.List/,
      ],
      ['["x"]', /Cannot deserialize/],
    ];
    const before = await userCount();
    for (const [body, message] of cases) {
      const res = await t.api('POST', '/users', { body, contentType: 'application/json' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('text/plain');
      expect(res.text).toMatch(message);
    }
    expect(await userCount()).toBe(before);
  });

  it('coerces numeric and boolean strings in JSON as Jackson does', async () => {
    const res = await t.api('POST', '/users/john/roster', {
      body: { jid: 'alice@example.org', subscriptionType: '2' },
    });
    expect(res.status).toBe(201);
    const roster = (await t.api('GET', '/users/john/roster', { accept: 'application/json' })).json();
    expect(roster.rosterItem).toContainEqual({ jid: 'alice@example.org', subscriptionType: 2, groups: [] });
  });

  it('refuses bodies above the size limit with 413 and changes nothing', async () => {
    const before = await userCount();
    const res = await t.api('POST', '/users', { body: { username: 'big', password: 'x'.repeat(9 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(await userCount()).toBe(before);
  });
});

describe('paths and implicit methods (openfire-rest-api.md §1, §4.7)', () => {
  it('resolves dot segments before routing, as the servlet container does', async () => {
    const res = await t.api('GET', '/users/../groups', { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ groups: [] });
  });

  it('cannot address a parameter containing an encoded slash', async () => {
    expect((await t.api('GET', '/users/jo%2Fhn')).status).toBe(404);
  });

  it('percent-decodes path parameters', async () => {
    const res = await t.api('GET', '/users/j%C3%B6rg', { accept: 'application/json' });
    expect(res.status).toBe(404);
    expect(res.json().resource).toBe('jörg');
  });

  it('answers a bad percent-encoding with 400', async () => {
    expect((await t.api('GET', '/users/%zz')).status).toBe(400);
  });

  it('answers an invalid JID node in a path with an unmapped 500, not 404', async () => {
    const res = await t.api('GET', '/users/a%40b', { accept: 'application/json' });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({
      servlet: 'PluginServlet',
      message: 'Request failed.',
      url: '/plugins/restapi/v1/users/a@b',
      status: '500',
    });
  });

  it('answers HEAD like GET without a body, 404 included', async () => {
    const found = await t.api('HEAD', '/users/john');
    expect(found.status).toBe(200);
    expect(found.headers['content-type']).toBe('application/xml');
    expect(found.text).toBe('');
    expect((await t.api('HEAD', '/users/nobody')).status).toBe(404);
  });

  it('answers OPTIONS without credentials with the allowed methods and CORS headers', async () => {
    const res = await t.api('OPTIONS', '/users/john', { auth: null });
    expect(res.status).toBe(200);
    expect(String(res.headers.allow).split(',').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT']);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PUT, DELETE, OPTIONS, HEAD');
  });

  it('answers 405 for a known path and an unknown method, 404 for unknown paths', async () => {
    expect((await t.api('PATCH', '/users/john')).status).toBe(405);
    expect((await t.api('GET', '/chatrooms/lobby/member')).status).toBe(404);
    expect((await t.api('GET', '/nothing')).status).toBe(404);
    expect((await t.api('GET', '//plugins/other')).status).toBe(404);
  });

  it('answers an unparsable integer query parameter with 404', async () => {
    expect((await t.api('GET', '/logs/security?limit=ten')).status).toBe(404);
  });

  it('renders container pages as JSON or plain text on request', async () => {
    const json = await t.api('GET', '/nothing', { accept: 'application/json' });
    expect(json.json()).toEqual({
      servlet: 'PluginServlet',
      message: 'Not Found',
      url: '/plugins/restapi/v1/nothing',
      status: '404',
    });
    const text = await t.api('GET', '/nothing', { accept: 'text/plain' });
    expect(text.text).toContain('HTTP ERROR 404 Not Found');
  });
});
