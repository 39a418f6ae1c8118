import { XMLValidator } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { LEGACY_PATHS } from '../../src/http/routes.js';
import type { LegacyOutcome } from '../../src/legacy/endpoint.js';
import { LEGACY_ERRORS, type LegacyErrorName } from '../../src/legacy/errors.js';
import { MAX_FORM_BYTES, readParameters } from '../../src/legacy/params.js';
import type { UpstreamClient } from '../../src/upstream/client.js';
import { SECRET } from '../helpers/emulator.js';
import { LEGACY_SECRET, type LegacyReply, type SendOptions, type TestLegacy, useLegacy } from '../helpers/legacy.js';

/**
 * The legacy endpoint's defences (openfire-rest-api.md §12.6): disabled without a secret, constant refusals before any
 * work, a per-address throttle, an allowlist that only believes trusted proxies, exact paths and methods, servlet
 * parameter semantics, and a byte-exact one-line reply for everything.
 */

const PATHS = [...LEGACY_PATHS];
const TYPE = 'text/xml; charset=utf-8';
const OK = '<result>ok</result>\n';
const error = (name: LegacyErrorName): string => `<error>${name}</error>\n`;
const SEED_GROUPS =
  '<result><groupname>ops</groupname><groupname>sales</groupname><groupname>staff</groupname><groupname>team</groupname></result>\n';
const grouplist = { type: 'grouplist', secret: LEGACY_SECRET };

function expectWire(reply: LegacyReply, text: string): void {
  expect({ status: reply.status, contentType: reply.contentType, text: reply.text }).toEqual({
    status: 200,
    contentType: TYPE,
    text,
  });
}

async function expectNoCalls(t: TestLegacy): Promise<void> {
  expect((await t.upstreamCalls()).total).toBe(0);
}

/** Every string reachable from a value (own properties, enumerable or not, `cause` chains, arrays), for leak checks. */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: string[] = value instanceof Error ? [String(value)] : [];
  for (const key of Object.getOwnPropertyNames(value))
    out.push(key, ...strings((value as Record<string, unknown>)[key], seen));
  return out;
}

describe('without a configured secret', () => {
  const t = useLegacy({ legacy: { secret: null } });

  it.each(PATHS)('%s answers UserServiceDisabled to every request, whatever secret it carries', async (path) => {
    const attempts: Array<Record<string, string>> = [
      { ...grouplist },
      { type: 'add', secret: LEGACY_SECRET, username: 'newbie', password: 'pw' },
      { type: 'grouplist', secret: '' },
      { type: 'grouplist', secret: 'null' },
      { type: 'grouplist' },
      {},
    ];
    for (const params of attempts) {
      for (const method of ['GET', 'POST'])
        expectWire(await t.send(params, { path, method }), error('UserServiceDisabled'));
    }
    await expectNoCalls(t);
    expect(t.outcomes.map((o) => o.reply)).toEqual(Array(attempts.length * 2).fill('UserServiceDisabled'));
  });
});

describe('the secret', () => {
  // A high limit: this block sends many wrong secrets from one address and the throttle has its own tests.
  const t = useLegacy({ legacy: { maxFailures: 1_000_000 } });

  const wrong: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['empty', { secret: '' }],
    ['wrong', { secret: 'not-the-secret' }],
    ['in the wrong case', { secret: LEGACY_SECRET.toUpperCase() }],
    ['a prefix of the right one', { secret: LEGACY_SECRET.slice(0, -1) }],
    ['the right one plus a suffix', { secret: `${LEGACY_SECRET}x` }],
    ['the right one with surrounding spaces', { secret: ` ${LEGACY_SECRET} ` }],
    ['the emulator’s REST secret', { secret: SECRET }],
  ];

  it.each(wrong)('%s → RequestNotAuthorised before any upstream call (GET and POST)', async (_, secret) => {
    for (const method of ['GET', 'POST']) {
      expectWire(
        await t.send({ type: 'delete', username: 'jane', ...secret }, { method }),
        error('RequestNotAuthorised'),
      );
      expectWire(await t.send({ type: 'grouplist', ...secret }, { method }), error('RequestNotAuthorised'));
    }
    await expectNoCalls(t);
    expect(
      t.outcomes.every((o) => o.reply === 'RequestNotAuthorised' && o.type === null && o.error === undefined),
    ).toBe(true);
    expect((await t.state()).users.some((u) => u.username === 'jane')).toBe(true);
  });

  it('the right secret works in the query string and in a POST form body', async () => {
    expectWire(await t.send(grouplist), SEED_GROUPS);
    expectWire(await t.send(grouplist, { method: 'POST' }), SEED_GROUPS);
    expect((await t.upstreamCalls()).routes).toEqual({ 'GET /groups': 2 });
  });

  it('is refused before a value XML cannot carry is looked at, and checked after the form size', async () => {
    expectWire(
      await t.send({ type: 'add', username: 'bad\u0001', password: 'pw', secret: 'wrong' }),
      error('RequestNotAuthorised'),
    );
    expectWire(
      await t.send({ type: 'add', username: 'bad\u0001', password: 'pw', secret: LEGACY_SECRET }),
      error('IllegalArgumentException'),
    );
    const huge = `secret=wrong&type=grouplist&pad=${'x'.repeat(MAX_FORM_BYTES)}`;
    expectWire(await t.send(huge, { method: 'POST' }), error('IllegalArgumentException'));
    await expectNoCalls(t);
  });

  it('never appears in a reply, an outcome or an outcome’s error, nor does the password or a guessed secret', async () => {
    const emulator = await t.ready;
    const password = 'pw-Very-Private-4711';
    const guess = 'guessed-secret-0815';
    const bodies: string[] = [];
    const send = async (params: Record<string, string>, options?: SendOptions) =>
      bodies.push((await t.send(params, options)).text);
    const withSecret = (params: Record<string, string>) => ({ secret: LEGACY_SECRET, ...params });

    await send({ type: 'grouplist', secret: guess });
    await send({ type: 'add', username: 'newbie', password, secret: `${LEGACY_SECRET}!` });
    await send(withSecret({ type: 'add', username: 'newbie', password, groups: 'fresh' }), { method: 'POST' });
    await send(withSecret({ type: 'add', username: 'newbie', password }));
    await send(withSecret({ type: 'update', username: 'newbie', password: `${password}2` }));
    await send(withSecret({ type: 'add', username: '', password }));
    await send(withSecret({ type: 'usergrouplist', username: 'newbie' }));
    // Upstream failures are the outcomes that carry an `error`: a 500, a 503, and adds whose undo fails as well
    // (the last write failing and every undo failing, whichever order `add` takes its steps in).
    emulator.faults.add({ route: 'POST /users', status: 500 });
    await send(withSecret({ type: 'add', username: 'other', password }));
    emulator.faults.clear();
    emulator.faults.add({ route: 'PUT /users/{username}', status: 503 });
    await send(withSecret({ type: 'update', username: 'newbie', password }));
    const undoFails = () => {
      emulator.faults.clear();
      for (const route of [
        'DELETE /users/{username}',
        'DELETE /groups/{groupName}',
        'DELETE /users/{username}/groups',
      ] as const)
        emulator.faults.add({ route, status: 500 });
    };
    undoFails();
    emulator.faults.add({ route: 'POST /groups', status: 500 });
    await send(withSecret({ type: 'add', username: 'third', password, groups: 'staff,brand-new' }));
    undoFails();
    emulator.faults.add({ route: 'POST /users', status: 500 });
    await send(withSecret({ type: 'add', username: 'fourth', password, groups: 'staff,brand-new' }));
    emulator.faults.clear();

    expect(bodies).toEqual([
      error('RequestNotAuthorised'),
      error('RequestNotAuthorised'),
      OK,
      error('UserAlreadyExistsException'),
      OK,
      error('IllegalArgumentException'),
      '<result><groupname>fresh</groupname></result>\n',
      error('ServiceError'),
      error('ServiceUnavailable'),
      error('ServiceError'),
      error('ServiceError'),
    ]);
    expect(t.outcomes.map((o) => o.rollback)).toContain('incomplete');
    expect(t.outcomes.filter((o) => o.error !== undefined).length).toBeGreaterThanOrEqual(4);
    const reported = [JSON.stringify(t.outcomes), ...t.outcomes.flatMap((o) => strings(o.error))].join('\n');
    for (const text of [...bodies, reported]) {
      for (const secret of [LEGACY_SECRET, SECRET, password, guess]) expect(text).not.toContain(secret);
    }
  });
});

describe('throttling wrong secrets', () => {
  const WINDOW = 60_000;
  let clock = 1_000_000;
  const t = useLegacy({ legacy: { maxFailures: 3, failureWindowMs: WINDOW, now: () => clock } });
  // Each test starts long after the previous one's failures have left the window.
  beforeEach(() => {
    clock += 10 * WINDOW;
  });

  const fail = (peer: string) => t.send({ type: 'grouplist', secret: 'guess' }, { peer });
  const attempt = (peer: string) => t.send(grouplist, { peer });

  it('refuses even the right secret from an address with maxFailures recent failures; other addresses are served', async () => {
    for (let i = 0; i < 3; i++) expectWire(await fail('203.0.113.7'), error('RequestNotAuthorised'));
    expectWire(await attempt('203.0.113.7'), error('RequestNotAuthorised'));
    expectWire(await attempt('203.0.113.7'), error('RequestNotAuthorised'));
    await expectNoCalls(t);
    expectWire(await attempt('203.0.113.8'), SEED_GROUPS);
    expectWire(await attempt('2001:db8::7'), SEED_GROUPS);
  });

  it('serves the address again once its failures have left the window', async () => {
    for (let i = 0; i < 3; i++) await fail('203.0.113.9');
    clock += WINDOW - 1;
    expectWire(await attempt('203.0.113.9'), error('RequestNotAuthorised'));
    clock += 1;
    expectWire(await attempt('203.0.113.9'), SEED_GROUPS);
  });

  it('counts failures inside a sliding window: the oldest one leaving frees a single further try', async () => {
    await fail('203.0.113.10');
    clock += 30_000;
    await fail('203.0.113.10');
    await fail('203.0.113.10');
    clock += 30_000 - 1;
    expectWire(await attempt('203.0.113.10'), error('RequestNotAuthorised'));
    clock += 1; // the first failure has left; two remain, so one more guess is taken…
    expectWire(await fail('203.0.113.10'), error('RequestNotAuthorised'));
    // …and makes three again: the later failures were not forgotten with the first.
    expectWire(await attempt('203.0.113.10'), error('RequestNotAuthorised'));
  });

  it('keeps counting failures of an address when a client behind it sends the right secret (a shared NAT)', async () => {
    await fail('203.0.113.11');
    await fail('203.0.113.11');
    // Another client behind the same address succeeds: the guesses already counted stay counted.
    expectWire(await attempt('203.0.113.11'), SEED_GROUPS);
    await fail('203.0.113.11');
    expectWire(await attempt('203.0.113.11'), error('RequestNotAuthorised'));
    // They age out as usual.
    clock += WINDOW;
    expectWire(await attempt('203.0.113.11'), SEED_GROUPS);
  });

  it('counts an address however it is spelt: with a port, in brackets, IPv4-mapped', async () => {
    await fail('203.0.113.12');
    await fail('::ffff:203.0.113.12');
    await fail('203.0.113.12');
    expectWire(await attempt('203.0.113.12'), error('RequestNotAuthorised'));
    await expectNoCalls(t);
  });

  it('counts an IPv6 client by its /64: rotating addresses within it does not escape the throttle', async () => {
    for (const peer of ['2001:db8:7:1::1', '2001:db8:7:1:ffff::2', '2001:DB8:7:1:0:0:0:3']) await fail(peer);
    expectWire(await attempt('2001:db8:7:1:abcd:ef01:2345:6789'), error('RequestNotAuthorised'));
    expectWire(await attempt('2001:db8:7:1::1'), error('RequestNotAuthorised'));
    await expectNoCalls(t);
    // The next /64 is another client.
    expectWire(await attempt('2001:db8:7:2::1'), SEED_GROUPS);
  });

  it('counts an IPv4-mapped IPv6 peer as its IPv4 address', async () => {
    await fail('::ffff:203.0.113.13');
    await fail('203.0.113.13');
    await fail('::FFFF:203.0.113.13');
    expectWire(await attempt('203.0.113.13'), error('RequestNotAuthorised'));
    expectWire(await attempt('::ffff:203.0.113.14'), SEED_GROUPS);
  });

  it('a throttled address learns nothing: right and wrong secrets get the same reply', async () => {
    for (let i = 0; i < 3; i++) await fail('203.0.113.12');
    const right = await attempt('203.0.113.12');
    const wrong = await fail('203.0.113.12');
    expect(right).toEqual(wrong);
  });
});

describe('the allowlist', () => {
  let throttleClockReads = 0;
  const t = useLegacy({
    legacy: {
      allowedIps: ['10.0.0.0/8', '::1', '192.168.1.5'],
      maxFailures: 2,
      // The throttle is the only reader of this clock: reads show whether a request was counted.
      now: () => {
        throttleClockReads++;
        return 0;
      },
    },
  });
  beforeEach(() => {
    throttleClockReads = 0;
  });

  it.each([
    '10.0.0.1',
    '10.1.2.3',
    '10.255.255.255',
    '::1',
    '0:0:0:0:0:0:0:1',
    '192.168.1.5',
    '::ffff:10.1.2.3',
    '::ffff:192.168.1.5',
  ])('serves %s', async (peer) => {
    expectWire(await t.send(grouplist, { peer }), SEED_GROUPS);
  });

  it.each(['9.255.255.255', '11.0.0.0', '127.0.0.1', '192.168.1.6', '::2', '::ffff:11.0.0.1', '2001:db8::1', ''])(
    'refuses %s before the secret is checked: no upstream call, nothing counted',
    async (peer) => {
      expectWire(await t.send(grouplist, { peer }), error('RequestNotAuthorised'));
      for (let i = 0; i < 5; i++)
        expectWire(await t.send({ type: 'grouplist', secret: 'guess' }, { peer }), error('RequestNotAuthorised'));
      await expectNoCalls(t);
      expect(throttleClockReads).toBe(0);
    },
  );

  it('counts wrong secrets from an allowed address (so the clock probe above can see counting)', async () => {
    await t.send({ type: 'grouplist', secret: 'guess' }, { peer: '10.7.7.7' });
    expect(throttleClockReads).toBeGreaterThan(0);
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const forwarded = (xff: string, peer: string) => t.send(grouplist, { peer, headers: { 'x-forwarded-for': xff } });
    expectWire(await forwarded('10.1.2.3', '127.0.0.1'), error('RequestNotAuthorised'));
    expectWire(await forwarded('::1', '203.0.113.1'), error('RequestNotAuthorised'));
    expectWire(await forwarded('203.0.113.1', '10.1.2.3'), SEED_GROUPS);
    expect((await t.upstreamCalls()).total).toBe(1);
  });
});

describe('X-Forwarded-For from a trusted proxy', () => {
  let clock = 0;
  const t = useLegacy({
    trustProxy: ['127.0.0.1', '172.16.0.0/12'],
    legacy: {
      allowedIps: ['10.0.0.0/8', '::1', '192.168.1.5'],
      maxFailures: 2,
      now: () => clock,
    },
  });
  beforeEach(() => {
    clock += 3_600_000;
  });

  const via = (xff: string | null, peer = '127.0.0.1', secret = LEGACY_SECRET) =>
    t.send({ type: 'grouplist', secret }, { peer, ...(xff !== null && { headers: { 'x-forwarded-for': xff } }) });

  it('takes the right-most hop not appended by a trusted proxy as the client', async () => {
    expectWire(await via('10.1.2.3'), SEED_GROUPS);
    expectWire(await via('203.0.113.5, 10.1.2.3'), SEED_GROUPS);
    expectWire(await via('203.0.113.5, 10.1.2.3, 172.16.0.9'), SEED_GROUPS);
    expectWire(await via('10.1.2.3,172.31.255.1,172.16.0.9', '172.20.0.1'), SEED_GROUPS);
    expectWire(await via('[::1]'), SEED_GROUPS);
    expectWire(await via('10.1.2.3', '::ffff:127.0.0.1'), SEED_GROUPS);
  });

  it('ignores spoofed left-most entries', async () => {
    expectWire(await via('10.9.9.9, 203.0.113.5'), error('RequestNotAuthorised'));
    expectWire(await via('10.9.9.9, 192.168.1.5, 203.0.113.5, 172.16.0.9'), error('RequestNotAuthorised'));
    expectWire(await via('::1, 8.8.8.8'), error('RequestNotAuthorised'));
    await expectNoCalls(t);
  });

  it('uses the proxy itself when it forwards no header', async () => {
    expectWire(await via(null), error('RequestNotAuthorised'));
    expectWire(await via(null, '10.1.2.3'), SEED_GROUPS);
  });

  it('ignores the header from an untrusted peer', async () => {
    expectWire(await via('10.1.2.3', '203.0.113.5'), error('RequestNotAuthorised'));
    expectWire(await via('203.0.113.5', '10.1.2.3'), SEED_GROUPS);
    // 10.1.2.3 is allowed but not a proxy: the hop it claims is not believed.
    expectWire(await via('127.0.0.1, 203.0.113.5', '10.1.2.3'), SEED_GROUPS);
  });

  it('throttles each forwarded client on its own, and a spoofed prefix does not escape it', async () => {
    await via('10.0.0.1', '127.0.0.1', 'guess');
    await via('10.0.0.1', '127.0.0.1', 'guess');
    expectWire(await via('10.0.0.1'), error('RequestNotAuthorised'));
    expectWire(await via('10.0.0.99, 10.0.0.1'), error('RequestNotAuthorised'));
    expectWire(await via('10.0.0.1', '172.16.0.1'), error('RequestNotAuthorised'));
    expectWire(await via('10.0.0.2'), SEED_GROUPS);
    // The proxy's own address is not what was counted.
    expectWire(await via(null, '10.0.0.3'), SEED_GROUPS);
  });

  it('keys a forwarded client however the proxy spells it: a port, brackets, IPv4-mapped', async () => {
    await via('10.0.0.5:1234', '127.0.0.1', 'guess');
    await via('[::ffff:10.0.0.5]:443', '127.0.0.1', 'guess');
    expectWire(await via('10.0.0.5'), error('RequestNotAuthorised'));
    expectWire(await via('10.0.0.5:5678'), error('RequestNotAuthorised'));
    expectWire(await via('10.0.0.6:1234'), SEED_GROUPS);
  });
});

describe('paths and methods', () => {
  const t = useLegacy();

  it.each(PATHS)('%s answers GET and POST', async (path) => {
    expectWire(await t.send(grouplist, { path }), SEED_GROUPS);
    expectWire(await t.send(grouplist, { path, method: 'POST' }), SEED_GROUPS);
  });

  it.each([
    '/userService',
    '/userservice/',
    '/Userservice',
    '/userservice.jsp',
    '/plugins/userservice/userservice',
    '/plugins/userService/userservice/',
    '/plugins/restapi/v1/userservice/',
    '/plugins/restapi/v2/userservice',
    '/plugins/restapi/v1/userService',
    '/plugins/restapi/v1/userservice/extra',
    '/x/userservice',
  ])('%s is not an endpoint: 404, no upstream call', async (path) => {
    for (const method of ['GET', 'POST']) {
      const reply = await t.send({ type: 'delete', username: 'jane', secret: LEGACY_SECRET }, { path, method });
      expect(reply.status).toBe(404);
      expect(reply.text).not.toContain('<');
    }
    await expectNoCalls(t);
    expect(t.outcomes).toEqual([]);
  });

  describe('other methods', () => {
    // A bare app whose upstream client records calls, to see headers (the helper reports only the content type).
    const calls: string[] = [];
    const outcomes: LegacyOutcome[] = [];
    const client = { call: async (route: string) => void calls.push(route) } as unknown as UpstreamClient;
    const app = createApp({
      client,
      auth: { kind: 'passthrough' },
      upstreamUrl: 'http://openfire.invalid',
      listThreshold: 20,
      concurrency: 4,
      domain: 'example.org',
      legacy: { secret: LEGACY_SECRET, onOutcome: (o) => outcomes.push(o) },
    });
    beforeEach(() => {
      calls.length = 0;
      outcomes.length = 0;
    });

    it.each(PATHS.flatMap((path) => ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map((method) => [method, path])))(
      '%s %s → 405 with Allow: GET, POST and no upstream call',
      async (method, path) => {
        const query = new URLSearchParams({ type: 'delete', username: 'jane', secret: LEGACY_SECRET });
        const hasBody = method !== 'HEAD' && method !== 'OPTIONS';
        const res = await app.fetch(
          `http://gateway${path}?${query}`,
          {
            method,
            ...(hasBody && {
              body: query.toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            }),
          },
          { req: { socket: { remoteAddress: '127.0.0.1' } } },
        );
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, POST');
        expect(await res.text()).toBe('');
        expect(calls).toEqual([]);
        expect(outcomes).toEqual([]);
      },
    );

    it('the same request as GET does reach Openfire (so the 405 test can fail)', async () => {
      const query = new URLSearchParams({ type: 'delete', username: 'jane', secret: LEGACY_SECRET });
      const res = await app.fetch(
        `http://gateway/userservice?${query}`,
        {},
        { req: { socket: { remoteAddress: '127.0.0.1' } } },
      );
      expect(await res.text()).toBe(OK);
      expect(calls).toEqual(['DELETE /users/{username}']);
    });
  });

  it('HEAD never runs a state-changing type', async () => {
    const reply = await t.send({ type: 'delete', username: 'jane', secret: LEGACY_SECRET }, { method: 'HEAD' });
    expect(reply.status).toBe(405);
    await expectNoCalls(t);
    expect((await t.state()).users.some((u) => u.username === 'jane')).toBe(true);
  });
});

describe('parameters', () => {
  const t = useLegacy({ legacy: { maxFailures: 1_000_000 } });
  const s = encodeURIComponent(LEGACY_SECRET);
  const nameOf = async (username: string) => (await t.state()).users.find((u) => u.username === username)?.name;

  it('decodes + and %20 as spaces and percent-escapes as UTF-8', async () => {
    expectWire(await t.send(`type=update&secret=${s}&username=john&name=John+Q%20Public`), OK);
    expect(await nameOf('john')).toBe('John Q Public');
    expectWire(await t.send(`type=update&secret=${s}&username=john&name=J%C3%BCrgen+%E2%9C%93+%F0%9F%98%80`), OK);
    expect(await nameOf('john')).toBe('Jürgen ✓ 😀');
    expectWire(await t.send(`type=update&secret=${s}&username=john&name=100%25+%zz+%FF`, { method: 'POST' }), OK);
    expect(await nameOf('john')).toBe('100% %zz \ufffd');
  });

  it('a + in a username is a space, escaped by the username normalisation', async () => {
    expectWire(await t.send(`type=add&secret=${s}&username=Jo+Doe&password=pw`), OK);
    expect((await t.state()).users.map((u) => u.username)).toContain('jo\\20doe');
  });

  it('accepts unencoded @ and , as old clients send them', async () => {
    expectWire(await t.send(`type=add_roster&secret=${s}&username=john&item_jid=zed@example.org&groups=a,b`), OK);
    const roster = (await t.state()).rosters.john ?? [];
    expect(roster.find((item) => item.jid === 'zed@example.org')).toMatchObject({ groups: ['a', 'b'] });
    expectWire(await t.send(`type=update&secret=${s}&username=jane&email=jane@example.net`, { method: 'POST' }), OK);
    expect((await t.state()).users.find((u) => u.username === 'jane')?.email).toBe('jane@example.net');
  });

  it('takes the first value of a repeated name', async () => {
    expectWire(await t.send(`type=grouplist&type=add&secret=${s}&username=newbie&password=pw`), SEED_GROUPS);
    expect((await t.upstreamCalls()).routes).toEqual({ 'GET /groups': 1 });
    expectWire(await t.send(`type=grouplist&secret=wrong&secret=${s}`), error('RequestNotAuthorised'));
    expectWire(await t.send(`type=grouplist&secret=${s}&secret=wrong`), SEED_GROUPS);
  });

  it('prefers the query string over the POST body for the same name', async () => {
    const body = new URLSearchParams({ type: 'delete', username: 'jane', secret: LEGACY_SECRET }).toString();
    expectWire(await t.send(body, { method: 'POST', path: '/userservice?type=grouplist' }), SEED_GROUPS);
    expectWire(
      await t.send(body, { method: 'POST', path: '/userservice?secret=wrong' }),
      error('RequestNotAuthorised'),
    );
    expect((await t.upstreamCalls()).routes).toEqual({ 'GET /groups': 1 });
    // Names only in the body still count.
    expectWire(await t.send(`type=delete&username=jane`, { method: 'POST', path: `/userservice?secret=${s}` }), OK);
  });

  it.each([
    'text/plain',
    'application/json',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencodedx',
    '',
  ])('ignores a POST body sent as %j', async (contentType) => {
    const reply = await t.send(grouplist, { method: 'POST', headers: { 'content-type': contentType } });
    expectWire(reply, error('RequestNotAuthorised'));
    await expectNoCalls(t);
  });

  it.each([
    'application/x-www-form-urlencoded; charset=UTF-8',
    'APPLICATION/X-WWW-FORM-URLENCODED',
    'application/x-www-form-urlencoded ;charset=utf-8',
  ])('reads a POST body sent as %j', async (contentType) => {
    expectWire(await t.send(grouplist, { method: 'POST', headers: { 'content-type': contentType } }), SEED_GROUPS);
  });

  it('reads a form body of exactly 64 KiB and refuses one byte more with IllegalArgumentException', async () => {
    const prefix = `type=grouplist&secret=${s}&pad=`;
    const exact = prefix + 'x'.repeat(MAX_FORM_BYTES - prefix.length);
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    expectWire(await t.send(exact, { method: 'POST' }), SEED_GROUPS);
    await t.reset();
    expectWire(await t.send(`${exact}x`, { method: 'POST' }), error('IllegalArgumentException'));
    // A declared length over the limit is refused without reading the body.
    expectWire(
      await t.send(grouplist, { method: 'POST', headers: { 'content-length': String(MAX_FORM_BYTES + 1) } }),
      error('IllegalArgumentException'),
    );
    // Multi-byte characters count as bytes.
    expectWire(
      await t.send(prefix + 'é'.repeat(MAX_FORM_BYTES / 2), { method: 'POST' }),
      error('IllegalArgumentException'),
    );
    await expectNoCalls(t);
  });

  it('counts the bytes of a form body streamed without content-length, and stops reading past 64 KiB', async () => {
    /** A form POST whose body arrives in 1 KiB chunks, pulled one at a time; `cancelled` says whether reading stopped. */
    function streamed(form: string) {
      const bytes = new TextEncoder().encode(form);
      const source = { cancelled: false, offset: 0 };
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (source.offset >= bytes.length) return controller.close();
          controller.enqueue(bytes.subarray(source.offset, source.offset + 1024));
          source.offset += 1024;
        },
        cancel() {
          source.cancelled = true;
        },
      });
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        duplex: 'half',
      };
      const request = new Request('http://gateway/userservice', init);
      expect(request.headers.get('content-length')).toBeNull();
      return { request, source };
    }
    const prefix = 'type=grouplist&pad=';
    const exact = streamed(prefix + 'x'.repeat(MAX_FORM_BYTES - prefix.length));
    expect((await readParameters(exact.request))?.get('pad')).toHaveLength(MAX_FORM_BYTES - prefix.length);
    expect(exact.source.cancelled).toBe(false);
    const over = streamed(prefix + 'x'.repeat(4 * MAX_FORM_BYTES));
    expect(await readParameters(over.request)).toBeNull();
    // Refused once past the limit, not after reading all 256 KiB; the rest is cancelled.
    expect(over.source.cancelled).toBe(true);
    expect(over.source.offset).toBeLessThan(2 * MAX_FORM_BYTES);
  });

  it.each(['..', '.', 'fine,..'])(
    'refuses the group names . and .. in %j, which no REST path can address',
    async (groups) => {
      expectWire(
        await t.send({ type: 'add', secret: LEGACY_SECRET, username: 'dotty', password: 'pw', groups }),
        error('IllegalArgumentException'),
      );
      expectWire(
        await t.send({ type: 'update', secret: LEGACY_SECRET, username: 'john', groups }),
        error('IllegalArgumentException'),
      );
      await expectNoCalls(t);
    },
  );

  it('does not limit the query string of a POST the same way (only the body is read)', async () => {
    expectWire(
      await t.send('', { method: 'POST', path: `/userservice?type=grouplist&secret=${s}&pad=${'x'.repeat(8 * 1024)}` }),
      SEED_GROUPS,
    );
  });
});

describe('the type parameter', () => {
  const t = useLegacy({ legacy: { maxFailures: 1_000_000 } });

  it.each<[string, Record<string, string>]>([
    ['missing, with a username', { username: 'john' }],
    ['missing, without a username', {}],
    ['empty', { type: '', username: 'john' }],
    ['unknown', { type: 'purge', username: 'john' }],
    ['in upper case', { type: 'ADD', username: 'newbie', password: 'pw' }],
    ['capitalised', { type: 'Grouplist' }],
    ['with a trailing space', { type: 'delete ', username: 'jane' }],
    ['a prototype name', { type: '__proto__', username: 'john' }],
    ['constructor', { type: 'constructor', username: 'john' }],
    ['add without a username', { type: 'add', password: 'pw' }],
    ['a roster type without item_jid', { type: 'add_roster', username: 'john' }],
    [
      'a roster type with subscription 4',
      { type: 'delete_roster', username: 'john', item_jid: 'jane@example.org', subscription: '4' },
    ],
  ])('%s → IllegalArgumentException, never 5xx or empty, no upstream call', async (_, params) => {
    for (const method of ['GET', 'POST'])
      expectWire(await t.send({ ...params, secret: LEGACY_SECRET }, { method }), error('IllegalArgumentException'));
    await expectNoCalls(t);
  });
});

describe('the reply on the wire', () => {
  const t = useLegacy({ legacy: { maxFailures: 1_000_000 } });
  const withSecret = (params: Record<string, string>) => ({ secret: LEGACY_SECRET, ...params });

  function expectOneLine(reply: LegacyReply): void {
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe(TYPE);
    expect(reply.text.startsWith('<?xml')).toBe(false);
    expect(reply.text).toMatch(/^<(result|error)>/);
    expect(reply.text.endsWith('\n')).toBe(true);
    expect(reply.text.indexOf('\n')).toBe(reply.text.length - 1);
    expect(reply.text).not.toContain('\r');
    expect(XMLValidator.validate(reply.text)).toBe(true);
  }

  it('is one 200 text/xml line without prolog for every kind of reply', async () => {
    const emulator = await t.ready;
    const replies: LegacyReply[] = [];
    const send = async (params: Record<string, string>) => replies.push(await t.send(params));
    await send(withSecret({ type: 'update', username: 'john', name: 'John' }));
    await send(withSecret({ type: 'grouplist' }));
    await send(withSecret({ type: 'add', username: 'loner', password: 'pw' }));
    await send(withSecret({ type: 'usergrouplist', username: 'loner' }));
    await send({ type: 'grouplist', secret: 'wrong' });
    await send(withSecret({ type: 'nope' }));
    await send(withSecret({ type: 'add', username: 'john', password: 'pw' }));
    await send(withSecret({ type: 'delete', username: 'nobody' }));
    await send(withSecret({ type: 'add_roster', username: 'john', item_jid: 'x@example.org', groups: 'Team' }));
    emulator.faults.add({ route: 'POST /lockouts/{username}', status: 503 });
    await send(withSecret({ type: 'disable', username: 'john' }));
    emulator.faults.add({ route: 'GET /groups', status: 500 });
    await send(withSecret({ type: 'grouplist' }));
    expect(replies.map((r) => r.text)).toEqual([
      OK,
      SEED_GROUPS,
      OK,
      '<result></result>\n',
      error('RequestNotAuthorised'),
      error('IllegalArgumentException'),
      error('UserAlreadyExistsException'),
      error('UserNotFoundException'),
      error('SharedGroupException'),
      error('ServiceUnavailable'),
      error('ServiceError'),
    ]);
    for (const reply of replies) expectOneLine(reply);
    expect(new Set(t.outcomes.map((o) => o.reply))).toEqual(
      new Set(['ok', 'list', ...LEGACY_ERRORS.filter((n) => n !== 'UserServiceDisabled')]),
    );
  });

  it('escapes what well-formedness needs in group names (&, <, ]]>) and nothing more', async () => {
    expectWire(
      await t.send(withSecret({ type: 'add', username: 'amp', password: 'pw', groups: `R&D,<b>,"q",it's,x]]>y` })),
      OK,
    );
    const reply = await t.send(withSecret({ type: 'usergrouplist', username: 'amp' }));
    expectOneLine(reply);
    expect(reply.text).toBe(
      `<result><groupname>"q"</groupname><groupname>&lt;b></groupname><groupname>R&amp;D</groupname><groupname>it's</groupname><groupname>x]]&gt;y</groupname></result>\n`,
    );
  });

  it('keeps a list reply on one line when a group name holds a line break, as character references', async () => {
    expectWire(
      await t.send(
        withSecret({ type: 'add', username: 'lines', password: 'pw', groups: 'two\nlines,carriage\rreturn' }),
      ),
      OK,
    );
    const lines = await t.send(withSecret({ type: 'usergrouplist', username: 'lines' }));
    expectOneLine(lines);
    expect(lines.text).toBe(
      '<result><groupname>carriage&#13;return</groupname><groupname>two&#10;lines</groupname></result>\n',
    );
    expectOneLine(await t.send(withSecret({ type: 'grouplist' })));
  });
});
