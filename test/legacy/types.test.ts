import { describe, expect, it } from 'vitest';
import type { GroupRecord, Snapshot, UserRecord } from '../../src/emulator/store.js';
import { defined } from '../helpers/defined.js';
import { groupIn, rosterItemIn, userIn } from '../helpers/emulator.js';
import { LEGACY_SECRET, type LegacyReply, legacySeed, useLegacy } from '../helpers/legacy.js';

/**
 * The ten legacy types of the gateway's `/userservice` (openfire-rest-api.md §12.4, §12.2 step 7 and the documented
 * fixes): for each success and error, the exact reply, the resulting emulator state and the exact upstream calls by
 * route.
 */
const t = useLegacy();

// ---------------------------------------------------------------------------------------------------------------
// Replies

const OK = '<result>ok</result>\n';
const error = (name: string): string => `<error>${name}</error>\n`;
const list = (...names: string[]): string =>
  `<result>${names.map((name) => `<groupname>${name}</groupname>`).join('')}</result>\n`;
const ILLEGAL = error('IllegalArgumentException');
const NOT_FOUND = error('UserNotFoundException');
const EXISTS = error('UserAlreadyExistsException');
const SHARED = error('SharedGroupException');

const jid = (username: string): string => `${username}@example.org`;
const JANE = jid('jane');
const JOHN = jid('john');
const CAROL = jid('carol');
const ADMIN = jid('admin');

// ---------------------------------------------------------------------------------------------------------------
// Requests and expectations

/** One request with the right secret; a string is a raw, already encoded query (or form body for POST). */
function send(params: Record<string, string> | string, method = 'GET'): Promise<LegacyReply> {
  const secret = `secret=${encodeURIComponent(LEGACY_SECRET)}`;
  return t.send(typeof params === 'string' ? `${secret}&${params}` : { secret: LEGACY_SECRET, ...params }, { method });
}

function expectReply(reply: LegacyReply, text: string): void {
  expect(reply).toEqual({ status: 200, contentType: 'text/xml; charset=utf-8', text });
}

/** Exactly these upstream calls since the last reset (`{}` for none). */
async function expectCalls(routes: Record<string, number>): Promise<void> {
  const total = Object.values(routes).reduce((sum, n) => sum + n, 0);
  expect(await t.upstreamCalls()).toEqual({ total, routes });
}

/** Sends, then checks the reply bytes and the upstream calls. */
async function expectExchange(
  params: Record<string, string> | string,
  text: string,
  routes: Record<string, number>,
): Promise<void> {
  expectReply(await send(params), text);
  await expectCalls(routes);
}

/** Sends and checks reply and calls, and that the emulator's state did not change. */
async function expectRefused(
  params: Record<string, string> | string,
  text: string,
  routes: Record<string, number> = {},
): Promise<void> {
  const before = await t.state();
  await expectExchange(params, text, routes);
  expect(await t.state()).toEqual(before);
}

/** Changes the emulator's state behind the API (the helper reloads the seed after every test). */
async function arrange(change: (draft: Snapshot) => void): Promise<void> {
  (await t.ready).edit(change);
}

/** Forgets the upstream calls made while arranging a test. */
async function resetCalls(): Promise<void> {
  (await t.ready).stats.reset();
}

// ---------------------------------------------------------------------------------------------------------------
// State lookups

const usernames = (s: Snapshot): string[] => s.users.map((u) => u.username).sort();
const groupNames = (s: Snapshot): string[] => s.groups.map((g) => g.name).sort();

/** A user as `add` creates it. */
const created = (
  username: string,
  password: string,
  name: string | null = null,
  email: string | null = null,
): UserRecord => ({
  username,
  name,
  email,
  password,
  properties: {},
  creationDate: expect.any(Number),
  modificationDate: expect.any(Number),
});

/**
 * A group as `add`/`update` create it: non-shared, with the legacy service's properties
 * (openfire-rest-api.md §12.4, §12.7).
 */
const newGroup = (name: string, members: string[]): GroupRecord => ({
  name,
  description: null,
  members,
  admins: [],
  properties: { 'sharedRoster.showInRoster': 'nobody', 'sharedRoster.displayName': name, 'sharedRoster.groupList': '' },
});

/** The seed's group with other member/admin lists. */
function seedGroup(name: string, members: string[], admins: string[]): GroupRecord {
  const group = defined(
    legacySeed().groups.find((g) => g.name === name),
    `group ${name} in the seed`,
  );
  return { ...group, members, admins };
}

const USER_TYPES = [
  'add',
  'delete',
  'update',
  'enable',
  'disable',
  'add_roster',
  'update_roster',
  'delete_roster',
  'usergrouplist',
];

// ---------------------------------------------------------------------------------------------------------------

describe('the seed the tests start from', () => {
  it('has the users, groups, rosters and session the expectations below assume', async () => {
    const s = await t.state();
    expect(usernames(s)).toEqual(['admin', 'carol', 'jane', 'john']);
    expect(groupNames(s)).toEqual(['ops', 'sales', 'staff', 'team']);
    expect(s.rosters).toEqual({
      john: [{ jid: JANE, nickname: 'Jane', subscription: 3, groups: [] }],
      jane: [{ jid: JOHN, nickname: 'John', subscription: 3, groups: [] }],
    });
    expect(s.lockouts).toEqual([]);
    expect(s.sessions.map((session) => session.sessionId)).toEqual(['john@example.org/phone']);
    await expectCalls({});
  });
});

describe('parameters every type shares (openfire-rest-api.md §12.2)', () => {
  it.each(USER_TYPES)(
    '%s without a username parameter is an IllegalArgumentException, before any call',
    async (type) => {
      await expectRefused({ type, password: 'pw', item_jid: JANE }, ILLEGAL);
    },
  );

  it.each(USER_TYPES.filter((type) => type !== 'add'))(
    '%s with a username that normalises to nothing is a UserNotFoundException, before any call',
    async (type) => {
      await expectRefused({ type, username: ' \t ', item_jid: JANE }, NOT_FOUND);
      await expectRefused({ type, username: '', item_jid: JANE }, NOT_FOUND);
    },
  );

  it.each(USER_TYPES)(
    '%s with a username nodeprep refuses is an IllegalArgumentException, before any call',
    async (type) => {
      // U+0080 is a valid XML character that nodeprep prohibits; the original sent a StringprepException text.
      await expectRefused({ type, username: 'jo\u0080hn', password: 'pw', item_jid: JANE }, ILLEGAL);
      await expectRefused({ type, username: 'x'.repeat(1024), password: 'pw', item_jid: JANE }, ILLEGAL);
    },
  );

  it.each(USER_TYPES)(
    '%s with the username . or .. (no REST path could address it) is an IllegalArgumentException, before any call',
    async (type) => {
      await expectRefused({ type, username: '.', password: 'pw', item_jid: JANE }, ILLEGAL);
      await expectRefused({ type, username: ' .. ', password: 'pw', item_jid: JANE }, ILLEGAL);
    },
  );

  it('a missing, empty, unknown or differently cased type is an IllegalArgumentException, before any call', async () => {
    await expectRefused({ username: 'jane' }, ILLEGAL);
    await expectRefused({ type: '', username: 'jane' }, ILLEGAL);
    await expectRefused({ type: 'rename', username: 'jane' }, ILLEGAL);
    await expectRefused({ type: 'DELETE', username: 'jane' }, ILLEGAL);
    await expectRefused({ type: 'delete ', username: 'jane' }, ILLEGAL);
  });

  it('a value with a character XML cannot carry is an IllegalArgumentException, before any call', async () => {
    await expectRefused({ type: 'add', username: 'dave', password: 'pw', name: 'D\u0001ave' }, ILLEGAL);
    await expectRefused({ type: 'add', username: 'dave', password: 'pw', email: 'd@x\uffff' }, ILLEGAL);
    await expectRefused({ type: 'add', username: 'dave', password: 'pw', groups: 'g\ufffe' }, ILLEGAL);
    await expectRefused({ type: 'add', username: 'da\u0002ve', password: 'pw' }, ILLEGAL);
    await expectRefused({ type: 'add_roster', username: 'jane', item_jid: 'a\u0000@example.org' }, ILLEGAL);
    await expectRefused({ type: 'grouplist', username: '\u0001' }, ILLEGAL);
  });

  it('a wrong secret is RequestNotAuthorised, before any call', async () => {
    const before = await t.state();
    expectReply(await t.send({ type: 'delete', username: 'jane', secret: 'wrong' }), error('RequestNotAuthorised'));
    expectReply(await t.send({ type: 'delete', username: 'jane' }), error('RequestNotAuthorised'));
    await expectCalls({});
    expect(await t.state()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('add', () => {
  it('creates the user with one call; name and email are optional', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw' }, OK, { 'POST /users': 1 });
    const s = await t.state();
    expect(userIn(s, 'dave')).toEqual(created('dave', 'pw'));
    expect(s.groups).toEqual(legacySeed().groups);
  });

  it('stores name and email', async () => {
    await expectExchange(
      { type: 'add', username: 'dave', password: 'pw', name: 'Dave Ng', email: 'dave@example.com' },
      OK,
      { 'POST /users': 1 },
    );
    expect(userIn(await t.state(), 'dave')).toEqual(created('dave', 'pw', 'Dave Ng', 'dave@example.com'));
  });

  it('is also served for a POST form, with + as a space', async () => {
    expectReply(await send('type=add&username=Dave+Ng&password=p+w&name=Dave+Ng', 'POST'), OK);
    await expectCalls({ 'POST /users': 1 });
    expect(userIn(await t.state(), 'dave\\20ng')).toEqual(created('dave\\20ng', 'p w', 'Dave Ng'));
  });

  it('with groups: looks the user up, creates the missing group with the user in it, reads and joins the existing one, then creates the user', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: 'newgrp,sales' }, OK, {
      'GET /users/{username}': 1,
      'POST /users': 1,
      'POST /groups': 2,
      'GET /groups/{groupName}': 1,
      'POST /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(userIn(s, 'dave')).toEqual(created('dave', 'pw'));
    expect(groupIn(s, 'newgrp')).toEqual(newGroup('newgrp', [jid('dave')]));
    expect(groupIn(s, 'sales')).toEqual(seedGroup('sales', [JANE, CAROL, jid('dave')], []));
    expect(groupNames(s)).toEqual(['newgrp', 'ops', 'sales', 'staff', 'team']);
  });

  it('only new groups need no join call', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: 'g1,g2' }, OK, {
      'GET /users/{username}': 1,
      'POST /users': 1,
      'POST /groups': 2,
    });
    const s = await t.state();
    expect(groupIn(s, 'g1')).toEqual(newGroup('g1', [jid('dave')]));
    expect(groupIn(s, 'g2')).toEqual(newGroup('g2', [jid('dave')]));
  });

  it('existing groups are joined in one call (each group is first tried as new, then read)', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: 'ops,staff' }, OK, {
      'GET /users/{username}': 1,
      'POST /users': 1,
      'POST /groups': 2,
      'GET /groups/{groupName}': 2,
      'POST /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [JANE, jid('dave')], [JOHN]));
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JOHN, JANE, jid('dave')], [ADMIN]));
  });

  it('skips empty tokens and repeats, and does not trim tokens', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: ',sales,,sales, sales,' }, OK, {
      'GET /users/{username}': 1,
      'POST /users': 1,
      'POST /groups': 2,
      'GET /groups/{groupName}': 1,
      'POST /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(groupIn(s, 'sales')?.members).toEqual([JANE, CAROL, jid('dave')]);
    expect(groupIn(s, ' sales')).toEqual(newGroup(' sales', [jid('dave')]));
  });

  it('twenty new groups: each created with the user in it (at most 8 calls at once), then the user; 22 calls', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `g${String(i).padStart(2, '0')}`);
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: names.join(',') }, OK, {
      'GET /users/{username}': 1,
      'POST /groups': 20,
      'POST /users': 1,
    });
    const s = await t.state();
    expect(userIn(s, 'dave')).toEqual(created('dave', 'pw'));
    expect(groupNames(s)).toEqual([...names, 'ops', 'sales', 'staff', 'team']);
    for (const name of names) expect(groupIn(s, name)).toEqual(newGroup(name, [jid('dave')]));
  });

  it('groups= (empty) adds no group', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: '' }, OK, { 'POST /users': 1 });
    expect((await t.state()).groups).toEqual(legacySeed().groups);
  });

  it('creates groups whose names need escaping in XML', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'pw', groups: 'R&D,a<b' }, OK, {
      'GET /users/{username}': 1,
      'POST /users': 1,
      'POST /groups': 2,
    });
    const s = await t.state();
    expect(groupIn(s, 'R&D')).toEqual(newGroup('R&D', [jid('dave')]));
    expect(groupIn(s, 'a<b')).toEqual(newGroup('a<b', [jid('dave')]));
  });

  it('stores a password with a character XML cannot carry (only the password and the secret may hold one)', async () => {
    await expectExchange({ type: 'add', username: 'dave', password: 'p\u0001w' }, OK, { 'POST /users': 1 });
    expect(userIn(await t.state(), 'dave')?.password).toBe('p\u0001w');
  });

  it.each([
    ['Bob Smith', 'bob\\20smith'],
    ['  DAVE  ', 'dave'],
    ['dave@home', 'dave\\40home'],
    ["o'neil", 'o\\27neil'],
    ['Ünal', 'ünal'],
  ])('normalises the username %j to %j (openfire-rest-api.md §12.3)', async (raw, stored) => {
    await expectExchange({ type: 'add', username: raw, password: 'pw' }, OK, { 'POST /users': 1 });
    const s = await t.state();
    expect(userIn(s, stored)).toEqual(created(stored, 'pw'));
    expect(usernames(s)).toEqual(['admin', 'carol', 'jane', 'john', stored].sort());
  });

  it('+ in a raw query is a space', async () => {
    await expectExchange('type=add&username=Bob+Smith&password=pw', OK, { 'POST /users': 1 });
    expect(userIn(await t.state(), 'bob\\20smith')).toEqual(created('bob\\20smith', 'pw'));
  });

  it.each(['jane', 'JANE', '  Jane ', 'CaRoL'])(
    'an existing user (%j) is a UserAlreadyExistsException after one call',
    async (username) => {
      await expectRefused({ type: 'add', username, password: 'pw', name: 'Other' }, EXISTS, { 'POST /users': 1 });
    },
  );

  it('an existing user with groups is found by the lookup; no group is created or joined', async () => {
    await expectRefused({ type: 'add', username: 'Jane', password: 'pw', groups: 'brandnew,ops' }, EXISTS, {
      'GET /users/{username}': 1,
    });
  });

  it('no password, an empty password or an empty username is an IllegalArgumentException, before any call', async () => {
    await expectRefused({ type: 'add', username: 'dave' }, ILLEGAL);
    await expectRefused({ type: 'add', username: 'dave', password: '', groups: 'g1' }, ILLEGAL);
    await expectRefused({ type: 'add', username: '', password: 'pw' }, ILLEGAL);
    await expectRefused({ type: 'add', username: '   ', password: 'pw', groups: 'g1' }, ILLEGAL);
    // Even an existing user: the parameters are checked first, as Openfire's createUser does.
    await expectRefused({ type: 'add', username: 'jane' }, ILLEGAL);
  });

  it.each([' ', '  ', 'ok, ', 'a/b', 'ok,sub/group', '\t', '.', '..', 'ok,..'])(
    'a group token %j that is whitespace-only, holds / or is . or .. is an IllegalArgumentException, before the user is created',
    async (groups) => {
      await expectRefused({ type: 'add', username: 'dave', password: 'pw', groups }, ILLEGAL);
    },
  );
});

describe('add naming groups that already list the new JID (provisioned before the user exists)', () => {
  const DAVE = jid('dave');
  const seed = legacySeed();
  const listed = (group: GroupRecord): GroupRecord =>
    group.name === 'ops'
      ? { ...group, admins: [...group.admins, DAVE] }
      : group.name === 'sales'
        ? { ...group, members: [...group.members, DAVE] }
        : group;
  const s = useLegacy({ seed: { ...seed, groups: seed.groups.map(listed) } });
  const add = (groups: string) =>
    s.send({ type: 'add', secret: LEGACY_SECRET, username: 'dave', password: 'pw', groups });

  it('leaves them as they are (an admin is not demoted) and joins only the group that does not list it', async () => {
    expectReply(await add('ops,sales,staff'), OK);
    expect(await s.upstreamCalls()).toEqual({
      total: 9,
      routes: {
        'GET /users/{username}': 1,
        'POST /groups': 3,
        'GET /groups/{groupName}': 3,
        'POST /users/{username}/groups': 1,
        'POST /users': 1,
      },
    });
    const after = await s.state();
    expect(groupIn(after, 'ops')).toEqual(seedGroup('ops', [JANE], [JOHN, DAVE]));
    expect(groupIn(after, 'sales')).toEqual(seedGroup('sales', [JANE, CAROL, DAVE], []));
    expect(groupIn(after, 'staff')).toEqual(seedGroup('staff', [JOHN, JANE, DAVE], [ADMIN]));
    expect(userIn(after, 'dave')).toEqual(created('dave', 'pw'));
  });

  it('makes no join call when every existing group already lists it', async () => {
    expectReply(await add('ops,sales,fresh'), OK);
    expect(await s.upstreamCalls()).toEqual({
      total: 7,
      routes: { 'GET /users/{username}': 1, 'POST /groups': 3, 'GET /groups/{groupName}': 2, 'POST /users': 1 },
    });
    const after = await s.state();
    expect(groupIn(after, 'ops')).toEqual(seedGroup('ops', [JANE], [JOHN, DAVE]));
    expect(groupIn(after, 'sales')).toEqual(seedGroup('sales', [JANE, CAROL, DAVE], []));
    expect(groupIn(after, 'fresh')).toEqual(newGroup('fresh', [DAVE]));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('delete', () => {
  it('deletes the user, its roster, its memberships and its entry in other rosters, in one call', async () => {
    await expectExchange({ type: 'delete', username: 'jane' }, OK, { 'DELETE /users/{username}': 1 });
    const s = await t.state();
    expect(usernames(s)).toEqual(['admin', 'carol', 'john']);
    expect(s.rosters).toEqual({ john: [] });
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [], [JOHN]));
    expect(groupIn(s, 'sales')).toEqual(seedGroup('sales', [CAROL], []));
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JOHN], [ADMIN]));
  });

  it('finds the user whatever the case and surrounding spaces, and closes its sessions', async () => {
    await expectExchange({ type: 'delete', username: '  JOHN ' }, OK, { 'DELETE /users/{username}': 1 });
    const s = await t.state();
    expect(usernames(s)).toEqual(['admin', 'carol', 'jane']);
    expect(s.sessions).toEqual([]);
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [JANE], []));
  });

  it('deletes a user with an escaped name', async () => {
    await send({ type: 'add', username: 'Bob Smith', password: 'pw' });
    await resetCalls();
    await expectExchange('type=delete&username=bob+SMITH', OK, { 'DELETE /users/{username}': 1 });
    expect(usernames(await t.state())).toEqual(['admin', 'carol', 'jane', 'john']);
  });

  it('an unknown user is a UserNotFoundException after one call', async () => {
    await expectRefused({ type: 'delete', username: 'nobody' }, NOT_FOUND, { 'DELETE /users/{username}': 1 });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('enable', () => {
  it('removes the lockout in one call', async () => {
    await arrange((s) => {
      s.lockouts.push('jane');
    });
    await expectExchange({ type: 'enable', username: 'JANE' }, OK, { 'DELETE /lockouts/{username}': 1 });
    expect((await t.state()).lockouts).toEqual([]);
  });

  it('a user who is not locked out is ok', async () => {
    await expectRefused({ type: 'enable', username: 'jane' }, OK, { 'DELETE /lockouts/{username}': 1 });
  });

  it('undoes disable', async () => {
    await send({ type: 'disable', username: 'carol' });
    expect((await t.state()).lockouts).toEqual(['carol']);
    await resetCalls();
    await expectExchange({ type: 'enable', username: 'Carol' }, OK, { 'DELETE /lockouts/{username}': 1 });
    expect((await t.state()).lockouts).toEqual([]);
  });

  it('an unknown user is a UserNotFoundException after one call', async () => {
    await expectRefused({ type: 'enable', username: 'nobody' }, NOT_FOUND, { 'DELETE /lockouts/{username}': 1 });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('disable', () => {
  it('locks the user out and closes its sessions (REST lockout, openfire-rest-api.md §12.6 item 10), in one call', async () => {
    await expectExchange({ type: 'disable', username: 'John' }, OK, { 'POST /lockouts/{username}': 1 });
    const s = await t.state();
    expect(s.lockouts).toEqual(['john']);
    expect(s.sessions).toEqual([]);
    expect(s.outbox).toEqual([
      { kind: 'kick', to: 'john@example.org/phone', body: 'not-authorized', at: expect.any(Number) },
    ]);
    expect(usernames(s)).toEqual(['admin', 'carol', 'jane', 'john']);
  });

  it('a user without sessions is locked out; other sessions stay', async () => {
    await expectExchange({ type: 'disable', username: 'jane' }, OK, { 'POST /lockouts/{username}': 1 });
    const s = await t.state();
    expect(s.lockouts).toEqual(['jane']);
    expect(s.sessions.map((session) => session.sessionId)).toEqual(['john@example.org/phone']);
    expect(s.outbox).toEqual([]);
  });

  it('a user already locked out is ok', async () => {
    await arrange((s) => {
      s.lockouts.push('jane');
    });
    await expectRefused({ type: 'disable', username: 'jane' }, OK, { 'POST /lockouts/{username}': 1 });
  });

  it('an unknown user is a UserNotFoundException after one call', async () => {
    await expectRefused({ type: 'disable', username: 'nobody' }, NOT_FOUND, { 'POST /lockouts/{username}': 1 });
  });

  it('an Openfire that is unavailable is ServiceUnavailable; an unexpected upstream failure is ServiceError', async () => {
    const emulator = await t.ready;
    emulator.faults.add({ route: 'POST /lockouts/{username}', status: 503 });
    await expectRefused({ type: 'disable', username: 'john' }, error('ServiceUnavailable'), {
      'POST /lockouts/{username}': 1,
    });
    emulator.faults.clear();
    await resetCalls();
    emulator.faults.add({ route: 'POST /lockouts/{username}', status: 500 });
    await expectRefused({ type: 'disable', username: 'john' }, error('ServiceError'), {
      'POST /lockouts/{username}': 1,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('update', () => {
  it('sets the name with GET and PUT, re-sending the properties (carol keeps hers)', async () => {
    await expectExchange({ type: 'update', username: 'carol', name: 'Carol Ng' }, OK, {
      'GET /users/{username}': 1,
      'PUT /users/{username}': 1,
    });
    const s = await t.state();
    expect(userIn(s, 'carol')).toEqual({
      username: 'carol',
      name: 'Carol Ng',
      email: 'carol@example.com',
      password: 'pw',
      properties: { department: 'sales', 'console.order': '1' },
      creationDate: defined(
        legacySeed().users.find((u) => u.username === 'carol'),
        'carol in the seed',
      ).creationDate,
      modificationDate: expect.any(Number),
    });
    expect(usernames(s)).toEqual(['admin', 'carol', 'jane', 'john']);
    expect(s.groups).toEqual(legacySeed().groups);
  });

  it('sets password and email; the password change is visible', async () => {
    await expectExchange({ type: 'update', username: 'CAROL', password: 'n3w', email: 'c@example.net' }, OK, {
      'GET /users/{username}': 1,
      'PUT /users/{username}': 1,
    });
    expect(userIn(await t.state(), 'carol')).toMatchObject({
      name: 'Carol',
      email: 'c@example.net',
      password: 'n3w',
      properties: { department: 'sales', 'console.order': '1' },
    });
  });

  it('name= and email= (present, empty) clear them; absent fields stay', async () => {
    await expectExchange({ type: 'update', username: 'jane', name: '', email: '' }, OK, {
      'GET /users/{username}': 1,
      'PUT /users/{username}': 1,
    });
    expect(userIn(await t.state(), 'jane')).toMatchObject({
      username: 'jane',
      name: null,
      email: null,
      password: 'secret',
      properties: {},
    });
  });

  it('with no field and no groups only checks that the user exists', async () => {
    await expectRefused({ type: 'update', username: 'jane' }, OK, { 'GET /users/{username}': 1 });
  });

  it('password= (empty) is an IllegalArgumentException, before any call', async () => {
    await expectRefused({ type: 'update', username: 'jane', password: '' }, ILLEGAL);
    await expectRefused({ type: 'update', username: 'jane', password: '', name: 'X', groups: 'ops' }, ILLEGAL);
  });

  it('an unknown user is a UserNotFoundException: after GET user with fields, GET groups with groups, both with both', async () => {
    await expectRefused({ type: 'update', username: 'nobody', name: 'X' }, NOT_FOUND, { 'GET /users/{username}': 1 });
    await resetCalls();
    await expectRefused({ type: 'update', username: 'nobody', groups: 'ops' }, NOT_FOUND, {
      'GET /users/{username}/groups': 1,
    });
    await resetCalls();
    // Both lookups run in parallel and the reply goes out when the first fails, so the second may still be on its
    // way to Openfire: wait for its count rather than racing it.
    const before = await t.state();
    expectReply(await send({ type: 'update', username: 'nobody', groups: 'newgrp', email: 'x@y' }), NOT_FOUND);
    await expect
      .poll(() => t.upstreamCalls())
      .toEqual({ total: 2, routes: { 'GET /users/{username}': 1, 'GET /users/{username}/groups': 1 } });
    expect(await t.state()).toEqual(before);
    await resetCalls();
    await expectRefused({ type: 'update', username: 'nobody' }, NOT_FOUND, { 'GET /users/{username}': 1 });
  });

  it('groups: joins the listed groups and leaves the member lists of the others; an admin stays admin', async () => {
    // john: admin of ops, member of staff.
    await expectExchange({ type: 'update', username: 'john', groups: 'sales' }, OK, {
      'GET /users/{username}/groups': 1,
      'POST /groups': 1,
      'POST /users/{username}/groups': 1,
      'DELETE /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(groupIn(s, 'sales')).toEqual(seedGroup('sales', [JANE, CAROL, JOHN], []));
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JANE], [ADMIN]));
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [JANE], [JOHN]));
    expect(userIn(s, 'john')).toEqual(legacySeed().users.find((u) => u.username === 'john'));
  });

  it('groups= (empty) leaves every member list in two calls; admin rows stay', async () => {
    await expectExchange({ type: 'update', username: 'john', groups: '' }, OK, {
      'GET /users/{username}/groups': 1,
      'DELETE /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JANE], [ADMIN]));
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [JANE], [JOHN]));
    await resetCalls();
    await expectExchange({ type: 'usergrouplist', username: 'john' }, list('ops'), {
      'GET /users/{username}/groups': 1,
    });
  });

  it('groups= for jane (member everywhere) leaves all three groups', async () => {
    await expectExchange({ type: 'update', username: 'jane', groups: '' }, OK, {
      'GET /users/{username}/groups': 1,
      'DELETE /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [], [JOHN]));
    expect(groupIn(s, 'sales')).toEqual(seedGroup('sales', [CAROL], []));
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JOHN], [ADMIN]));
  });

  it('groups listing the current ones changes nothing after one call', async () => {
    await expectRefused({ type: 'update', username: 'john', groups: 'staff,ops' }, OK, {
      'GET /users/{username}/groups': 1,
    });
  });

  it('a missing group is created with the user as member; a kept group is not touched', async () => {
    await expectExchange({ type: 'update', username: 'john', groups: 'staff,newgrp' }, OK, {
      'GET /users/{username}/groups': 1,
      'POST /groups': 1,
      'DELETE /users/{username}/groups': 1,
    });
    const s = await t.state();
    expect(groupIn(s, 'newgrp')).toEqual(newGroup('newgrp', [JOHN]));
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JOHN, JANE], [ADMIN]));
    expect(groupIn(s, 'ops')).toEqual(seedGroup('ops', [JANE], [JOHN]));
  });

  it('fields and groups together: GET user, GET groups, the group calls, then PUT', async () => {
    await expectExchange({ type: 'update', username: 'carol', name: 'C', groups: 'sales,staff' }, OK, {
      'GET /users/{username}': 1,
      'GET /users/{username}/groups': 1,
      'POST /groups': 1,
      'POST /users/{username}/groups': 1,
      'DELETE /users/{username}/groups': 1,
      'PUT /users/{username}': 1,
    });
    const s = await t.state();
    expect(userIn(s, 'carol')).toMatchObject({ name: 'C', properties: { department: 'sales', 'console.order': '1' } });
    expect(groupIn(s, 'staff')).toEqual(seedGroup('staff', [JOHN, JANE, CAROL], [ADMIN]));
    expect(groupIn(s, 'team')).toEqual(seedGroup('team', [], []));
    expect(groupIn(s, 'sales')).toEqual(seedGroup('sales', [JANE, CAROL], []));
  });

  it.each([' ', 'ok, ', 'a/b', '.', '..'])(
    'a group token %j that is whitespace-only, holds / or is . or .. is an IllegalArgumentException, before any call',
    async (groups) => {
      await expectRefused({ type: 'update', username: 'jane', name: 'X', groups }, ILLEGAL);
    },
  );

  it('never renames: a differently cased username updates the user itself', async () => {
    await expectExchange({ type: 'update', username: ' JANE ', name: 'Janet' }, OK, {
      'GET /users/{username}': 1,
      'PUT /users/{username}': 1,
    });
    const s = await t.state();
    expect(usernames(s)).toEqual(['admin', 'carol', 'jane', 'john']);
    expect(userIn(s, 'jane')).toMatchObject({ name: 'Janet', email: 'jane.doe@example.com', password: 'secret' });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('add_roster', () => {
  it('checks the user and creates the item with nickname, groups and subscription', async () => {
    await expectExchange(
      {
        type: 'add_roster',
        username: 'jane',
        item_jid: 'admin@example.org',
        name: 'Boss',
        groups: 'Work,Friends',
        subscription: '3',
      },
      OK,
      { 'GET /users/{username}': 1, 'POST /users/{username}/roster': 1 },
    );
    const s = await t.state();
    expect(s.rosters.jane).toEqual([
      { jid: JOHN, nickname: 'John', subscription: 3, groups: [] },
      { jid: ADMIN, nickname: 'Boss', subscription: 3, groups: ['Work', 'Friends'] },
    ]);
    expect(s.rosters.john).toEqual(legacySeed().rosters.john);
  });

  it('without name, groups and subscription: no nickname, no groups, subscription none', async () => {
    await expectExchange({ type: 'add_roster', username: 'Carol', item_jid: 'jane@example.org' }, OK, {
      'GET /users/{username}': 1,
      'POST /users/{username}/roster': 1,
    });
    expect((await t.state()).rosters.carol).toEqual([{ jid: JANE, nickname: null, subscription: 0, groups: [] }]);
  });

  it('stores the bare, normalised item_jid; groups tokens as given (not trimmed, empties skipped, repeats kept as Openfire keeps them)', async () => {
    await expectExchange(
      { type: 'add_roster', username: 'carol', item_jid: 'Someone@Remote.Example/phone', groups: ',A, b,,A' },
      OK,
      {
        'GET /users/{username}': 1,
        'POST /users/{username}/roster': 1,
      },
    );
    expect((await t.state()).rosters.carol).toEqual([
      { jid: 'someone@remote.example', nickname: null, subscription: 0, groups: ['A', ' b', 'A'] },
    ]);
  });

  it('a domain-only item_jid is accepted', async () => {
    await expectExchange({ type: 'add_roster', username: 'carol', item_jid: 'conference.example.org' }, OK, {
      'GET /users/{username}': 1,
      'POST /users/{username}/roster': 1,
    });
    expect(rosterItemIn(await t.state(), 'carol', 'conference.example.org')).toEqual({
      jid: 'conference.example.org',
      nickname: null,
      subscription: 0,
      groups: [],
    });
  });

  it.each(['-1', '0', '1', '2', '3'])('subscription=%s is accepted and stored', async (subscription) => {
    await expectExchange({ type: 'add_roster', username: 'carol', item_jid: ADMIN, subscription }, OK, {
      'GET /users/{username}': 1,
      'POST /users/{username}/roster': 1,
    });
    expect(rosterItemIn(await t.state(), 'carol', ADMIN)?.subscription).toBe(Number(subscription));
  });

  it.each(['4', 'x', '', ' 1', '+1', '01', '-2', '1.0'])(
    'subscription=%j is an IllegalArgumentException, before any call',
    async (subscription) => {
      await expectRefused({ type: 'add_roster', username: 'carol', item_jid: ADMIN, subscription }, ILLEGAL);
    },
  );

  it('a missing item_jid is an IllegalArgumentException, before any call', async () => {
    await expectRefused({ type: 'add_roster', username: 'carol', name: 'X' }, ILLEGAL);
  });

  it.each(['a@b@c', '@x', '', 'a@', 'jane@example.org/', 'a b@example.org', 'x@do main', '.', '..'])(
    'an invalid item_jid %j is an IllegalArgumentException after the user lookup; for an unknown user a UserNotFoundException',
    async (itemJid) => {
      await expectRefused({ type: 'add_roster', username: 'carol', item_jid: itemJid }, ILLEGAL, {
        'GET /users/{username}': 1,
      });
      await resetCalls();
      await expectRefused({ type: 'add_roster', username: 'nobody', item_jid: itemJid }, NOT_FOUND, {
        'GET /users/{username}': 1,
      });
    },
  );

  it('an existing item is a UserAlreadyExistsException after two calls, the item unchanged', async () => {
    await expectRefused(
      { type: 'add_roster', username: 'john', item_jid: 'JANE@example.org/laptop', name: 'Other', subscription: '1' },
      EXISTS,
      {
        'GET /users/{username}': 1,
        'POST /users/{username}/roster': 1,
      },
    );
  });

  it('an unknown user is a UserNotFoundException after one call, and gets no roster', async () => {
    await expectRefused({ type: 'add_roster', username: 'nobody', item_jid: JANE }, NOT_FOUND, {
      'GET /users/{username}': 1,
    });
  });

  it('a roster group named like a shown shared group (Team) is a SharedGroupException after two calls', async () => {
    await expectRefused({ type: 'add_roster', username: 'jane', item_jid: ADMIN, groups: 'Friends,Team' }, SHARED, {
      'GET /users/{username}': 1,
      'POST /users/{username}/roster': 1,
    });
  });

  it('a roster group named like a non-shown group is accepted', async () => {
    await expectExchange({ type: 'add_roster', username: 'jane', item_jid: ADMIN, groups: 'ops' }, OK, {
      'GET /users/{username}': 1,
      'POST /users/{username}/roster': 1,
    });
    expect(rosterItemIn(await t.state(), 'jane', ADMIN)?.groups).toEqual(['ops']);
  });

  it('stores a nickname with & and < as given', async () => {
    await expectExchange({ type: 'add_roster', username: 'jane', item_jid: ADMIN, name: 'R&D <boss>' }, OK, {
      'GET /users/{username}': 1,
      'POST /users/{username}/roster': 1,
    });
    expect(rosterItemIn(await t.state(), 'jane', ADMIN)?.nickname).toBe('R&D <boss>');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('update_roster', () => {
  /** john's item for jane with personal groups, so "unchanged" can be told from "cleared". */
  const withGroups = () =>
    arrange((s) => {
      defined(rosterItemIn(s, 'john', JANE), "john's item for jane").groups = ['Family', 'Work'];
    });

  it('a name with a subscription: one PUT; groups stay', async () => {
    await withGroups();
    await expectExchange(
      { type: 'update_roster', username: 'john', item_jid: JANE, name: 'Janie', subscription: '1' },
      OK,
      {
        'PUT /users/{username}/roster/{rosterJid}': 1,
      },
    );
    const s = await t.state();
    expect(s.rosters.john).toEqual([{ jid: JANE, nickname: 'Janie', subscription: 1, groups: ['Family', 'Work'] }]);
    expect(s.rosters.jane).toEqual(legacySeed().rosters.jane);
  });

  it('name and groups: the roster read, a PUT for groups and subscription, a PUT for the nickname (3 calls)', async () => {
    await withGroups();
    await expectExchange(
      {
        type: 'update_roster',
        username: 'john',
        item_jid: JANE,
        name: 'Janie',
        groups: 'Friends,Gym,Friends',
        subscription: '1',
      },
      OK,
      {
        'GET /users/{username}/roster': 1,
        'PUT /users/{username}/roster/{rosterJid}': 2,
      },
    );
    const s = await t.state();
    expect(s.rosters.john).toEqual([
      { jid: JANE, nickname: 'Janie', subscription: 1, groups: ['Friends', 'Gym', 'Friends'] },
    ]);
    expect(s.rosters.jane).toEqual(legacySeed().rosters.jane);
    await resetCalls();
    // Without a subscription the same three calls: the one read serves both.
    await expectExchange({ type: 'update_roster', username: 'john', item_jid: JANE, name: 'J', groups: 'Work' }, OK, {
      'GET /users/{username}/roster': 1,
      'PUT /users/{username}/roster/{rosterJid}': 2,
    });
    expect((await t.state()).rosters.john).toEqual([{ jid: JANE, nickname: 'J', subscription: 1, groups: ['Work'] }]);
  });

  it('without a subscription: reads the roster and keeps the subscription (GET roster + PUT)', async () => {
    await withGroups();
    await expectExchange({ type: 'update_roster', username: 'john', item_jid: JANE, name: 'Janie' }, OK, {
      'GET /users/{username}/roster': 1,
      'PUT /users/{username}/roster/{rosterJid}': 1,
    });
    expect((await t.state()).rosters.john).toEqual([
      { jid: JANE, nickname: 'Janie', subscription: 3, groups: ['Family', 'Work'] },
    ]);
  });

  it('an absent name keeps the nickname; groups are replaced', async () => {
    await withGroups();
    await expectExchange(
      { type: 'update_roster', username: 'john', item_jid: JANE, groups: 'Work,Gym', subscription: '2' },
      OK,
      {
        'PUT /users/{username}/roster/{rosterJid}': 1,
      },
    );
    expect((await t.state()).rosters.john).toEqual([
      { jid: JANE, nickname: 'Jane', subscription: 2, groups: ['Work', 'Gym'] },
    ]);
  });

  it('name= and groups= (present, empty) clear nickname and groups', async () => {
    await withGroups();
    await expectExchange({ type: 'update_roster', username: 'john', item_jid: JANE, name: '', groups: '' }, OK, {
      'GET /users/{username}/roster': 1,
      'PUT /users/{username}/roster/{rosterJid}': 2,
    });
    expect((await t.state()).rosters.john).toEqual([{ jid: JANE, nickname: '', subscription: 3, groups: [] }]);
  });

  it('only a subscription: nickname and groups stay', async () => {
    await withGroups();
    await expectExchange(
      { type: 'update_roster', username: 'JOHN', item_jid: 'Jane@Example.org/phone', subscription: '0' },
      OK,
      {
        'PUT /users/{username}/roster/{rosterJid}': 1,
      },
    );
    expect((await t.state()).rosters.john).toEqual([
      { jid: JANE, nickname: 'Jane', subscription: 0, groups: ['Family', 'Work'] },
    ]);
  });

  it('nothing but the item: changes nothing (GET roster + PUT)', async () => {
    await withGroups();
    await expectRefused({ type: 'update_roster', username: 'john', item_jid: JANE }, OK, {
      'GET /users/{username}/roster': 1,
      'PUT /users/{username}/roster/{rosterJid}': 1,
    });
  });

  it.each(['-1', '0', '1', '2', '3'])('subscription=%s is accepted and stored', async (subscription) => {
    await expectExchange({ type: 'update_roster', username: 'john', item_jid: JANE, subscription }, OK, {
      'PUT /users/{username}/roster/{rosterJid}': 1,
    });
    expect((await t.state()).rosters.john).toEqual([
      { jid: JANE, nickname: 'Jane', subscription: Number(subscription), groups: [] },
    ]);
  });

  it.each(['4', 'x', '', '3 '])(
    'subscription=%j is an IllegalArgumentException, before any call',
    async (subscription) => {
      await expectRefused(
        { type: 'update_roster', username: 'john', item_jid: JANE, name: 'X', subscription },
        ILLEGAL,
      );
    },
  );

  it('a missing item_jid is an IllegalArgumentException, before any call', async () => {
    await expectRefused({ type: 'update_roster', username: 'john', name: 'X', subscription: '1' }, ILLEGAL);
  });

  it.each(['a@b@c', '@x', '', '.', '..'])(
    'an invalid item_jid %j is an IllegalArgumentException after one user lookup; for an unknown user a UserNotFoundException',
    async (itemJid) => {
      await expectRefused({ type: 'update_roster', username: 'john', item_jid: itemJid, name: 'X' }, ILLEGAL, {
        'GET /users/{username}': 1,
      });
      await resetCalls();
      await expectRefused(
        { type: 'update_roster', username: 'nobody', item_jid: itemJid, subscription: '1' },
        NOT_FOUND,
        { 'GET /users/{username}': 1 },
      );
    },
  );

  it('a missing item is a UserNotFoundException: after the PUT with a subscription, after the GET without', async () => {
    await expectRefused(
      { type: 'update_roster', username: 'john', item_jid: ADMIN, name: 'X', subscription: '1' },
      NOT_FOUND,
      {
        'PUT /users/{username}/roster/{rosterJid}': 1,
      },
    );
    await resetCalls();
    await expectRefused({ type: 'update_roster', username: 'john', item_jid: ADMIN, name: 'X' }, NOT_FOUND, {
      'GET /users/{username}/roster': 1,
    });
  });

  it('an unknown user is a UserNotFoundException after one call, and gets no roster', async () => {
    await expectRefused({ type: 'update_roster', username: 'nobody', item_jid: JANE, subscription: '1' }, NOT_FOUND, {
      'PUT /users/{username}/roster/{rosterJid}': 1,
    });
    await resetCalls();
    await expectRefused({ type: 'update_roster', username: 'nobody', item_jid: JANE, name: 'X' }, NOT_FOUND, {
      'GET /users/{username}/roster': 1,
    });
  });

  it('a roster group named like a shown shared group (Team) is a SharedGroupException', async () => {
    await expectRefused(
      { type: 'update_roster', username: 'john', item_jid: JANE, groups: 'Team', subscription: '3' },
      SHARED,
      {
        'PUT /users/{username}/roster/{rosterJid}': 1,
      },
    );
    await resetCalls();
    await expectRefused({ type: 'update_roster', username: 'john', item_jid: JANE, groups: 'Friends,Team' }, SHARED, {
      'GET /users/{username}/roster': 1,
      'PUT /users/{username}/roster/{rosterJid}': 1,
    });
  });

  it('a SharedGroupException with a name changes nothing: the groups PUT is refused before the nickname PUT is sent', async () => {
    await withGroups();
    await expectRefused(
      { type: 'update_roster', username: 'john', item_jid: JANE, name: 'X', groups: 'Team', subscription: '1' },
      SHARED,
      {
        'GET /users/{username}/roster': 1,
        'PUT /users/{username}/roster/{rosterJid}': 1,
      },
    );
    expect((await t.state()).rosters.john).toEqual([
      { jid: JANE, nickname: 'Jane', subscription: 3, groups: ['Family', 'Work'] },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('delete_roster', () => {
  it('deletes the item in one call, cancelling the mirrored subscription', async () => {
    await expectExchange({ type: 'delete_roster', username: 'john', item_jid: JANE }, OK, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
    const s = await t.state();
    expect(s.rosters.john).toEqual([]);
    expect(s.rosters.jane).toEqual([{ jid: JOHN, nickname: 'John', subscription: 0, groups: [] }]);
  });

  it('normalises username and item_jid (case, resource)', async () => {
    await expectExchange({ type: 'delete_roster', username: ' Jane', item_jid: 'JOHN@Example.ORG/phone' }, OK, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
    expect((await t.state()).rosters.jane).toEqual([]);
  });

  it('a missing item is ok', async () => {
    await expectRefused({ type: 'delete_roster', username: 'john', item_jid: ADMIN }, OK, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
    await resetCalls();
    await expectRefused({ type: 'delete_roster', username: 'carol', item_jid: JANE }, OK, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
  });

  it('a valid subscription is ignored', async () => {
    await expectExchange({ type: 'delete_roster', username: 'john', item_jid: JANE, subscription: '-1' }, OK, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
    expect((await t.state()).rosters.john).toEqual([]);
  });

  it('an unknown user is a UserNotFoundException after one call', async () => {
    await expectRefused({ type: 'delete_roster', username: 'nobody', item_jid: JANE }, NOT_FOUND, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
  });

  it('a contact from a shared group is a SharedGroupException', async () => {
    // dave joins the shared group team (display name Team, shown to its members), where carol is.
    expectReply(await send({ type: 'add', username: 'dave', password: 'pw', groups: 'team' }), OK);
    await resetCalls();
    await expectRefused({ type: 'delete_roster', username: 'dave', item_jid: CAROL }, SHARED, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
    await resetCalls();
    await expectRefused({ type: 'delete_roster', username: 'carol', item_jid: 'Dave@example.org' }, SHARED, {
      'DELETE /users/{username}/roster/{rosterJid}': 1,
    });
  });

  it('a missing item_jid is an IllegalArgumentException, before any call (openfire-rest-api.md §12.2 step 7)', async () => {
    await expectRefused({ type: 'delete_roster', username: 'john' }, ILLEGAL);
  });

  it.each(['4', 'x', ''])(
    'subscription=%j is an IllegalArgumentException, before any call (openfire-rest-api.md §12.2 step 7)',
    async (subscription) => {
      await expectRefused({ type: 'delete_roster', username: 'john', item_jid: JANE, subscription }, ILLEGAL);
    },
  );

  it.each(['a@b@c', '@x', '', '.', '..'])(
    'an invalid item_jid %j is an IllegalArgumentException after one user lookup; for an unknown user a UserNotFoundException',
    async (itemJid) => {
      await expectRefused({ type: 'delete_roster', username: 'john', item_jid: itemJid }, ILLEGAL, {
        'GET /users/{username}': 1,
      });
      await resetCalls();
      await expectRefused({ type: 'delete_roster', username: 'nobody', item_jid: itemJid }, NOT_FOUND, {
        'GET /users/{username}': 1,
      });
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------

describe('grouplist', () => {
  const ALL = list('ops', 'sales', 'staff', 'team');

  it('lists every group name, sorted, in one call', async () => {
    await expectRefused({ type: 'grouplist' }, ALL, { 'GET /groups': 1 });
  });

  it('ignores the username, even one nodeprep refuses or that does not exist', async () => {
    await expectRefused({ type: 'grouplist', username: 'nobody' }, ALL, { 'GET /groups': 1 });
    await resetCalls();
    await expectRefused({ type: 'grouplist', username: 'a\u0080b' }, ALL, { 'GET /groups': 1 });
    await resetCalls();
    await expectRefused({ type: 'grouplist', username: '' }, ALL, { 'GET /groups': 1 });
  });

  it('is a POST form too', async () => {
    expectReply(await send('type=grouplist', 'POST'), ALL);
    await expectCalls({ 'GET /groups': 1 });
  });

  it('no groups is <result></result>', async () => {
    await arrange((s) => {
      s.groups = [];
    });
    await expectRefused({ type: 'grouplist' }, '<result></result>\n', { 'GET /groups': 1 });
  });

  it('shows groups created by add, escaped: & as &amp;, < as &lt;', async () => {
    await send({ type: 'add', username: 'dave', password: 'pw', groups: 'R&D,a<b' });
    await resetCalls();
    await expectRefused({ type: 'grouplist' }, list('R&amp;D', 'a&lt;b', 'ops', 'sales', 'staff', 'team'), {
      'GET /groups': 1,
    });
  });
});

describe('grouplist with seeded names that need escaping', () => {
  const seed = legacySeed();
  const extra = (name: string): GroupRecord => ({ ...newGroup(name, []), description: 'seeded' });
  const names = ['R&D', 'a<b>c', 'Tom "T"', "O'Neil", 'x]]>y', 'two\nlines\r', 'Zoë', 'Ops', 'bad\u0001name'];
  const s = useLegacy({ seed: { ...seed, groups: [...seed.groups, ...names.map(extra)] } });

  it('escapes only &, <, ]]> and line breaks, sends a character XML cannot carry as U+FFFD and sorts by code unit', async () => {
    const reply = await s.send({ type: 'grouplist', secret: LEGACY_SECRET });
    expectReply(
      reply,
      list(
        "O'Neil",
        'Ops',
        'R&amp;D',
        'Tom "T"',
        'Zoë',
        'a&lt;b>c',
        'bad\ufffdname',
        'ops',
        'sales',
        'staff',
        'team',
        'two&#10;lines&#13;',
        'x]]&gt;y',
      ),
    );
    expect(await s.upstreamCalls()).toEqual({ total: 1, routes: { 'GET /groups': 1 } });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('usergrouplist', () => {
  it('lists the groups where the user is a member, sorted, in one call', async () => {
    await expectRefused({ type: 'usergrouplist', username: 'jane' }, list('ops', 'sales', 'staff'), {
      'GET /users/{username}/groups': 1,
    });
  });

  it('includes groups where the user is an admin', async () => {
    await expectRefused({ type: 'usergrouplist', username: 'John' }, list('ops', 'staff'), {
      'GET /users/{username}/groups': 1,
    });
    await resetCalls();
    await expectRefused({ type: 'usergrouplist', username: ' ADMIN ' }, list('staff'), {
      'GET /users/{username}/groups': 1,
    });
    await resetCalls();
    await expectRefused({ type: 'usergrouplist', username: 'carol' }, list('sales', 'team'), {
      'GET /users/{username}/groups': 1,
    });
  });

  it('a user in no group is <result></result>', async () => {
    await arrange((s) => {
      defined(groupIn(s, 'staff'), 'group staff').admins = [];
    });
    await expectRefused({ type: 'usergrouplist', username: 'admin' }, '<result></result>\n', {
      'GET /users/{username}/groups': 1,
    });
  });

  it('& and < are escaped, > and quotes sent as they are', async () => {
    await send({ type: 'add', username: 'Bob Smith', password: 'pw', groups: `R&D,x>y,a<b,"q",o'o` });
    await resetCalls();
    await expectRefused(
      { type: 'usergrouplist', username: 'bob smith' },
      list('"q"', 'R&amp;D', 'a&lt;b', "o'o", 'x>y'),
      { 'GET /users/{username}/groups': 1 },
    );
  });

  it('an unknown user is a UserNotFoundException after one call', async () => {
    await expectRefused({ type: 'usergrouplist', username: 'nobody' }, NOT_FOUND, {
      'GET /users/{username}/groups': 1,
    });
  });
});
