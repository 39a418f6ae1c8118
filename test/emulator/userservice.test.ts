import { describe, expect, it } from 'vitest';
import { newGroup } from '../../src/emulator/domain.js';
import { userServiceHandlers } from '../../src/emulator/handlers/userservice.js';
import type { EmuRequest } from '../../src/emulator/http/types.js';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { type Snapshot, Store } from '../../src/emulator/store.js';
import { defined } from '../helpers/defined.js';
import {
  type ApiResponse,
  groupIn,
  putGroup,
  rosterItemIn,
  SECRET,
  setProperty,
  settings,
  useEmulator,
  userIn,
} from '../helpers/emulator.js';

const t = useEmulator();

type Params = Record<string, string>;

const state = async (): Promise<Snapshot> => (await t.ready).snapshot();
const edit = async (change: (draft: Snapshot) => void): Promise<void> => (await t.ready).edit(change);
const query = (params: Params): string => new URLSearchParams(params).toString();

/** A GET with the shared secret unless the parameters say otherwise. */
const legacy = (params: Params, headers: Params = {}) =>
  t.api('GET', `/userservice?${query({ secret: SECRET, ...params })}`, { auth: null, headers });

const form = (body: string, path = '/userservice') =>
  t.api('POST', path, { auth: null, body, contentType: 'application/x-www-form-urlencoded' });

function expectReply(res: ApiResponse, line: string): void {
  expect(res.status).toBe(200);
  expect(res.text).toBe(`${line}\n`);
  expect(res.headers['content-type']).toBe('text/xml;charset=iso-8859-1');
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
}

const expectLegacy = async (params: Params, line: string): Promise<void> => expectReply(await legacy(params), line);

/** A request as the pipeline hands it to the handler, for checks HTTP cannot reach. */
const directGet = (params: Params): EmuRequest => ({
  method: 'GET',
  route: 'GET /userservice',
  params: {},
  query: new URLSearchParams(params),
  headers: {},
  body: null,
  rawBody: '',
  remoteAddress: '127.0.0.1',
  format: 'xml',
});

const OK = '<result>ok</result>';
const err = (code: string): string => `<error>${code}</error>`;
const JOHN = 'john@example.org';
const JANE = 'jane@example.org';

type Show = 'onlyGroup' | 'nobody' | 'everybody';

async function addGroup(name: string, show: Show, members: string[] = [], admins: string[] = []): Promise<void> {
  const group = { ...newGroup(name, null, 'nobody'), members, admins };
  group.properties['sharedRoster.showInRoster'] = show;
  await edit((draft) => putGroup(draft, group));
}

describe('legacy userservice: checks and their order (openfire-rest-api.md §12.2)', () => {
  it('refuses a client outside the allowlist before looking at the secret', async () => {
    await edit((draft) => setProperty(draft, 'plugin.restapi.allowedIPs', '10.0.0.1'));
    await expectLegacy({ type: 'grouplist' }, err('RequestNotAuthorised'));
    expectReply(await legacy({ type: 'grouplist' }, { 'x-forwarded-for': '10.0.0.1' }), '<result></result>');
  });

  it('answers the disabled plugin with a 403 container page before the handler runs', async () => {
    await edit((draft) => setProperty(draft, 'plugin.restapi.enabled', 'false'));
    const res = await legacy({ type: 'grouplist' });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('UserServiceDisabled');
  });

  it('replies UserServiceDisabled when the handler itself sees the plugin disabled', () => {
    const seed = demoSeed(settings);
    setProperty(seed, 'plugin.restapi.enabled', 'false');
    const store = new Store(seed);
    const req = directGet({ type: 'grouplist', secret: SECRET });
    const reply = userServiceHandlers['GET /userservice'](req, { store, timeZone: 'UTC', httpAuthAtLoad: 'secret' });
    expect(reply).toMatchObject({ kind: 'raw', status: 200, body: `${err('UserServiceDisabled')}\n`, cors: false });
  });

  it('replies RequestNotAuthorised for a missing or wrong secret, before checking the username', async () => {
    await expectLegacy({ type: 'add', secret: 'nope' }, err('RequestNotAuthorised'));
    expectReply(await t.api('GET', '/userservice?type=grouplist', { auth: null }), err('RequestNotAuthorised'));
  });

  it('accepts an empty secret once the secret property was deleted', async () => {
    await edit((draft) => {
      draft.properties = draft.properties.filter(([key]) => key !== 'plugin.restapi.secret');
    });
    await expectLegacy({ type: 'grouplist', secret: '' }, '<result></result>');
  });

  it('needs a username for every type but grouplist, also when the type is missing', async () => {
    await expectLegacy({ type: 'add', password: 'x' }, err('IllegalArgumentException'));
    await expectLegacy({}, err('IllegalArgumentException'));
  });

  it('fails with an unmapped 500 when the type is missing but a username is given', async () => {
    const res = await legacy({ username: 'john' });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).not.toContain('text/xml');
  });

  it('checks item_jid and subscription of the roster types, delete_roster included', async () => {
    await expectLegacy({ type: 'add_roster', username: 'john' }, err('IllegalArgumentException'));
    for (const type of ['add_roster', 'update_roster', 'delete_roster']) {
      const params = { type, username: 'john', item_jid: JANE, subscription: '4' };
      await expectLegacy(params, err('IllegalArgumentException'));
    }
    const emptySubscription = { type: 'add_roster', username: 'nobody', item_jid: JANE, subscription: '' };
    await expectLegacy(emptySubscription, err('IllegalArgumentException'));
  });

  it('writes nothing for an unknown type: 200 on GET, 204 on POST', async () => {
    const get = await legacy({ type: 'ADD', username: 'someone', password: 'x' });
    expect(get.status).toBe(200);
    expect(get.text).toBe('');
    const post = await form(query({ type: 'frobnicate', username: 'someone', secret: SECRET }));
    expect(post.status).toBe(204);
    expect(userIn(await state(), 'someone')).toBeUndefined();
  });

  it('normalises the username before dispatching, so an unknown type still reports a stringprep failure', async () => {
    const failure = 'gnu.inet.encoding.StringprepException: Contains prohibited code points.';
    await expectLegacy({ type: 'frobnicate', username: 'a\u0007b' }, err(failure));
  });
});

describe('legacy userservice: username normalisation (openfire-rest-api.md §12.3)', () => {
  it('trims and lowercases before looking the user up', async () => {
    await expectLegacy({ type: 'disable', username: '  JOHN ' }, OK);
    expect((await state()).lockouts).toContain('john');
  });

  it('escapes spaces and @ as XEP-0106 sequences', async () => {
    await expectLegacy({ type: 'add', username: 'Jane Doe@home', password: 'pw' }, OK);
    expect(userIn(await state(), 'jane\\20doe\\40home')).toBeDefined();
  });
});

describe('legacy userservice: add', () => {
  it('creates the user with password, name and email', async () => {
    const params = { type: 'add', username: 'kafka', password: 'drowssap', name: 'franz', email: 'franz@kafka.com' };
    await expectLegacy(params, OK);
    const kafka = userIn(await state(), 'kafka');
    expect(kafka).toMatchObject({ password: 'drowssap', name: 'franz', email: 'franz@kafka.com' });
  });

  it('changes the state the REST API reads', async () => {
    await expectLegacy({ type: 'add', username: 'kafka', password: 'pw', name: 'Franz', groups: 'writers' }, OK);
    const user = await t.api('GET', '/users/kafka', { accept: 'application/json' });
    expect(user.json()).toMatchObject({ username: 'kafka', name: 'Franz' });
    const groups = await t.api('GET', '/users/kafka/groups', { accept: 'application/json' });
    expect(groups.json()).toEqual({ groupnames: ['writers'] });
  });

  it('auto-creates missing groups as non-shared and joins existing ones as member', async () => {
    await addGroup('staff', 'onlyGroup');
    await expectLegacy({ type: 'add', username: 'kafka', password: 'pw', groups: 'support,,staff' }, OK);
    const s = await state();
    expect(groupIn(s, 'support')).toEqual({
      name: 'support',
      description: null,
      members: ['kafka@example.org'],
      admins: [],
      properties: {
        'sharedRoster.showInRoster': 'nobody',
        'sharedRoster.displayName': 'support',
        'sharedRoster.groupList': '',
      },
    });
    const staff = defined(groupIn(s, 'staff'), 'group staff');
    expect(staff.members).toEqual(['kafka@example.org']);
    expect(staff.properties['sharedRoster.showInRoster']).toBe('onlyGroup');
  });

  it('keeps the user and the groups created so far when a whitespace-only group fails', async () => {
    const failure = 'org.jivesoftware.openfire.group.GroupNameInvalidException: Group name cannot be empty';
    await expectLegacy({ type: 'add', username: 'kafka', password: 'pw', groups: 'a, ,b' }, err(failure));
    const s = await state();
    expect(userIn(s, 'kafka')).toBeDefined();
    expect(groupIn(s, 'a')?.members).toEqual([]);
    expect(groupIn(s, 'b')).toBeUndefined();
  });

  it('reports an existing user regardless of case', async () => {
    await expectLegacy({ type: 'add', username: 'John', password: 'pw' }, err('UserAlreadyExistsException'));
  });

  it('rejects a missing or empty password and an empty username', async () => {
    await expectLegacy({ type: 'add', username: 'kafka' }, err('IllegalArgumentException'));
    await expectLegacy({ type: 'add', username: 'kafka', password: '' }, err('IllegalArgumentException'));
    await expectLegacy({ type: 'add', username: '   ', password: 'pw' }, err('IllegalArgumentException'));
    expect(userIn(await state(), 'kafka')).toBeUndefined();
  });
});

describe('legacy userservice: delete, enable, disable', () => {
  it('deletes the user and its roster', async () => {
    await expectLegacy({ type: 'delete', username: 'john' }, OK);
    const s = await state();
    expect(userIn(s, 'john')).toBeUndefined();
    expect(s.rosters).not.toHaveProperty('john');
  });

  it('disables without kicking sessions and enables again', async () => {
    await edit((draft) => {
      draft.sessions.push(sessionRecord('john', 'example.org', 'phone', 0));
    });
    await expectLegacy({ type: 'disable', username: 'john' }, OK);
    const disabled = await state();
    expect(disabled.lockouts).toContain('john');
    expect(disabled.sessions).toHaveLength(1);
    await expectLegacy({ type: 'enable', username: 'john' }, OK);
    expect((await state()).lockouts).not.toContain('john');
  });

  it('reports UserNotFoundException for unknown users', async () => {
    for (const type of ['delete', 'enable', 'disable', 'update', 'usergrouplist']) {
      await expectLegacy({ type, username: 'ghost' }, err('UserNotFoundException'));
    }
  });
});

describe('legacy userservice: update', () => {
  it('sets the fields that are present, an empty name clearing it', async () => {
    await expectLegacy({ type: 'update', username: 'john', password: 'new', name: '', email: 'j@x.org' }, OK);
    expect(userIn(await state(), 'john')).toMatchObject({ password: 'new', name: null, email: 'j@x.org' });
  });

  it('replaces member rows by the listed groups but leaves admin rows alone', async () => {
    await addGroup('a', 'nobody', [JOHN]);
    await addGroup('b', 'nobody', [], [JOHN]);
    await addGroup('c', 'nobody', [JOHN]);
    await expectLegacy({ type: 'update', username: 'john', groups: 'a,d' }, OK);
    const s = await state();
    expect([groupIn(s, 'a')?.members, groupIn(s, 'b')?.admins, groupIn(s, 'c')?.members]).toEqual([[JOHN], [JOHN], []]);
    expect(groupIn(s, 'd')?.members).toEqual([JOHN]);
    await expectLegacy({ type: 'update', username: 'john', groups: '' }, OK);
    const cleared = await state();
    expect([groupIn(cleared, 'a')?.members, groupIn(cleared, 'b')?.admins]).toEqual([[], [JOHN]]);
  });

  it('keeps memberships when groups is absent', async () => {
    await addGroup('a', 'nobody', [JOHN]);
    await expectLegacy({ type: 'update', username: 'john', name: 'Johnny' }, OK);
    expect(groupIn(await state(), 'a')?.members).toEqual([JOHN]);
  });
});

describe('legacy userservice: roster types', () => {
  const rosterItem = async (user: string, jid: string) => rosterItemIn(await state(), user, jid);
  const item = (type: string, username: string, itemJid: string, rest: Params = {}): Params => ({
    type,
    username,
    item_jid: itemJid,
    ...rest,
  });

  it('adds an item with nickname, groups and subscription, defaulting to none', async () => {
    const rest = { name: 'franz', subscription: '3', groups: 'family,friends' };
    await expectLegacy(item('add_roster', 'john', 'franz@example.com/home', rest), OK);
    expect(await rosterItem('john', 'franz@example.com')).toEqual({
      jid: 'franz@example.com',
      nickname: 'franz',
      subscription: 3,
      groups: ['family', 'friends'],
    });
    await expectLegacy(item('add_roster', 'jane', 'max@example.com'), OK);
    const max = { jid: 'max@example.com', nickname: null, subscription: 0, groups: [] };
    expect(await rosterItem('jane', 'max@example.com')).toEqual(max);
  });

  it('reports add_roster errors: existing item, shared group, invalid JID, unknown user', async () => {
    await addGroup('Team', 'onlyGroup');
    await expectLegacy(item('add_roster', 'john', JANE), err('UserAlreadyExistsException'));
    await expectLegacy(item('add_roster', 'john', 'x@example.org', { groups: 'Team' }), err('SharedGroupException'));
    await expectLegacy(item('add_roster', 'john', 'a@b@c'), err('IllegalArgumentException'));
    await expectLegacy(item('add_roster', 'ghost', 'x@example.org'), err('UserNotFoundException'));
    expect(await rosterItem('john', 'x@example.org')).toBeUndefined();
  });

  it('treats contacts implied by a shared group as existing items, as the REST roster does', async () => {
    await addGroup('Everyone', 'everybody', [JOHN, 'admin@example.org']);
    await expectLegacy(item('add_roster', 'john', 'admin@example.org'), err('UserAlreadyExistsException'));
    await expectLegacy(item('update_roster', 'john', 'admin@example.org', { name: 'Boss' }), OK);
    expect(await rosterItem('john', 'admin@example.org')).toMatchObject({ nickname: 'Boss', subscription: 0 });
  });

  it('update_roster clears nickname and groups when absent and resets the subscription to none', async () => {
    await expectLegacy(item('update_roster', 'john', JANE, { name: 'J', groups: 'x', subscription: '2' }), OK);
    expect(await rosterItem('john', JANE)).toMatchObject({ nickname: 'J', groups: ['x'], subscription: 2 });
    await expectLegacy(item('update_roster', 'john', JANE), OK);
    expect(await rosterItem('john', JANE)).toMatchObject({ nickname: null, groups: [], subscription: 0 });
  });

  it('reports update_roster errors: missing item, unknown user, shared group', async () => {
    await addGroup('Team', 'everybody');
    await expectLegacy(item('update_roster', 'john', 'nobody@example.org'), err('UserNotFoundException'));
    await expectLegacy(item('update_roster', 'ghost', JANE), err('UserNotFoundException'));
    await expectLegacy(item('update_roster', 'john', JANE, { groups: 'Team' }), err('SharedGroupException'));
  });

  it('delete_roster removes the item, cancels the contact side and ignores missing items', async () => {
    await expectLegacy(item('delete_roster', 'john', JANE), OK);
    expect(await rosterItem('john', JANE)).toBeUndefined();
    expect((await rosterItem('jane', JOHN))?.subscription).toBe(0);
    await expectLegacy(item('delete_roster', 'john', JANE), OK);
  });

  it('reports delete_roster errors: unknown user, contact of a shared group', async () => {
    await addGroup('Everyone', 'everybody', [JANE]);
    await expectLegacy(item('delete_roster', 'ghost', JANE), err('UserNotFoundException'));
    await expectLegacy(item('delete_roster', 'john', JANE), err('SharedGroupException'));
  });
});

describe('legacy userservice: group lists and reply bytes (openfire-rest-api.md §12.5)', () => {
  it('lists no groups as an empty result', async () => {
    await expectLegacy({ type: 'grouplist' }, '<result></result>');
  });

  it('lists every group by name without escaping and with ? for non-Latin-1 characters', async () => {
    for (const name of ['b&<c>', 'a', 'x日本']) await addGroup(name, 'nobody');
    const names = '<groupname>a</groupname><groupname>b&<c></groupname><groupname>x??</groupname>';
    await expectLegacy({ type: 'grouplist', username: 'ignored\u0007' }, `<result>${names}</result>`);
  });

  it('lists the groups where the user is member or admin', async () => {
    await addGroup('b', 'nobody', [], [JOHN]);
    await addGroup('a', 'nobody', [JOHN]);
    await addGroup('c', 'nobody', [JANE]);
    const names = '<groupname>a</groupname><groupname>b</groupname>';
    await expectLegacy({ type: 'usergrouplist', username: 'John' }, `<result>${names}</result>`);
  });
});

describe('legacy userservice: POST form bodies', () => {
  it('reads a form body with + as space', async () => {
    expectReply(await form(`type=add&secret=${SECRET}&username=kafka&password=pw&name=Franz+Kafka`), OK);
    expect(userIn(await state(), 'kafka')?.name).toBe('Franz Kafka');
  });

  it('lets the query string win over the body', async () => {
    const path = `/userservice?${query({ type: 'add', secret: SECRET, username: 'query' })}`;
    expectReply(await form('username=body&password=pw', path), OK);
    const s = await state();
    expect(userIn(s, 'query')).toBeDefined();
    expect(userIn(s, 'body')).toBeUndefined();
  });

  it('ignores a body that is not a form', async () => {
    const body = `type=grouplist&secret=${SECRET}`;
    const res = await t.api('POST', '/userservice', { auth: null, body, contentType: 'text/plain' });
    expectReply(res, err('RequestNotAuthorised'));
  });
});
