import fc from 'fast-check';
import { expect } from 'vitest';
import { decodeCanonical } from '../../src/upstream/codec/canonical.js';
import { type DecodableEntity, decodeTolerant } from '../../src/upstream/codec/decode.js';
import { FLAGS } from './contract/fixtures.js';

/**
 * Bodies of the entities with a fast path (src/upstream/codec/canonical.ts) as parsed trees: the current plugin's JSON
 * written straight from field kinds (openfire-rest-api.md §4.4, §9), and random departures from it (the variants of
 * openfire-rest-api.md §10 and worse), plus the check that both decoders agree on a tree.
 */

export const hotEntities = [
  'users',
  'user',
  'roster',
  'groups',
  'group',
  'chatRooms',
  'chatRoom',
  'participants',
  'occupants',
  'messages',
  'sessions',
] as const satisfies readonly DecodableEntity[];

export type HotEntity = (typeof hotEntities)[number];

export type Outcome = 'accepted' | 'declined';

/**
 * The fast path declines `tree`, or returns what the tolerant decoder returns, keys in the same order (the
 * `JSON.stringify` comparison), so both paths give objects of one shape.
 */
export function agreement(entity: DecodableEntity, tree: unknown): Outcome {
  let tolerant: { value: unknown } | { error: unknown };
  try {
    tolerant = { value: decodeTolerant(entity, tree) };
  } catch (error) {
    tolerant = { error };
  }
  const fast = decodeCanonical(entity, tree);
  if (fast === undefined) return 'declined';
  expect(tolerant).toStrictEqual({ value: fast });
  expect(JSON.stringify(fast)).toBe(JSON.stringify((tolerant as { value: unknown }).value));
  return 'accepted';
}

type Kind = 'required' | 'text' | 'int' | 'flag' | 'date' | 'stamp' | 'names' | 'properties';
type Item = Readonly<Record<string, Kind>>;

const user: Item = { username: 'required', name: 'text', email: 'text', properties: 'properties' };
const rosterItem: Item = { jid: 'required', nickname: 'text', subscriptionType: 'int', groups: 'names' };
const groupSummary: Item = { name: 'required', description: 'text', shared: 'flag' };
const group: Item = { name: 'required', description: 'text', admins: 'names', members: 'names', shared: 'flag' };
const lists = ['broadcastPresenceRoles', 'owners', 'admins', 'members', 'outcasts'];
const groupLists = ['ownerGroups', 'adminGroups', 'memberGroups', 'outcastGroups'];
const chatRoom: Item = {
  roomName: 'required',
  naturalName: 'text',
  description: 'text',
  password: 'text',
  subject: 'text',
  creationDate: 'date',
  modificationDate: 'date',
  maxUsers: 'int',
  ...Object.fromEntries(FLAGS.map((f) => [f, 'flag'])),
  ...Object.fromEntries([...lists, ...groupLists].map((l) => [l, 'names'])),
  allowPM: 'text',
};
const participant: Item = { jid: 'required', role: 'required', affiliation: 'required' };
const occupant: Item = { jid: 'required', userAddress: 'text', role: 'required', affiliation: 'required' };
const message: Item = {
  to: 'text',
  from: 'text',
  type: 'text',
  body: 'text',
  delay_stamp: 'stamp',
  delay_from: 'text',
};
const session: Item = {
  sessionId: 'required',
  username: 'required',
  resource: 'text',
  node: 'text',
  sessionStatus: 'text',
  presenceStatus: 'text',
  presenceMessage: 'text',
  priority: 'int',
  hostAddress: 'text',
  hostName: 'text',
  creationDate: 'date',
  lastActionDate: 'date',
  secure: 'flag',
};

/** Each entity's item and, for a collection, the JSON key of its list (openfire-rest-api.md §9). */
const shapes: Readonly<Record<HotEntity, { item: Item; key?: string; root: string }>> = {
  users: { item: user, key: 'users', root: 'users' },
  user: { item: user, root: 'user' },
  roster: { item: rosterItem, key: 'rosterItem', root: 'roster' },
  groups: { item: groupSummary, key: 'groups', root: 'groups' },
  group: { item: group, root: 'group' },
  chatRooms: { item: chatRoom, key: 'chatRooms', root: 'chatRooms' },
  chatRoom: { item: chatRoom, root: 'chatRoom' },
  participants: { item: participant, key: 'participants', root: 'participants' },
  occupants: { item: occupant, key: 'occupants', root: 'occupants' },
  messages: { item: message, key: 'message', root: 'messages' },
  sessions: { item: session, key: 'sessions', root: 'sessions' },
};

// Printable ASCII, any grapheme, lone surrogates, and strings the tolerant readers could take for something else.
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.constantFrom('', ' ', 'true', 'False', '42', ' 7 ', 'null', '2022-02-07T15:09:51.517Z'),
);
const epochMs = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });

const values: Readonly<Record<Kind, fc.Arbitrary<unknown>>> = {
  required: text,
  text,
  int: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  flag: fc.boolean(),
  date: epochMs,
  stamp: epochMs.map((ms) => new Date(ms).toISOString()),
  names: fc.array(text, { maxLength: 4 }),
  properties: fc.array(fc.record({ key: text, value: text }), { maxLength: 3 }),
};

/** An item as Jackson writes it: nulls left out, so any field but the required ones may be absent. */
const item = (fields: Item) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, values[kind]])), {
    requiredKeys: Object.keys(fields).filter((name) => fields[name] === 'required'),
  });

/** A body of `entity` in the current plugin's JSON shape, parsed. */
export function canonicalTree(entity: HotEntity): fc.Arbitrary<Record<string, unknown>> {
  const { item: fields, key } = shapes[entity];
  return key === undefined ? item(fields) : fc.record({ [key]: fc.array(item(fields), { maxLength: 4 }) });
}

/**
 * The older name of a key: 1.7.0's item names, Jettison's wrappers and root elements, `@` attributes
 * (openfire-rest-api.md §10).
 */
const older: Readonly<Record<string, string>> = {
  ...Object.fromEntries([...lists, ...groupLists, 'properties', 'groups'].map((l) => [l, l.slice(0, -1)])),
  properties: 'property',
  users: 'user',
  rosterItem: 'roster',
  chatRooms: 'chatRoom',
  participants: 'participant',
  occupants: 'occupant',
  message: 'messages',
  sessions: 'session',
  key: '@key',
  value: '@value',
};
const olderOf = (key: string): string | undefined => (Object.hasOwn(older, key) ? older[key] : undefined);

// Values in place of any field: the coercions of loose.ts, XML text nodes, non-finite and negative-zero numbers.
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, '', ' ', 'TRUE', ' false ', '30', ' -2 ', '1.5', 'x1', '1644246591517'),
  fc.constantFrom('2022-02-07T16:09:51.517+01:00', '2022-02-07T15:09:51', 'yesterday', '\n  '),
  fc.constantFrom(true, false, 0, -0, 1, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e300),
  fc.constantFrom({}, [], ['a'], [null], { '#text': 'x' }, { '#text': '7' }, { '@xsi:nil': 'true' }, { result: 'r' }),
  text,
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

const extraKey = fc.oneof(
  fc.constantFrom('password', 'property', 'group', 'owner', 'admin', 'user', 'roster', 'messages', 'session'),
  fc.constantFrom('@key', '@value', '#text', 'results', 'chatRoom', '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 6 }),
);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// An own property even for `__proto__`, as `JSON.parse` creates them (an assignment would set the prototype).
const put = (o: Record<string, unknown>, key: string, v: unknown): void => {
  Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
};

const permille = fc.noBias(fc.nat(999));

/**
 * A departure from the canonical tree at random nodes, `rate` the chance per node: a value replaced by junk, a key
 * dropped or renamed to its older name, an unknown key added, a list as its first item, a wrapper object or with a
 * `null` item, and at the root a Jettison wrapper.
 */
export function mutate(g: fc.GeneratorValue, entity: HotEntity, tree: unknown, rate: number): unknown {
  // Unbiased: fast-check favours small integers, which would make every chance far likelier than `rate`.
  const chance = (): boolean => g(() => permille) < rate * 1000;
  const value = (key: string | null, v: unknown): unknown => {
    if (chance()) return g(() => junk);
    if (Array.isArray(v)) {
      const list = v.map((x) => value(null, x));
      if (!chance()) return list;
      const wrapper = olderOf(key ?? '') ?? 'item';
      const forms = [list[0], [...list, null], { [wrapper]: list }, { [wrapper]: list[0] }, ''];
      return forms[g(fc.nat, forms.length - 1)];
    }
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (chance()) continue;
      put(out, chance() ? (olderOf(k) ?? `${k}_`) : k, value(k, x));
    }
    if (chance())
      put(
        out,
        g(() => extraKey),
        g(() => junk),
      );
    return out;
  };
  const mutated = value(null, tree);
  return chance() ? { [shapes[entity].root]: mutated } : mutated;
}

// Values of another type for one field: what loose.ts coerces, skips or reads as absent, and what it cannot read.
const otherType = fc.constantFrom(
  ...[null, undefined, '', ' ', 'true', 'TRUE', ' false ', '0', '30', ' -2 ', '1.5', 'x1', '1e3', '0x10', 'a@b'],
  ...['1644246591517', '2022-02-07T16:09:51.517+01:00', '2022-02-07T15:09:51', 'yesterday'],
  ...[true, false, 0, -0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300],
  ...[{}, [], ['a'], [null], [1], ['a', null], [{}], { '#text': 'x' }, { '#text': '7' }, { '#text': true }],
  ...[{ '@xsi:nil': 'true' }, { owner: 'a' }, { property: { key: 'k', value: 'v' } }, { '@key': 'k', '@value': 'v' }],
);

/** Every (object, key) of a tree. */
function slots(v: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (Array.isArray(v)) for (const x of v) slots(x, out);
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) out.push([v, k], ...slots(x));
  return out;
}

/** A copy of the tree with one value anywhere in it, list items and user properties included, of another type. */
export function withOtherType(g: fc.GeneratorValue, tree: unknown): unknown {
  const copy = structuredClone(tree);
  const all = slots(copy);
  if (all.length === 0) return copy;
  const [o, key] = all[g(fc.nat, all.length - 1)] as [Record<string, unknown>, string];
  put(
    o,
    key,
    g(() => otherType),
  );
  return copy;
}
