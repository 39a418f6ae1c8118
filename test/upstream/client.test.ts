import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CallEvent, type Credential, createUpstreamClient } from '../../src/upstream/client.js';
import { LOGIN_PAGE_HINT, UpstreamError } from '../../src/upstream/errors.js';

/** The request path and its edge cases against a mock dispatcher: URLs, headers, bodies, retries, classification. */
const ORIGIN = 'http://openfire.test:9090';
const API = '/plugins/restapi/v1';
const JSON_HEADERS = { 'content-type': 'application/json' };

let agent: MockAgent;
let events: CallEvent[];

function client(
  credential: Credential = { kind: 'secret', secret: 's3cret-value' },
  retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 2_000 },
) {
  return createUpstreamClient({ baseUrl: ORIGIN, dispatcher: agent, credential, retry, onCall: (e) => events.push(e) });
}

const pool = () => agent.get(ORIGIN);

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  events = [];
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe('building requests', () => {
  it('percent-encodes path parameters: @, /, spaces and XEP-0106 backslashes', async () => {
    pool()
      .intercept({ path: `${API}/chatrooms/my%20room/members/a%5C20b%40example.org%2Fres`, method: 'POST' })
      .reply(201, '');
    await client().call('POST /chatrooms/{roomName}/{affiliation}/{jid}', {
      path: { roomName: 'my room', affiliation: 'members', jid: 'a\\20b@example.org/res' },
    });
  });

  it('sends query parameters, leaving out undefined ones', async () => {
    pool()
      .intercept({ path: `${API}/chatrooms?servicename=muc&type=all`, method: 'GET' })
      .reply(200, '{"chatRooms":[]}', { headers: JSON_HEADERS });
    expect(
      await client().call('GET /chatrooms', { query: { servicename: 'muc', type: 'all', search: undefined } }),
    ).toEqual([]);
  });

  it('sends the secret, JSON Accept and the request id', async () => {
    pool()
      .intercept({
        path: `${API}/users/john`,
        method: 'GET',
        headers: { authorization: 's3cret-value', accept: 'application/json', 'x-request-id': 'req-1' },
      })
      .reply(200, '{"username":"john","name":"John Doe","properties":[]}', { headers: JSON_HEADERS });
    const user = await client().call('GET /users/{username}', { path: { username: 'john' } }, { requestId: 'req-1' });
    expect(user).toEqual({ username: 'john', name: 'John Doe', email: null, properties: [] });
  });

  it('uses Basic credentials, or a per-call Authorization header in passthrough mode', async () => {
    const basic = `Basic ${Buffer.from('admin:pw').toString('base64')}`;
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET', headers: { authorization: basic } })
      .reply(200, '{"groups":[]}', { headers: JSON_HEADERS });
    await client({ kind: 'basic', username: 'admin', password: 'pw' }).call('GET /groups', {});
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET', headers: { authorization: 'caller' } })
      .reply(200, '{"groups":[]}', { headers: JSON_HEADERS });
    await client({ kind: 'none' }).call('GET /groups', {}, { authorization: 'caller' });
  });

  it.each([
    ['an empty', ''],
    ['a `.`', '.'],
    ['a `..`', '..'],
  ])(
    'refuses %s path parameter unsent (BAD_REQUEST, no status): it would address another resource',
    async (_, value) => {
      agent.enableCallHistory();
      const user = await rejection(client().call('GET /users/{username}', { path: { username: value } }));
      expect(user).toMatchObject({
        code: 'BAD_REQUEST',
        status: null,
        route: 'GET /users/{username}',
        exception: null,
      });
      // `/users/./roster/vcard` would be `/users/roster/vcard`: either parameter is checked.
      const item = await rejection(
        client().call('DELETE /users/{username}/roster/{rosterJid}', { path: { username: 'john', rosterJid: value } }),
      );
      expect(item).toMatchObject({
        code: 'BAD_REQUEST',
        status: null,
        route: 'DELETE /users/{username}/roster/{rosterJid}',
      });
      expect(item.message).toContain('{rosterJid}');
      const owner = await rejection(
        client().call('DELETE /users/{username}/roster/{rosterJid}', { path: { username: value, rosterJid: 'vcard' } }),
      );
      expect(owner).toMatchObject({ code: 'BAD_REQUEST', status: null });
      expect(owner.message).toContain('{username}');
      // The history is kept from the first request on, intercepted or not: none was sent.
      expect(agent.getCallHistory()?.calls() ?? []).toEqual([]);
      // Names that merely contain dots are sent as they are.
      pool()
        .intercept({ path: `${API}/users/.../roster/a.b%40example.org`, method: 'DELETE' })
        .reply(200, '');
      await client().call('DELETE /users/{username}/roster/{rosterJid}', {
        path: { username: '...', rosterJid: 'a.b@example.org' },
      });
      expect(agent.getCallHistory()?.calls()).toHaveLength(1);
    },
  );

  it('always sends members and admins when creating a group (servers answer 500 without them)', async () => {
    pool()
      .intercept({
        path: `${API}/groups`,
        method: 'POST',
        body: '{"name":"g","admins":[],"members":[],"shared":false}',
        headers: { 'content-type': 'application/json' },
      })
      .reply(201, '');
    expect(await client().call('POST /groups', { body: { name: 'g' } })).toBeUndefined();
  });

  it('sends user properties on PUT, and raw XML for vCards', async () => {
    pool()
      .intercept({
        path: `${API}/users/john`,
        method: 'PUT',
        body: '{"name":"J","properties":[{"key":"k","value":"v"}]}',
      })
      .reply(200, '');
    await client().call('PUT /users/{username}', {
      path: { username: 'john' },
      body: { name: 'J', properties: [{ key: 'k', value: 'v' }] },
    });
    pool()
      .intercept({
        path: `${API}/users/john/vcard`,
        method: 'PUT',
        body: '<vCard xmlns="vcard-temp"/>',
        headers: { 'content-type': 'application/xml' },
      })
      .reply(200, '');
    await client().call('PUT /users/{username}/vcard', {
      path: { username: 'john' },
      body: '<vCard xmlns="vcard-temp"/>',
    });
  });
});

describe('classifying answers', () => {
  it('turns an error entity into a coded error with Openfire’s exception, message and resource', async () => {
    pool()
      .intercept({ path: `${API}/users/ghost`, method: 'GET' })
      .reply(404, '{"resource":"ghost","message":"Could not get user","exception":"UserNotFoundException"}', {
        headers: JSON_HEADERS,
      });
    const error = await rejection(client().call('GET /users/{username}', { path: { username: 'ghost' } }));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      exception: 'UserNotFoundException',
      upstreamMessage: 'Could not get user',
      resource: 'ghost',
      route: 'GET /users/{username}',
    });
  });

  it('reads XML error entities too', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><error><exception>UserAlreadyExistsException</exception><message>Could not create new user</message><resource>john</resource></error>';
    pool()
      .intercept({ path: `${API}/users`, method: 'POST' })
      .reply(409, xml, { headers: { 'content-type': 'application/xml' } });
    const error = await rejection(client().call('POST /users', { body: { username: 'john', password: 'x' } }));
    expect(error).toMatchObject({ code: 'CONFLICT', exception: 'UserAlreadyExistsException', resource: 'john' });
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [415, 'PROTOCOL'],
    [500, 'SERVER_ERROR'],
  ] as const)('maps a bare %i container page to %s', async (status, code) => {
    pool()
      .intercept({ path: `${API}/users`, method: 'POST' })
      .reply(status, '<html><body>error</body></html>', { headers: { 'content-type': 'text/html' } });
    expect((await rejection(client().call('POST /users', { body: { username: 'x', password: 'y' } }))).code).toBe(code);
  });

  it('explains the admin console login redirect and a 200 login page as PROTOCOL errors with the fix', async () => {
    pool()
      .intercept({ path: `${API}/users`, method: 'GET' })
      .reply(302, '', { headers: { location: '/login.jsp?url=%2Fplugins' } });
    const redirect = await rejection(client().call('GET /users', {}));
    expect(redirect.code).toBe('PROTOCOL');
    expect(redirect.message).toContain('adminConsole.access.allow-wildcards-in-excludes=true');
    pool()
      .intercept({ path: `${API}/users`, method: 'GET' })
      .reply(200, '<!DOCTYPE html><html><title>Openfire Admin Console</title></html>', {
        headers: { 'content-type': 'text/html' },
      });
    const page = await rejection(client().call('GET /users', {}));
    expect(page.message).toContain(LOGIN_PAGE_HINT);
  });

  it('reports an unreadable body as PROTOCOL', async () => {
    pool()
      .intercept({ path: `${API}/users/john`, method: 'GET' })
      .reply(200, '{"username":"jo', { headers: JSON_HEADERS });
    expect((await rejection(client().call('GET /users/{username}', { path: { username: 'john' } }))).code).toBe(
      'PROTOCOL',
    );
  });

  it('answers health checks with booleans instead of errors', async () => {
    pool()
      .intercept({ path: `${API}/system/readiness`, method: 'GET' })
      .reply(503, '');
    pool()
      .intercept({ path: `${API}/system/liveness`, method: 'GET' })
      .reply(200, '');
    expect(await client().call('GET /system/readiness', {})).toBe(false);
    expect(await client().call('GET /system/liveness', {})).toBe(true);
  });

  it('never puts the credential in an error', async () => {
    pool()
      .intercept({ path: `${API}/users`, method: 'GET' })
      .reply(401, '');
    const error = await rejection(client().call('GET /users', {}));
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain('s3cret-value');
  });
});

describe('retries', () => {
  it('retries a GET on 503 and 429, then succeeds', async () => {
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(503, '');
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(429, '');
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(200, '{"groups":[]}', { headers: JSON_HEADERS });
    expect(await client().call('GET /groups', {})).toEqual([]);
    expect(events).toMatchObject([{ route: 'GET /groups', status: 200, attempts: 3, error: null }]);
  });

  it('gives up after the allowed attempts with UNAVAILABLE', async () => {
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(502, '')
      .times(3);
    const error = await rejection(client().call('GET /groups', {}));
    expect([error.code, error.status]).toEqual(['UNAVAILABLE', 502]);
    expect(events[0]?.attempts).toBe(3);
  });

  it('retries a GET after a connection error', async () => {
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(200, '{"groups":[]}', { headers: JSON_HEADERS });
    expect(await client().call('GET /groups', {})).toEqual([]);
  });

  it('never retries a POST', async () => {
    pool()
      .intercept({ path: `${API}/groups`, method: 'POST' })
      .reply(503, '');
    const error = await rejection(client().call('POST /groups', { body: { name: 'g' } }));
    expect([error.code, events[0]?.attempts]).toEqual(['UNAVAILABLE', 1]);
  });

  it('waits what Retry-After asks, and gives up when it exceeds the budget', async () => {
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(503, '', { headers: { 'retry-after': '1' } });
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(200, '{"groups":[]}', { headers: JSON_HEADERS });
    const started = performance.now();
    await client().call('GET /groups', {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(503, '', { headers: { 'retry-after': '120' } });
    expect((await rejection(client().call('GET /groups', {}))).code).toBe('UNAVAILABLE');
  });

  it('stops waiting when the caller aborts, as a TIMEOUT', async () => {
    pool()
      .intercept({ path: `${API}/groups`, method: 'GET' })
      .reply(503, '', { headers: { 'retry-after': '1' } });
    const error = await rejection(client().call('GET /groups', {}, { signal: AbortSignal.timeout(50) }));
    expect(error.code).toBe('TIMEOUT');
  });
});
