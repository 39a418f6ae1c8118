import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { LEGACY_PATHS } from '../../src/http/routes.js';
import { LEGACY_ERRORS } from '../../src/legacy/errors.js';
import { defined } from '../helpers/defined.js';
import { LEGACY_SECRET, type LegacyReply, type TestLegacy, useLegacy } from '../helpers/legacy.js';

/**
 * Whatever an old client or a scanner sends, the endpoint answers HTTP 200 with exactly one well-formed XML element
 * and a `\n`: `<result>…</result>` or `<error>NAME</error>` with a name from LEGACY_ERRORS, never the secret.
 */

const KNOWN = ['type', 'secret', 'username', 'password', 'name', 'email', 'groups', 'item_jid', 'subscription'];
const TYPES = [
  'add',
  'delete',
  'update',
  'enable',
  'disable',
  'add_roster',
  'update_roster',
  'delete_roster',
  'grouplist',
  'usergrouplist',
];
const NASTY = [
  '%',
  '+',
  '&',
  '=',
  '<',
  '>',
  '#',
  ';',
  '@',
  ',',
  ' ',
  '\n',
  '\r',
  '\t',
  '\0',
  '\u0001',
  '\u001f',
  'é',
  '😀',
  '\ud800',
  '\ufffe',
  '2',
  'F',
  'a',
  'Z',
  '/',
  '\\',
];

const nasty = fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 12 });
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  nasty,
  fc.constantFrom(
    ...TYPES,
    'ADD',
    '',
    'john',
    'jane',
    'carol',
    'nobody',
    ' John ',
    'john@example.org',
    'jane@example.org',
    '-1',
    '0',
    '3',
    '4',
    'staff',
    'ops',
    'Team',
    'a,b',
    ',,',
    ' ',
  ),
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 6 }), nasty) },
);
/** Values by parameter: a known type most of the time, so that requests get past the type check. */
const valueFor = (param: string) =>
  param === 'type'
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: value })
    : value;
const pair = name.chain((n) => valueFor(n).map((v): [string, string] => [n, v]));

/** Requests an old client would plausibly send (a type, a user, the fields it needs), with random bits and junk. */
const maybe = (arbitrary: fc.Arbitrary<string>) =>
  fc.option(fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: value }), { nil: undefined });
const plausible = fc
  .record({
    type: valueFor('type'),
    username: maybe(fc.constantFrom('john', 'jane', 'carol', 'admin', 'newbie', 'New User', 'nobody', 'Jöhn')),
    password: maybe(fc.constantFrom('pw', 's3cr3t!', '')),
    name: maybe(fc.constantFrom('John', 'New Name', '')),
    email: maybe(fc.constantFrom('x@example.com', '')),
    groups: maybe(fc.constantFrom('staff', 'ops,fresh', 'Team', '', 'a,,b', 'fresh')),
    item_jid: maybe(
      fc.constantFrom('jane@example.org', 'john@example.org', 'zed@example.org', 'carol@example.org/phone'),
    ),
    subscription: maybe(fc.constantFrom('-1', '0', '1', '2', '3')),
    junk: fc.array(pair, { maxLength: 2 }),
  })
  .chain(({ junk, ...fields }) => {
    const list = [
      ...Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ...junk,
    ];
    return fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length });
  });

type Secret = 'right' | 'wrong' | 'absent';

/** Parameters, with the secret placed first, last or in between (`right` only when asked for). */
const pairs = (secret: fc.Arbitrary<Secret>) =>
  fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: fc.array(pair, { maxLength: 8 }) }),
      secret,
      fc.nat(),
      fc.oneof(fc.constant(LEGACY_SECRET.slice(0, -1)), fc.string({ maxLength: 20 })),
    )
    .map(([list, kind, at, guess]) => {
      const out = kind === 'right' ? list.filter(([n]) => n !== 'secret') : [...list];
      if (kind !== 'absent') out.splice(at % (out.length + 1), 0, ['secret', kind === 'right' ? LEGACY_SECRET : guess]);
      return out;
    });

const raw = (list: Array<[string, string]>) => list.map(([n, v]) => `${n}=${v}`).join('&');
const encoded = (list: Array<[string, string]>) => new URLSearchParams(list).toString();
/** Percent-encodes `&`, `=`, `%`, `+` and `#` only, leaving the rest raw as careless clients do. */
const sloppy = (list: Array<[string, string]>) =>
  list.map(([n, v]) => `${n}=${v.replace(/[&=%+#]/g, (c) => encodeURIComponent(c))}`).join('&');

const request = (secret: fc.Arbitrary<Secret>) =>
  fc.record({
    path: fc.constantFrom(...LEGACY_PATHS),
    method: fc.constantFrom('GET', 'POST'),
    peer: fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', '::ffff:192.0.2.1', '2001:db8::5'),
    params: fc.oneof(
      { weight: 3, arbitrary: pairs(secret).map(encoded) },
      { weight: 2, arbitrary: pairs(secret).map(sloppy) },
      { weight: 2, arbitrary: pairs(secret).map(raw) },
      {
        weight: 1,
        arbitrary: fc.string({ unit: fc.constantFrom(...NASTY, 'type=', 'secret=', 'grouplist'), maxLength: 40 }),
      },
    ),
  });

const BODY = /^(?:<result>[\s\S]*<\/result>|<error>([A-Za-z]+)<\/error>)\n$/;
const parser = new XMLParser({ parseTagValue: false });

function expectWellFormed(reply: LegacyReply): void {
  expect(reply.status).toBe(200);
  expect(reply.contentType).toBe('text/xml; charset=utf-8');
  const match = BODY.exec(reply.text);
  expect(match, reply.text).not.toBeNull();
  if (match?.[1] !== undefined) expect(LEGACY_ERRORS).toContain(match[1]);
  expect(XMLValidator.validate(reply.text)).toBe(true);
  expect(Object.keys(parser.parse(reply.text))).toHaveLength(1);
  expect(reply.text).not.toContain(LEGACY_SECRET);
}

/** The outcome reported for the request just answered agrees with the body. */
function expectOutcome(t: TestLegacy, count: number, reply: LegacyReply): void {
  expect(t.outcomes).toHaveLength(count);
  const outcome = defined(t.outcomes[count - 1], `outcome #${count}`);
  const body =
    outcome.reply === 'ok'
      ? '<result>ok</result>\n'
      : outcome.reply === 'list'
        ? /^<result>/
        : `<error>${outcome.reply}</error>\n`;
  if (typeof body === 'string') expect(reply.text).toBe(body);
  else expect(reply.text).toMatch(body);
  expect(JSON.stringify(outcome)).not.toContain(LEGACY_SECRET);
}

describe('random requests', () => {
  // The throttle is tested elsewhere; here thousands of wrong secrets must not shut out the right one.
  const t = useLegacy({ legacy: { maxFailures: Number.MAX_SAFE_INTEGER } });

  it('without the right secret: always <error>RequestNotAuthorised</error>, never an upstream call', async () => {
    await fc.assert(
      fc.asyncProperty(request(fc.constantFrom<Secret>('wrong', 'absent')), async ({ path, method, peer, params }) => {
        fc.pre(!decodedValues(params).includes(LEGACY_SECRET));
        const before = t.outcomes.length;
        const reply = await t.send(params, { path, method, peer });
        expectWellFormed(reply);
        expect(reply.text).toBe('<error>RequestNotAuthorised</error>\n');
        expectOutcome(t, before + 1, reply);
      }),
      { numRuns: 1500 },
    );
    expect((await t.upstreamCalls()).total).toBe(0);
  });

  it('with the right secret (usually): sequences reaching Openfire still answer one well-formed element', async () => {
    const secret = fc.oneof(
      { weight: 6, arbitrary: fc.constant<Secret>('right') },
      { weight: 1, arbitrary: fc.constantFrom<Secret>('wrong', 'absent') },
    );
    let reachedOpenfire = 0;
    const replies = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(request(secret), { minLength: 1, maxLength: 3 }), async (requests) => {
        await t.reset();
        for (const [i, { path, method, peer, params }] of requests.entries()) {
          const reply = await t.send(params, { path, method, peer });
          expectWellFormed(reply);
          expectOutcome(t, i + 1, reply);
          const outcome = defined(t.outcomes[i], `outcome #${i + 1}`);
          replies.set(outcome.reply, (replies.get(outcome.reply) ?? 0) + 1);
          // A healthy Openfire: nothing is left half done, and no answer is one the gateway cannot use.
          expect(outcome.rollback).not.toBe('incomplete');
          expect(['ServiceError', 'ServiceUnavailable'], `${params} → ${reply.text}`).not.toContain(outcome.reply);
        }
        reachedOpenfire += (await t.upstreamCalls()).total > 0 ? 1 : 0;
      }),
      { numRuns: 1000 },
    );
    // The generator must really exercise the operations, not only the refusals.
    expect(reachedOpenfire).toBeGreaterThan(100);
    expect(replies.get('ok') ?? 0).toBeGreaterThan(20);
    expect(replies.get('list') ?? 0).toBeGreaterThan(20);
  });
});

/** Every name and value the endpoint could decode from the text, whichever way it is read. */
function decodedValues(text: string): string[] {
  const params = new URLSearchParams(text.replace(/[\t\n\r]/g, '').replace(/#.*$/s, ''));
  return [...params.keys(), ...params.values(), text];
}
