import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { LEGACY_ERRORS } from '../../src/legacy/errors.js';
import { errorReply, okReply } from '../../src/legacy/reply.js';
import { defined } from '../helpers/defined.js';
import { settings } from '../helpers/emulator.js';
import { LEGACY_SECRET, type TestLegacy, useLegacy } from '../helpers/legacy.js';

/**
 * Real clients of the old interface (openfire-rest-api.md §16.3), each emulated as it reads replies: its URL
 * path, method, parameter encoding and reply parsing, driven through a realistic sequence of calls.
 */

const t = useLegacy();
const jid = (username: string): string => `${username}@${settings.domain}`;

async function user(t: TestLegacy, username: string) {
  const state = await t.state();
  return {
    record: state.users.find((u) => u.username === username),
    locked: state.lockouts.includes(username),
    roster: state.rosters[username] ?? [],
    groups: state.groups.filter((g) => g.members.includes(jid(username))).map((g) => g.name),
  };
}

describe('Cyerus OpenFire-UserService-PHP-Class', () => {
  // preg_match without the D modifier: `$` also matches before one final "\n". No m flag: `^` is the body's start.
  const ERROR = /^<error>([A-Za-z0-9 ]+)<\/error>\n?$/;
  const RESULT = /^<result>([A-Za-z0-9 ]+)<\/result>\n?$/;

  type Answer = { result: boolean; message: string } | false;
  const analyse = (body: string): Answer => {
    const failure = ERROR.exec(body)?.[1];
    if (failure !== undefined) return { result: false, message: failure };
    const success = RESULT.exec(body)?.[1];
    return success !== undefined ? { result: true, message: success } : false;
  };

  /** The class: `http_build_query` of its parameters, POSTed by cURL (default) or appended to a GET URL. */
  function cyerus(t: TestLegacy, options: { secret?: string; useCurl?: boolean } = {}) {
    const request = async (type: string, params: Record<string, string | false>): Promise<Answer> => {
      const query: Record<string, string> = { type, secret: options.secret ?? LEGACY_SECRET };
      for (const [name, value] of Object.entries(params)) if (value !== false) query[name] = value;
      const reply = await t.send(query, {
        method: options.useCurl === false ? 'GET' : 'POST',
        path: '/plugins/userService/userservice',
      });
      return analyse(reply.text);
    };
    // The class only sends a subscription it knows: -1, 0, 1 or 2 (3 is silently dropped).
    const subscription = (value: number | false) =>
      value !== false && [-1, 0, 1, 2].includes(value) ? String(value) : false;
    return {
      addUser: (
        username: string,
        password: string,
        name: string | false = false,
        email: string | false = false,
        groups: string[] | false = false,
      ) => request('add', { username, password, name, email, groups: groups === false ? false : groups.join(',') }),
      deleteUser: (username: string) => request('delete', { username }),
      disableUser: (username: string) => request('disable', { username }),
      enableUser: (username: string) => request('enable', { username }),
      updateUser: (
        username: string,
        password: string | false,
        name: string | false,
        email: string | false,
        groups: string[] | false,
      ) => request('update', { username, password, name, email, groups: groups === false ? false : groups.join(',') }),
      addToRoster: (
        username: string,
        itemJid: string,
        name: string | false,
        sub: number | false,
        groups: string[] | false = false,
      ) =>
        request('add_roster', {
          username,
          item_jid: itemJid,
          name,
          subscription: subscription(sub),
          groups: groups === false ? false : groups.join(','),
        }),
      updateRoster: (
        username: string,
        itemJid: string,
        name: string | false,
        sub: number | false,
        groups: string[] | false = false,
      ) =>
        request('update_roster', {
          username,
          item_jid: itemJid,
          name,
          subscription: subscription(sub),
          groups: groups === false ? false : groups.join(','),
        }),
      deleteFromRoster: (username: string, itemJid: string) =>
        request('delete_roster', { username, item_jid: itemJid }),
    };
  }

  it('every error name the gateway can send matches the error regex, and ok matches the result regex', async () => {
    for (const name of LEGACY_ERRORS)
      expect(analyse(await errorReply(name).text())).toEqual({ result: false, message: name });
    expect(analyse(await okReply().text())).toEqual({ result: true, message: 'ok' });
    // The regexes are strict enough to tell a broken reply: a prolog, CRLF, two newlines, an exception text.
    for (const body of [
      '<?xml version="1.0"?><result>ok</result>\n',
      '<result>ok</result>\r\n',
      '<result>ok</result>\n\n',
      '<error>java.lang.NullPointerException</error>\n',
    ]) {
      expect(analyse(body)).toBe(false);
    }
  });

  it('manages a user through POST form bodies from start to finish', async () => {
    const php = cyerus(t);
    const ok = { result: true, message: 'ok' };
    expect(await php.addUser('Alice', 'pw-1', 'Alice Liddell', 'alice@example.com', ['staff', 'wonderland'])).toEqual(
      ok,
    );
    expect(await user(t, 'alice')).toMatchObject({
      record: { name: 'Alice Liddell', email: 'alice@example.com', password: 'pw-1' },
      locked: false,
    });
    expect((await user(t, 'alice')).groups.sort()).toEqual(['staff', 'wonderland']);

    expect(await php.updateUser('alice', 'pw-2', 'Alice L.', false, ['wonderland'])).toEqual(ok);
    expect(await user(t, 'alice')).toMatchObject({
      record: { name: 'Alice L.', email: 'alice@example.com', password: 'pw-2' },
      groups: ['wonderland'],
    });

    expect(await php.addToRoster('alice', 'john@example.org', 'Johnny', 3, ['Friends'])).toEqual(ok);
    expect((await user(t, 'alice')).roster).toEqual([
      { jid: 'john@example.org', nickname: 'Johnny', subscription: 0, groups: ['Friends'] },
    ]);
    expect(await php.updateRoster('alice', 'john@example.org', 'John', 2)).toEqual(ok);
    expect((await user(t, 'alice')).roster).toMatchObject([
      { jid: 'john@example.org', nickname: 'John', subscription: 2 },
    ]);
    expect(await php.deleteFromRoster('alice', 'john@example.org')).toEqual(ok);
    expect((await user(t, 'alice')).roster).toEqual([]);

    expect(await php.disableUser('alice')).toEqual(ok);
    expect((await user(t, 'alice')).locked).toBe(true);
    expect(await php.enableUser('alice')).toEqual(ok);
    expect((await user(t, 'alice')).locked).toBe(false);

    expect(await php.addUser('alice', 'pw-3')).toEqual({ result: false, message: 'UserAlreadyExistsException' });
    expect(await php.updateRoster('alice', 'not a jid@@', false, false)).toEqual({
      result: false,
      message: 'IllegalArgumentException',
    });
    expect(await php.deleteUser('alice')).toEqual(ok);
    expect((await user(t, 'alice')).record).toBeUndefined();
    expect(await php.deleteUser('alice')).toEqual({ result: false, message: 'UserNotFoundException' });
    // As in the original, the user is looked up before item_jid is parsed.
    expect(await php.updateRoster('alice', 'not a jid@@', false, false)).toEqual({
      result: false,
      message: 'UserNotFoundException',
    });
  });

  it('reads refusals and Openfire outages as failures, never as false', async () => {
    expect(await cyerus(t, { secret: 'wrong' }).addUser('mallory', 'pw')).toEqual({
      result: false,
      message: 'RequestNotAuthorised',
    });
    (await t.ready).faults.add({ route: 'POST /lockouts/{username}', status: 503 });
    expect(await cyerus(t).disableUser('john')).toEqual({ result: false, message: 'ServiceUnavailable' });
  });

  it('works the same with useCurl=false (GET query string)', async () => {
    const php = cyerus(t, { useCurl: false });
    expect(await php.addUser('bob', 'pw & more', 'Bob', 'bob@example.com')).toEqual({ result: true, message: 'ok' });
    expect((await user(t, 'bob')).record).toMatchObject({ password: 'pw & more' });
    expect(await php.deleteUser('bob')).toEqual({ result: true, message: 'ok' });
  });
});

describe('plazix/python-openfire', () => {
  class InvalidResponse extends Error {}
  class ServiceError extends Error {}
  /** Its five mapped names; anything else inside <error> is an InvalidResponse. */
  const MAPPED = new Set([
    'RequestNotAuthorised',
    'UserServiceDisabled',
    'UserNotFoundException',
    'UserAlreadyExistsException',
    'IllegalArgumentException',
  ]);

  /** `re.search('<error>(.*)</error>')` then the substring `<result>ok</result>`; `k=v` joined without encoding. */
  async function submit(t: TestLegacy, params: Record<string, string | null>): Promise<true> {
    const query = Object.entries({ ...params, secret: LEGACY_SECRET })
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const body = (await t.send(query, { path: '/plugins/userService/userservice' })).text;
    const error = /<error>(.*)<\/error>/.exec(body)?.[1];
    if (error !== undefined) throw MAPPED.has(error) ? new ServiceError(error) : new InvalidResponse(error);
    if (!body.includes('<result>ok</result>')) throw new InvalidResponse(body);
    return true;
  }

  it('adds, updates, locks, unlocks and deletes with unencoded parameters', async () => {
    expect(
      await submit(t, {
        type: 'add',
        username: 'carl',
        password: 'Secr3t',
        name: 'Carl',
        email: 'carl@example.com',
        groups: 'staff,ops',
      }),
    ).toBe(true);
    expect(await user(t, 'carl')).toMatchObject({ record: { email: 'carl@example.com' }, groups: ['ops', 'staff'] });
    expect(
      await submit(t, {
        type: 'update',
        username: 'carl',
        password: null,
        name: 'Carl-Heinz',
        email: 'ch@example.com',
        groups: null,
      }),
    ).toBe(true);
    expect(await user(t, 'carl')).toMatchObject({
      record: { name: 'Carl-Heinz', email: 'ch@example.com', password: 'Secr3t' },
      groups: ['ops', 'staff'],
    });
    expect(await submit(t, { type: 'disable', username: 'carl' })).toBe(true);
    expect(await submit(t, { type: 'enable', username: 'carl' })).toBe(true);
    await expect(submit(t, { type: 'add', username: 'carl', password: 'x' })).rejects.toThrow(
      new ServiceError('UserAlreadyExistsException'),
    );
    expect(await submit(t, { type: 'delete', username: 'carl' })).toBe(true);
    await expect(submit(t, { type: 'delete', username: 'carl' })).rejects.toThrow(
      new ServiceError('UserNotFoundException'),
    );
    expect((await user(t, 'carl')).record).toBeUndefined();
  });

  it('gets an InvalidResponse, not a success, when Openfire fails', async () => {
    (await t.ready).faults.add({ route: 'DELETE /users/{username}', status: 500 });
    await expect(submit(t, { type: 'delete', username: 'jane' })).rejects.toThrow(InvalidResponse);
  });
});

describe('asmuth-archive/openfire_api (Ruby gem)', () => {
  class ResponseError extends Error {}
  const WHITELISTED = [
    'RequestNotAuthorised',
    'UserServiceDisabled',
    'UserNotFoundException',
    'UserAlreadyExistsException',
    'IllegalArgumentException',
  ];
  /** The spec's FakeWeb fixtures (bodies without the newline the server adds). */
  const FIXTURES = {
    ok: '<result>ok</result>',
    disabled: '<error>UserServiceDisabled</error>',
    notAuthorised: '<error>RequestNotAuthorised</error>',
    notFound: '<error>UserNotFoundException</error>',
    exists: '<error>UserAlreadyExistsException</error>',
  };

  function parse(body: string): true {
    const error = /<error>(.*)<\/error>/.exec(body)?.[1];
    if (error !== undefined && WHITELISTED.includes(error)) throw new ResponseError(error);
    if (!/<result>ok<\/result>/.test(body)) throw new ResponseError('invalid response');
    return true;
  }

  const disabled = useLegacy({ legacy: { secret: null } });

  async function get(t: TestLegacy, params: Record<string, string>, secret = LEGACY_SECRET): Promise<string> {
    const query = Object.entries({ type: params.type, secret, ...params })
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    return (await t.send(query, { path: '/plugins/userService/userservice' })).text;
  }

  it('add_user!, update_user!, lock_user!, unlock_user!, delete_user! answer the fixture bodies', async () => {
    const steps: Array<[Record<string, string>, string]> = [
      [{ type: 'add', username: 'dora', password: 'pw', name: 'Dora', email: 'dora@example.com' }, FIXTURES.ok],
      [{ type: 'add', username: 'dora', password: 'pw' }, FIXTURES.exists],
      [{ type: 'update', username: 'dora', password: 'pw2', name: 'Dora', email: 'dora@example.com' }, FIXTURES.ok],
      [{ type: 'disable', username: 'dora' }, FIXTURES.ok],
      [{ type: 'enable', username: 'dora' }, FIXTURES.ok],
      [{ type: 'delete', username: 'dora' }, FIXTURES.ok],
      [{ type: 'delete', username: 'dora' }, FIXTURES.notFound],
    ];
    for (const [params, fixture] of steps) {
      const body = await get(t, params);
      expect(body).toBe(`${fixture}\n`);
      if (fixture === FIXTURES.ok) expect(parse(body)).toBe(true);
      else {
        const name = defined(/<error>(.*)<\/error>/.exec(fixture)?.[1], `the error name of ${fixture}`);
        expect(() => parse(body)).toThrow(new ResponseError(name));
      }
    }
  });

  it('raises on the refusal fixtures', async () => {
    const refused = await get(t, { type: 'delete', username: 'john' }, 'wrong');
    expect(refused).toBe(`${FIXTURES.notAuthorised}\n`);
    expect(() => parse(refused)).toThrow(new ResponseError('RequestNotAuthorised'));
    const off = await get(disabled, { type: 'delete', username: 'john' });
    expect(off).toBe(`${FIXTURES.disabled}\n`);
    expect(() => parse(off)).toThrow(new ResponseError('UserServiceDisabled'));
    expect((await user(t, 'john')).record).toBeDefined();
  });
});

describe('jottley/openfire-userservice-restclient (Java, RestTemplate)', () => {
  class UserExistsException extends Error {}
  class UserNotFoundException extends Error {}
  /** `response.contains("ok")` is success; otherwise the tags are stripped and the exact name switched on. */
  function handle(response: string): boolean {
    if (response.includes('ok')) return true;
    const name = response.replace('<error>', '').replace('</error>', '');
    switch (name) {
      case 'UserAlreadyExistsException':
        throw new UserExistsException(name);
      case 'UserNotFoundException':
        throw new UserNotFoundException(name);
      default:
        return false;
    }
  }

  /**
   * `getForObject("/plugins/userService/userservice?type={type}&…", String.class, vars)`: variables percent-encoded.
   */
  const call = async (vars: Record<string, string>) =>
    (await t.send({ ...vars, secret: LEGACY_SECRET }, { path: '/plugins/userService/userservice' })).text;

  it('adds a user with a roster item (subscription 3) and deletes it', async () => {
    expect(
      handle(
        await call({ type: 'add', username: 'erin', password: 'pw', name: 'Erin Example', email: 'erin@example.com' }),
      ),
    ).toBe(true);
    expect(
      handle(
        await call({
          type: 'add_roster',
          username: 'erin',
          item_jid: 'jane@example.org',
          name: 'Jane',
          subscription: '3',
        }),
      ),
    ).toBe(true);
    expect((await user(t, 'erin')).roster).toEqual([
      { jid: 'jane@example.org', nickname: 'Jane', subscription: 3, groups: [] },
    ]);
    expect(handle(await call({ type: 'delete', username: 'erin' }))).toBe(true);
    expect((await user(t, 'erin')).record).toBeUndefined();
  });

  it('never takes an error for success, but its exact-name switch misses because of the trailing newline', async () => {
    for (const name of LEGACY_ERRORS) expect(await errorReply(name).text()).not.toContain('ok');
    const body = await call({ type: 'delete', username: 'nobody' });
    expect(body.replace('<error>', '').replace('</error>', '')).toBe('UserNotFoundException\n');
    // As with the original plugin's println: the client returns false instead of throwing UserNotFoundException.
    expect(handle(body)).toBe(false);
    expect(() => handle(body.trimEnd())).toThrow(UserNotFoundException);
  });
});

describe('arcknine/Offerchat (open-uri + Nokogiri)', () => {
  const parser = new XMLParser({ parseTagValue: false });

  /** `Nokogiri::XML(body).xpath("//result").children.text == "ok"`. */
  function succeeded(body: string): boolean {
    const texts: string[] = [];
    const walk = (node: unknown, inResult: boolean): void => {
      if (typeof node === 'string') {
        if (inResult) texts.push(node);
      } else if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) walk(child, inResult || key === 'result');
      }
    };
    walk(parser.parse(body), false);
    return texts.join('') === 'ok';
  }

  /** Only spaces are encoded, as `+`. */
  const get = async (params: Record<string, string>) =>
    (
      await t.send(
        Object.entries({ ...params, secret: LEGACY_SECRET })
          .map(([k, v]) => `${k}=${v.replaceAll(' ', '+')}`)
          .join('&'),
      )
    ).text;

  it('adds a visitor, befriends an agent in a group, and removes the item', async () => {
    expect(
      succeeded(
        await get({
          type: 'add',
          username: 'visitor42',
          password: 'pw',
          name: 'Web Visitor',
          email: 'v42@example.com',
        }),
      ),
    ).toBe(true);
    expect((await user(t, 'visitor42')).record).toMatchObject({ name: 'Web Visitor' });
    const item = { username: 'visitor42', item_jid: 'john@example.org', name: 'Support Agent', groups: 'Support Team' };
    expect(succeeded(await get({ type: 'add_roster', ...item, subscription: '3' }))).toBe(true);
    expect((await user(t, 'visitor42')).roster).toEqual([
      { jid: 'john@example.org', nickname: 'Support Agent', subscription: 3, groups: ['Support Team'] },
    ]);
    expect(
      succeeded(
        await get({ type: 'delete_roster', username: 'visitor42', item_jid: 'john@example.org', subscription: '-1' }),
      ),
    ).toBe(true);
    expect((await user(t, 'visitor42')).roster).toEqual([]);
    expect(succeeded(await get({ type: 'add', username: 'visitor42', password: 'pw' }))).toBe(false);
  });
});

describe('the "cassie" Python XMPP bot (urlencode + ElementTree)', () => {
  const parser = new XMLParser({ parseTagValue: false, trimValues: false });

  /** `ET.fromstring(body.strip())`; success when `tag.lower() == 'result' and text.lower() == 'ok'`. */
  function verdict(body: string): { tag: string; text: string; ok: boolean } {
    const doc = parser.parse(body.trim()) as Record<string, unknown>;
    const keys = Object.keys(doc);
    expect(keys).toHaveLength(1);
    const tag = defined(keys[0], 'the root element');
    const text = String(doc[tag]);
    return { tag, text, ok: tag.toLowerCase() === 'result' && text.toLowerCase() === 'ok' };
  }

  const get = async (params: Record<string, string>) =>
    (await t.send({ ...params, secret: LEGACY_SECRET }, { path: '/plugins/userService/userservice' })).text;

  it('registers and unregisters a user', async () => {
    expect(
      verdict(
        await get({
          type: 'add',
          username: 'Fred',
          password: 'p@ss word+1',
          name: 'Fred F',
          email: 'fred@example.com',
        }),
      ),
    ).toEqual({ tag: 'result', text: 'ok', ok: true });
    expect((await user(t, 'fred')).record).toMatchObject({ password: 'p@ss word+1', name: 'Fred F' });
    expect(verdict(await get({ type: 'add', username: 'fred', password: 'x' }))).toEqual({
      tag: 'error',
      text: 'UserAlreadyExistsException',
      ok: false,
    });
    expect(verdict(await get({ type: 'delete', username: 'FRED' }))).toEqual({ tag: 'result', text: 'ok', ok: true });
    expect(verdict(await get({ type: 'delete', username: 'fred' }))).toEqual({
      tag: 'error',
      text: 'UserNotFoundException',
      ok: false,
    });
  });
});
