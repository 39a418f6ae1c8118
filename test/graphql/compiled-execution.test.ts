import { createHash } from 'node:crypto';
import { GraphQLError, parse, print } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../src/emulator/faults.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import type { Snapshot } from '../../src/emulator/store.js';
import type { CompiledExecutionOptions } from '../../src/graphql/plugins/use-compiled-execution.js';
import { settings } from '../helpers/emulator.js';
import { type TestGateway, useGateway } from '../helpers/gateway.js';

/**
 * Compiled execution (graphql-jit, `GRAPHQL_JIT`) answers exactly as yoga's own executor: every operation of the
 * corpus runs through a gateway with it on and one with it off, each over its own emulator with the same seed, and
 * the two must agree on status, body (byte for byte: data, errors with their order, paths, locations and codes) and
 * upstream calls. Partial failures whose answer depends on timing are left out: docs/graphql.md, Compiled execution.
 */
const keys = new Map([
  ['admin-key', 'admin'],
  ['read-key', 'read'],
] as const);
/** A small MAX_UPSTREAM_CALLS, for the case that goes beyond it. */
const gateway = (jit: boolean | CompiledExecutionOptions) =>
  useGateway({ seed: showcaseSeed(settings), apiKeys: keys, app: { jit, maxUpstreamCalls: 12 } });
const compiled = gateway(true);
const interpreted = gateway(false);

interface Request {
  readonly query?: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  readonly extensions?: Record<string, unknown>;
  /** The API key's role; `null` sends no Authorization header. */
  readonly as?: 'admin' | 'read' | null;
  /** A batch: the body is the list of these. */
  readonly batch?: readonly Request[];
  /** A body sent as it is, e.g. one that is not JSON. */
  readonly raw?: string;
}

interface Case {
  readonly name: string;
  /** Sent in order, one HTTP request each (later ones read what a mutation changed). */
  readonly requests: readonly Request[] | (() => readonly Request[]);
  readonly faults?: readonly FaultSpec[];
  /** A change to the emulator's data first, e.g. one Openfire would never hold. */
  readonly arrange?: (draft: Snapshot) => void;
  /** Never runs compiled: graphql-js runs it (use-compiled-execution.ts says when), or nothing does. */
  readonly uncompiled?: true;
}

const one = (name: string, query: string, more: Omit<Request, 'query'> = {}): Case => ({
  name,
  requests: [{ query, ...more }],
});

const uncompiled = (c: Case): Case => ({ ...c, uncompiled: true });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
let apqRuns = 0;
/** A query no gateway has registered yet (each remembers the hashes registered with it), by hash, then with it. */
const apqRequests = (): Request[] => {
  const query = `{ user(username: "jane") { username name } run${++apqRuns}: __typename }`;
  const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
  return [{ extensions }, { query, extensions }, { extensions }];
};
const everyone = '{ users { totalCount nodes { username name email } } }';
const deep = `{ user(username: "john") { ${'groups { members { '.repeat(8)}username${' } }'.repeat(8)} } }`;
const manyAliases = `{ ${Array.from({ length: 51 }, (_, i) => `u${i}: user(username: "john") { name }`).join(' ')} }`;

const corpus: Case[] = [
  one('scalars of a user', '{ user(username: "john") { username name email jid online vcard unreadMessageCount } }'),
  one('a missing user is null', '{ user(username: "nobody") { username } }'),
  one(
    'several root fields',
    '{ sessionCounts { local cluster } health { liveness readiness } cluster { enabled status } }',
  ),
  one(
    'a system property, and one hidden from read keys',
    '{ a: systemProperty(key: "xmpp.domain") { key value } b: systemProperty(key: "plugin.restapi.secret") { value } }',
    { as: 'read' },
  ),
  one('system properties by prefix', '{ systemProperties(prefix: "xmpp.") { key value } }'),
  one(
    'groups, their members and the members’ groups',
    '{ groups { totalCount nodes { name description shared memberJids adminJids members { username name groups { name } } admins { username email } } } }',
  ),
  one('a user’s groups', '{ user(username: "john") { groups { name shared members { username } } } }'),
  one(
    'rooms with occupants and affiliations',
    '{ chatRooms(type: ALL) { totalCount nodes { roomName naturalName subject membersOnly occupants { nickname role affiliation jid user { username } } owners { jid user { name } } members { jid } memberGroups outcasts { jid } } } }',
  ),
  one(
    'a room’s history and dates (DateTime serialised)',
    '{ chatRoom(name: "lobby") { jid creationDate modificationDate history(last: 5) { body from nickname delayStamp } participants { nickname } } }',
  ),
  one(
    'rosters with their users (enum output)',
    '{ users { nodes { username roster { jid nickname subscription groups user { username email } } } } }',
  ),
  one(
    'a user’s rooms (enum output in a nested list)',
    '{ user(username: "jane") { chatRooms { affiliation room { roomName } } } }',
  ),
  one(
    'sessions with their users',
    '{ sessions { totalCount nodes { username resource priority secure presenceStatus creationDate user { name } } } }',
  ),
  one(
    'chat services with their rooms',
    '{ chatServices { serviceName description hidden rooms(type: ALL, first: 1) { totalCount nodes { roomName } } } }',
  ),
  one(
    'a first page, with page info and edges',
    '{ users(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { username } } } }',
  ),
  one(
    'a page after a cursor, from variables',
    'query Page($n: Int, $after: String) { users(first: $n, after: $after) { nodes { username } pageInfo { hasNextPage } } }',
    { variables: { n: 2, after: cursor(1) } },
  ),
  {
    name: 'an unexpected error (a date DateTime cannot write) is masked',
    requests: [{ query: '{ chatRoom(name: "lobby") { roomName creationDate } }' }],
    arrange: (draft) => {
      const lobby = draft.services[0]?.rooms.find((room) => room.roomName === 'lobby');
      if (lobby) lobby.creationDate = 9e15;
    },
  },
  one('a page size out of range', '{ users(first: -1) { totalCount } }'),
  one('the directory, searched', '{ directory(first: 2, search: "j") { totalCount nodes { username name } } }'),
  one(
    'aliases, the same field twice with other arguments',
    '{ a: user(username: "john") { n: name } b: user(username: "jane") { n: name e: email } c: user(username: "john") { username } }',
  ),
  uncompiled(
    one(
      'inline fragments, with and without a type condition',
      '{ user(username: "jane") { ... on User { username } ... @include(if: true) { email } ... @skip(if: true) { name } } }',
    ),
  ),
  uncompiled(
    one(
      'named fragments, nested and repeated',
      'fragment Who on User { username name } fragment Member on Group { name members { ...Who } } { groups { nodes { ...Member admins { ...Who } } } }',
    ),
  ),
  one(
    'one fragment per selection set, after the fields',
    'fragment Who on User { username name } fragment Member on Group { description members { ...Who } } { groups { nodes { name ...Member } } user(username: "john") { ... on User { email } } }',
  ),
  uncompiled(
    one(
      'fields after a fragment, and two fragments in one selection set',
      '{ user(username: "jane") { ...Who email ... on User { jid } } } fragment Who on User { username }',
    ),
  ),
  uncompiled(
    one(
      'a fragment spread in two places, left out by @include in one',
      'query ($no: Boolean!) { a: user(username: "john") { ...Who @include(if: $no) } b: user(username: "jane") { ...Who } } fragment Who on User { username name }',
      { variables: { no: false } },
    ),
  ),
  uncompiled(
    one(
      'the same fragment twice in one selection set, once left out',
      '{ user(username: "jane") { ...Who @skip(if: true) ...Who } } fragment Who on User { username name }',
    ),
  ),
  one(
    '@include inside a fragment spread in two places',
    'query ($yes: Boolean!) { a: user(username: "john") { username ...Who } b: user(username: "jane") { username ...Who } } fragment Who on User { name email @include(if: $yes) }',
    { variables: { yes: false } },
  ),
  one(
    'variables with defaults',
    'query ($u: String! = "john", $room: String = "lobby") { user(username: $u) { name } chatRoom(name: $room) { roomName } }',
  ),
  one(
    '@skip and @include from variables',
    'query ($yes: Boolean!, $no: Boolean!) { user(username: "john") { name @include(if: $yes) email @skip(if: $yes) jid @include(if: $no) } }',
    { variables: { yes: true, no: false } },
  ),
  uncompiled(
    one('a variable of the wrong type', 'query ($u: String!) { user(username: $u) { name } }', {
      variables: { u: 42 },
    }),
  ),
  uncompiled(one('a required variable missing', 'query ($u: String!) { user(username: $u) { name } }')),
  uncompiled(
    one('an Int variable that is not an integer', 'query ($n: Int) { users(first: $n) { totalCount } }', {
      variables: { n: 1.5 },
    }),
  ),
  uncompiled(
    one('an Int variable beyond 32 bits', 'query ($n: Int) { users(first: $n) { totalCount } }', {
      variables: { n: 2 ** 40 },
    }),
  ),
  one('an enum variable', 'query ($t: ChatRoomType) { chatRooms(type: $t) { totalCount } }', {
    variables: { t: 'ALL' },
  }),
  uncompiled(
    one('an unknown enum value in a variable', 'query ($t: ChatRoomType) { chatRooms(type: $t) { totalCount } }', {
      variables: { t: 'SOME' },
    }),
  ),
  uncompiled(
    one(
      'a DateTime variable that is no date',
      'query ($from: DateTime) { securityAuditLogs(from: $from) { totalCount } }',
      { variables: { from: 'yesterday' } },
    ),
  ),
  one(
    'DateTime variables, given and by default',
    'query ($from: DateTime, $to: DateTime = "2026-01-01T09:30:00.500Z") { securityAuditLogs(from: $from, to: $to) { totalCount nodes { timestamp } } }',
    { variables: { from: '2026-01-01T09:00:00.250Z' } },
  ),
  one(
    'a DateTime literal',
    '{ securityAuditLogs(from: "2026-01-01T00:00:00Z", first: 2) { nodes { username summary timestamp user { name } } } }',
  ),
  one(
    '__typename at every level',
    '{ __typename user(username: "john") { __typename roster { __typename user { __typename } } } }',
  ),
  one(
    'introspection of a type',
    '{ __type(name: "User") { name kind description fields { name isDeprecated args { name defaultValue type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name kind } } } } } }',
  ),
  one(
    'introspection of the root types',
    '{ __schema { queryType { name } mutationType { name } subscriptionType { name } directives { name locations } } }',
  ),
  one('NOT_FOUND from Openfire', 'mutation { deleteGroup(name: "nope") }'),
  one(
    'a mutation refused to a read key by scope',
    'mutation { createUser(input: { username: "keyed", password: "pw" }) { username } }',
    { as: 'read' },
  ),
  one(
    'a room’s password, null for a read key',
    '{ chatRooms(type: ALL) { nodes { roomName password passwordProtected } } }',
    { as: 'read' },
  ),
  uncompiled(one('no API key', '{ user(username: "john") { name } }', { as: null })),
  {
    name: 'an upstream failure nulls a nullable field',
    requests: [
      { query: '{ group(name: "developers") { name members { username } } other: user(username: "john") { name } }' },
    ],
    faults: [{ route: 'GET /groups/{groupName}', status: 500 }],
  },
  {
    name: 'an upstream failure under non-null fields bubbles up to the nearest nullable one',
    requests: [{ query: '{ users { totalCount nodes { username roster { jid } } } }' }],
    faults: [{ route: 'GET /users/{username}/roster', status: 500 }],
  },
  {
    name: 'an upstream failure of a non-null root field nulls data',
    requests: [{ query: '{ users { totalCount } }' }],
    faults: [{ route: 'GET /users', status: 503 }],
  },
  one(
    'beyond MAX_UPSTREAM_CALLS, on nullable fields',
    `{ ${Array.from({ length: 14 }, (_, i) => `u${i}: user(username: "user${i}") { username }`).join(' ')} }`,
  ),
  {
    name: 'failures of nullable and non-null fields together',
    requests: [
      {
        query:
          '{ group(name: "developers") { name } users { nodes { username roster { jid } } } chatServices { serviceName } }',
      },
    ],
    faults: [
      { route: 'GET /groups/{groupName}', status: 500 },
      { route: 'GET /users/{username}/roster', status: 500 },
    ],
  },
  {
    name: 'create a user, read it, delete it, read again',
    requests: [
      {
        query: 'mutation ($input: CreateUserInput!) { createUser(input: $input) { username name email } }',
        variables: { input: { username: 'newbie', password: 'pw', name: 'New Bie', email: 'new@example.com' } },
      },
      { query: everyone },
      { query: 'mutation { deleteUser(username: "newbie") }' },
      { query: everyone },
    ],
  },
  {
    name: 'mutations run in order, and none after one that failed',
    requests: [
      {
        query:
          'mutation { a: createGroup(input: { name: "ops", description: "Ops" }) { name members { username } } b: createGroup(input: { name: "ops" }) { name } c: addUserToGroup(group: "ops", username: "jane") { groups { name } } }',
      },
      { query: '{ group(name: "ops") { name description members { username } } }' },
    ],
  },
  {
    name: 'a mutation that fails, then one that succeeds with a nullable error inside',
    requests: [
      { query: 'mutation { addUserToGroup(group: "nope", username: "jane") { username } }' },
      { query: 'mutation { updateUser(username: "john", input: { name: "Johnny" }) { name groups { name } } }' },
    ],
    faults: [{ route: 'GET /users/{username}/groups', status: 500 }],
  },
  uncompiled(
    one(
      'a mutation input missing a required field',
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { username } }',
      { variables: { input: { username: 'half' } } },
    ),
  ),
  uncompiled(one('a validation error: an unknown field', '{ user(username: "john") { nickname } }')),
  uncompiled(one('a validation error: a required argument missing', '{ user { name } }')),
  uncompiled(one('a syntax error', '{ user(username: "john") { name }')),
  uncompiled(one('a depth over GRAPHQL_MAX_DEPTH', deep)),
  uncompiled(one('aliases over GRAPHQL_MAX_ALIASES', manyAliases)),
  uncompiled(
    one(
      'two operations, one chosen by name',
      'query A { user(username: "john") { name } } query B { user(username: "jane") { email } }',
      { operationName: 'B' },
    ),
  ),
  uncompiled(one('an unknown operation name', 'query A { user(username: "john") { name } }', { operationName: 'C' })),
  uncompiled(one('a subscription asked for as JSON', 'subscription { sessionCounts { local } }')),
  {
    name: 'a batch of two operations',
    requests: [{ batch: [{ query: '{ user(username: "john") { name } }' }, { query: '{ users { totalCount } }' }] }],
  },
  {
    name: 'an automatic persisted query: unknown hash, registered, then by hash',
    requests: apqRequests,
  },
  { name: 'a body that is not JSON', requests: [{ raw: '{"query": ' }], uncompiled: true },
];

interface Answer {
  readonly status: number;
  /** Parsed when it is JSON: a difference is easier to read. */
  readonly body: unknown;
  /** The bytes: the same JSON in another key order would differ here. */
  readonly text: string;
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const bodyOf = ({ as: _as, batch, raw, ...request }: Request): string =>
  raw ?? JSON.stringify(batch ? batch.map((r) => bodyOf(r)).map((b) => JSON.parse(b)) : request);

async function send(g: TestGateway, request: Request): Promise<Answer> {
  const role = request.as === undefined ? 'admin' : request.as;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (role !== null) headers.authorization = `Bearer ${role}-key`;
  const res = await g.fetch('/graphql', { method: 'POST', headers, body: bodyOf(request) });
  const text = await res.text();
  return { status: res.status, body: parsed(text), text };
}

/** A case's requests: made once for all the gateways it runs on. */
const requestsOf = ({ requests }: Case): readonly Request[] => (typeof requests === 'function' ? requests() : requests);

async function run(g: TestGateway, requests: readonly Request[], { faults = [], arrange }: Case) {
  const emulator = await g.ready;
  if (arrange) emulator.edit(arrange);
  for (const fault of faults) emulator.faults.add(fault);
  await g.resetCalls();
  const answers: Answer[] = [];
  for (const request of requests) answers.push(await send(g, request));
  return { answers, calls: await g.upstreamCalls() };
}

describe('compiled execution answers as graphql-js', () => {
  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const requests = requestsOf(c);
    const expected = await run(interpreted, requests, c);
    expect(await run(compiled, requests, c)).toEqual(expected);
  });
});

describe('the fallback to graphql-js', () => {
  const throwing = gateway({
    compile: () => {
      throw new Error('not compiled');
    },
  });
  const refusing = gateway({ compile: () => ({ errors: [new GraphQLError('not supported by graphql-jit')] }) });

  it.each(corpus.map((c) => [c.name, c] as const))('answers %s, whatever the compiler does', async (_name, c) => {
    const requests = requestsOf(c);
    const expected = await run(interpreted, requests, c);
    expect(await run(throwing, requests, c)).toEqual(expected);
    expect(await run(refusing, requests, c)).toEqual(expected);
  });
});

describe('what runs compiled', () => {
  /** The texts of the documents compiled, and of those run compiled (once per run). */
  const compiledTexts: string[] = [];
  const ranTexts: string[] = [];
  const counting = gateway({
    compile: (schema, document, operationName, options) => {
      const text = print(document);
      compiledTexts.push(text);
      const result = compileQuery(schema, document, operationName, options);
      if (!isCompiledQuery(result)) return result;
      return {
        ...result,
        query: (root, context, variables) => {
          ranTexts.push(text);
          return result.query(root, context, variables);
        },
      };
    },
  });
  const ask = (query: string, variables?: Record<string, unknown>) => send(counting, { query, variables });
  beforeEach(() => {
    compiledTexts.length = 0;
    ranTexts.length = 0;
  });

  it('runs the corpus compiled, but for what graphql-jit would answer otherwise', async () => {
    const notRun: string[] = [];
    for (const c of corpus) {
      const before = ranTexts.length;
      await run(counting, requestsOf(c), c);
      if (ranTexts.length === before) notRun.push(c.name);
    }
    expect(notRun).toEqual(corpus.filter((c) => c.uncompiled).map((c) => c.name));
  });

  it('compiles a document once, however often it runs and with whatever variables', async () => {
    const query = 'query ($u: String!) { user(username: $u) { name ...Contact } } fragment Contact on User { email }';
    for (const u of ['john', 'jane', 'john']) expect((await ask(query, { u })).status).toBe(200);
    expect(await ask(query, { u: 1 })).toMatchObject({ status: 400 });
    const text = print(parse(query));
    expect(compiledTexts).toEqual([text]);
    expect(ranTexts).toEqual([text, text, text]);
  });

  it('leaves to graphql-js what graphql-jit would run otherwise, without compiling it', async () => {
    for (const query of [
      'subscription { sessionCounts { local } }',
      'mutation { a: deleteGroup(name: "x") b: deleteGroup(name: "y") }',
      '{ user(username: "john") { ...Contact name } } fragment Contact on User { email }',
      '{ user(username: "john") { ...Contact ... on User { name } } } fragment Contact on User { email }',
      'query ($no: Boolean!) { user(username: "john") { name ...Contact @include(if: $no) } } fragment Contact on User { email }',
      'query A { __typename } query B { __typename }',
    ])
      await ask(query, { no: false });
    expect(compiledTexts).toEqual([]);
  });
});
