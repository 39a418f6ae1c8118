import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedSeed } from '../../src/emulator/seeds/generated.js';
import { decodeCanonical } from '../../src/upstream/codec/canonical.js';
import { type DecodableEntity, DecodeError, decodeEntity } from '../../src/upstream/codec/decode.js';
import { defined } from '../helpers/defined.js';
import { settings, useEmulator } from '../helpers/emulator.js';
import { goldenPayloads } from '../helpers/fixtures.js';
import { arbitraries } from './decode-arbitraries.js';
import { agreement, type HotEntity, hotEntities } from './decode-canonical-wire.js';
import { renderOptions, shapes } from './decode-shapes.js';

/**
 * The fast path for the current plugin's JSON (src/upstream/codec/canonical.ts) against the tolerant decoders, on
 * every JSON body the other codec tests use: it declines or returns the same model, and it does take the current
 * shape, as recorded from the plugin and as the emulator writes it.
 */
const entities = Object.keys(arbitraries) as DecodableEntity[];

describe('on the recorded payloads (test/fixtures/golden-payloads.json)', () => {
  const goldens = goldenPayloads().filter((g) => g.body !== null && g.contentType === 'application/json');
  // The current plugin's own bodies, by request line without the Accept note.
  const accepted: Readonly<Record<string, HotEntity>> = {
    'GET /plugins/restapi/v1/users/jane/roster': 'roster',
    'GET /plugins/restapi/v1/chatrooms/lobby': 'chatRoom',
    'GET /plugins/restapi/v1/chatrooms': 'chatRooms',
    'GET /plugins/restapi/v1/chatrooms/lobby/occupants': 'occupants',
  };

  it.each(goldens.map((g) => [g.request, g] as const))('agrees on %s read as any entity', (_name, golden) => {
    const tree: unknown = JSON.parse(golden.body ?? '');
    const outcomes = entities.map((entity) => [entity, agreement(entity, tree)] as const);
    const own = accepted[golden.request.replace(/ \(Accept: [^)]*\)$/, '')];
    expect(outcomes.filter(([, o]) => o === 'accepted').map(([e]) => e)).toEqual(own === undefined ? [] : [own]);
  });
});

describe.each(Object.entries(shapes).filter(([name]) => name.includes('JSON')))('on the %s shape', (name, shape) => {
  // 1.3–1.6 is the current shape without fields added later (openfire-rest-api.md §10), which the fast path reads.
  const current = name === 'current JSON' || name === '1.3–1.6 JSON';

  it.each(entities)('of %s, read as any entity', (entity) => {
    fc.assert(
      fc.property(arbitraries[entity], renderOptions, (value, options) => {
        const tree: unknown = JSON.parse(shape(entity, value, options).body);
        for (const as of hotEntities) {
          const outcome = agreement(as, tree);
          if (as === entity && current) expect(outcome).toBe('accepted');
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('on the hand-written shapes of decode.test.ts', () => {
  const trees: ReadonlyArray<readonly [DecodableEntity, unknown]> = [
    ['users', { users: { username: 'a', name: '', properties: { '@key': 'k', '@value': 'v' } } }],
    ['chatRoom', { roomName: 'r', owners: { owner: 'a@b' }, members: { member: ['c@d', 'e@f'] } }],
    ['chatRoom', { roomName: 'r', maxUsers: '30', persistent: 'TRUE', creationDate: '2022-02-07T16:09:51.517+01:00' }],
    ['chatRoom', { roomName: 'r', maxUsers: null, persistent: null, owner: null, allowPM: null }],
    ['messages', { message: [{ body: 'hi', delay_stamp: '2022-02-07T15:09:51.517Z' }] }],
    ['archive', { jid: 'a@b', count: 2, unread: [1, 2], extra: { x: 1 } }],
    ['users', [{ username: 'a' }]],
    ['sessions', 'sessions'],
    ['logs', null],
    ['groups', { servlet: 'PluginServlet', message: 'Request failed.', url: '/x', status: '500' }],
    ['user', { name: 'Jean-Luc', properties: [] }],
    ['chatRoom', { naturalName: 'Lobby' }],
    ['roster', { rosterItem: [{ nickname: 'John' }] }],
    ['sessions', { sessions: [{ username: 'a' }] }],
    ['sessionCounts', { sessions: [] }],
    ['userGroups', { groups: [{ name: 'g', shared: false }] }],
    ['user', { user: { username: 'a', name: 'A', properties: [] } }],
    ['user', { user: '' }],
    ['group', { group: { name: 'g', admins: { admin: 'a@b' } } }],
  ];

  it.each(trees)('agrees on a %s body %j read as any entity', (_entity, tree) => {
    for (const as of hotEntities) agreement(as, tree);
  });

  it('takes unknown keys and nulls for absent values as the tolerant decoder does', () => {
    const tree = { users: [{ username: 'a', name: '', email: null, properties: [], password: 'p' }], extra: 1 };
    expect(agreement('users', tree)).toBe('accepted');
    expect(decodeCanonical('users', tree)).toStrictEqual([{ username: 'a', name: null, email: null, properties: [] }]);
  });
});

describe('on what the emulator sends', () => {
  const seed = generatedSeed(settings, { users: 12, groups: 2, members: 6, rooms: 2 });
  const first = defined(
    seed.users.find((u) => u.username === 'user00001'),
    'user00001',
  );
  first.properties = { 'console.order': '1', 'ünïcödé 🎉': '' };
  seed.users.push({ ...first, username: 'nameless', name: null, email: null, properties: {} });
  seed.rosters = {
    ...seed.rosters,
    john: [{ jid: 'jane@example.org', nickname: null, subscription: 3, groups: ['A'] }],
  };
  const emulator = useEmulator({ seed });

  const paths: ReadonlyArray<readonly [HotEntity, string]> = [
    ['users', '/users'],
    ['user', '/users/user00001'],
    ['user', '/users/nameless'],
    ['roster', '/users/john/roster'],
    ['groups', '/groups'],
    ['group', '/groups/group0001'],
    ['chatRooms', '/chatrooms'],
    ['chatRoom', '/chatrooms/room0001'],
    ['participants', '/chatrooms/room0001/participants'],
    ['occupants', '/chatrooms/room0001/occupants'],
    ['messages', '/chatrooms/room0001/chathistory'],
    ['sessions', '/sessions'],
  ];

  it.each(paths)('takes its %s body (GET %s)', async (entity, path) => {
    const res = await emulator.api('GET', path, { accept: 'application/json' });
    expect(res.status).toBe(200);
    const tree: unknown = res.json();
    expect(agreement(entity, tree)).toBe('accepted');
    const model = decodeEntity(entity, res.text, 'json');
    if (Array.isArray(model)) expect(model.length).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  const malformed: ReadonlyArray<readonly [DecodableEntity, string, string]> = [
    ['users', '{"users":[{"username":"a"', 'malformed JSON: '],
    ['user', '', 'malformed JSON: '],
    ['users', '[{"username":"a"}]', 'users: expected an object'],
    ['sessions', '"sessions"', 'sessions: expected an object'],
    ['messages', 'null', 'messages: expected an object'],
    ['groups', '{"servlet":"PluginServlet","message":"Request failed.","status":"500"}', 'groups: expected "groups"'],
    ['user', '{"name":"Jean-Luc","properties":[]}', 'user: missing "username"'],
    ['chatRoom', '{"naturalName":"Lobby"}', 'chatRoom: missing "roomName"'],
    ['roster', '{"rosterItem":[{"nickname":"John"}]}', 'roster: missing "jid"'],
    ['sessions', '{"sessions":[{"username":"a"}]}', 'sessions: missing "sessionId"'],
    ['users', '{"users":[{"username":"a","properties":[{"key":"k"}]}]}', 'users: user property without key or value'],
    ['occupants', '{"occupants":[{"jid":"j","role":"r"}]}', 'occupants: missing "affiliation"'],
    [
      'participants',
      '{"participants":[{"jid":"j","role":"r","affiliation":1e999}]}',
      'participants: missing "affiliation"',
    ],
    ['group', '{"name":"g","members":[null,{"x":1}]}', 'group: expected strings in "members"'],
    ['chatRooms', '{"chatRooms":[{"roomName":"r","owners":[{}]}]}', 'chatRooms: expected strings in "owners"'],
  ];

  it.each(malformed)('a %s body %s still throws the DecodeError "%s"', (entity, body, message) => {
    const thrown = (() => {
      try {
        decodeEntity(entity, body, 'json');
      } catch (error) {
        return error;
      }
      throw new Error('decoded');
    })();
    expect(thrown).toBeInstanceOf(DecodeError);
    if (message.endsWith(': ')) expect((thrown as Error).message.startsWith(message)).toBe(true);
    else expect((thrown as Error).message).toBe(message);
  });
});
