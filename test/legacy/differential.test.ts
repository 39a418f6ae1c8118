import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { userRecord } from '../../src/emulator/seeds/builders.js';
import { DEMO_BOOT } from '../../src/emulator/seeds/demo.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { defined } from '../helpers/defined.js';
import { SECRET } from '../helpers/emulator.js';
import { LEGACY_SECRET, type LegacyReply, legacySeed, useLegacy } from '../helpers/legacy.js';

/**
 * Differential tests of the gateway's `/userservice` against the emulator's Openfire-faithful legacy endpoint
 * (`/plugins/restapi/v1/userservice`): the same request sequence, from the same seed, must give the same reply
 * bodies and the same final state. The fixes the gateway makes on purpose (openfire-rest-api.md §12.6,
 * docs/legacy-userservice.md's "Deliberate differences from the original") are kept out of the comparisons and tested
 * one by one, with both sides' answers.
 */
const t = useLegacy();

type Params = Record<string, string>;
type Side = 'gateway' | 'openfire';
type Method = 'GET' | 'POST';

const OK = '<result>ok</result>\n';
const err = (name: string): string => `<error>${name}</error>\n`;
const groupList = (...names: string[]): string =>
  `<result>${names.map((name) => `<groupname>${name}</groupname>`).join('')}</result>\n`;
const IAE = err('IllegalArgumentException');
const UNF = err('UserNotFoundException');
const UAE = err('UserAlreadyExistsException');
const SGE = err('SharedGroupException');

const JANE = 'jane@example.org';
const ZED = 'zed@example.org';
const CAROL = 'carol@example.org';

const order =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The state both sides must agree on: users without their dates, lockouts, rosters, vCards, groups with member and
 * admin lists in any order. Sessions (and the kicks in the outbox) are left out: the gateway's `disable` closes them,
 * Openfire's does not (openfire-rest-api.md §12.6 item 10, tested on its own).
 */
function comparable(snapshot: Snapshot) {
  return {
    users: snapshot.users
      .map(({ username, name, email, password, properties }) => ({ username, name, email, password, properties }))
      .sort(order((user) => user.username)),
    lockouts: [...snapshot.lockouts].sort(),
    vcards: snapshot.vcards,
    rosters: Object.fromEntries(
      Object.entries(snapshot.rosters)
        .sort(order(([owner]) => owner))
        .map(([owner, items]) => [owner, [...items].sort(order((item) => item.jid))]),
    ),
    groups: snapshot.groups
      .map(({ name, description, members, admins, properties }) => ({
        name,
        description,
        members: [...members].sort(),
        admins: [...admins].sort(),
        properties,
      }))
      .sort(order((group) => group.name)),
  };
}

type State = ReturnType<typeof comparable>;

interface Run {
  readonly replies: readonly string[];
  readonly state: State;
}

const SEED: State = comparable(legacySeed());

const send = (side: Side, params: Params, method: Method = 'GET'): Promise<LegacyReply> =>
  side === 'gateway'
    ? t.send({ secret: LEGACY_SECRET, ...params }, { method })
    : t.openfire({ secret: SECRET, ...params }, { method });

/** Changes the emulator's state behind the API (`edit`), after the reset to the seed and before the first step. */
type Arrange = (draft: Snapshot) => void;

/** `steps` on one side, from the seed: the reply bodies (every reply a 200) and the final state. */
async function run(side: Side, steps: readonly Params[], method: Method = 'GET', arrange?: Arrange): Promise<Run> {
  await t.reset();
  if (arrange) (await t.ready).edit(arrange);
  const replies: string[] = [];
  for (const step of steps) {
    const reply = await send(side, step, method);
    expect(reply.status, `${side} ${JSON.stringify(step)}`).toBe(200);
    replies.push(reply.text);
  }
  return { replies, state: comparable(await t.state()) };
}

async function both(
  steps: readonly Params[],
  method: Method = 'GET',
  arrange?: Arrange,
): Promise<{ gateway: Run; openfire: Run }> {
  const gateway = await run('gateway', steps, method, arrange);
  const openfire = await run('openfire', steps, method, arrange);
  return { gateway, openfire };
}

/** Each reply next to its request, so that a failing diff points at the step. */
const labelled = (steps: readonly Params[], result: Run) => ({
  replies: result.replies.map((reply, i) => ({ request: steps[i], reply })),
  state: result.state,
});

/** Runs `steps` on both sides, expects identical replies and state, and returns the gateway's run. */
async function differential(steps: readonly Params[], method: Method = 'GET'): Promise<Run> {
  const { gateway, openfire } = await both(steps, method);
  expect(labelled(steps, gateway)).toEqual(labelled(steps, openfire));
  return gateway;
}

const userIn = (state: State, username: string) => state.users.find((user) => user.username === username);
const groupIn = (state: State, name: string) => state.groups.find((group) => group.name === name);
const rosterItem = (state: State, owner: string, jid: string) => state.rosters[owner]?.find((item) => item.jid === jid);

describe('legacy userservice, gateway against Openfire: scripted sequences', () => {
  const lifeCycle: Params[] = [
    { type: 'add', username: 'Zed', password: 'pw', name: 'Zed Z', email: 'zed@example.com', groups: 'ops,new1' },
    { type: 'usergrouplist', username: 'zed' },
    {
      type: 'update',
      username: 'ZED',
      name: 'Zed Two',
      email: 'z2@example.com',
      password: 'pw2',
      groups: 'new1,sales,new2',
    },
    { type: 'usergrouplist', username: ' zed ' },
    { type: 'add_roster', username: 'zed', item_jid: JANE, name: 'Jane', subscription: '2', groups: 'Friends,Work' },
    { type: 'add_roster', username: 'zed', item_jid: 'Jane@Example.org/phone' },
    { type: 'update_roster', username: 'zed', item_jid: JANE, name: 'Janie', subscription: '3', groups: 'Work' },
    { type: 'update_roster', username: 'zed', item_jid: CAROL, name: 'C', subscription: '1', groups: '' },
    { type: 'add_roster', username: 'zed', item_jid: CAROL, subscription: '-1' },
    { type: 'delete_roster', username: 'zed', item_jid: CAROL },
    { type: 'delete_roster', username: 'zed', item_jid: CAROL },
    { type: 'disable', username: 'zed' },
    { type: 'enable', username: 'zed' },
    { type: 'disable', username: 'Zed' },
    { type: 'grouplist' },
  ];

  it('add, usergrouplist, update, roster add/update/delete, disable, enable, grouplist: same replies and state', async () => {
    const { replies, state } = await differential(lifeCycle);
    expect(replies).toEqual([
      OK,
      groupList('new1', 'ops'),
      OK,
      groupList('new1', 'new2', 'sales'),
      OK,
      UAE,
      OK,
      UNF,
      OK,
      OK,
      OK,
      OK,
      OK,
      OK,
      groupList('new1', 'new2', 'ops', 'sales', 'staff', 'team'),
    ]);
    expect(userIn(state, 'zed')).toEqual({
      username: 'zed',
      name: 'Zed Two',
      email: 'z2@example.com',
      password: 'pw2',
      properties: {},
    });
    expect(state.groups.filter((group) => group.members.includes(ZED)).map((group) => group.name)).toEqual([
      'new1',
      'new2',
      'sales',
    ]);
    // A group the legacy service creates: non-shared, no description, displayName = name.
    expect(groupIn(state, 'new2')).toEqual({
      name: 'new2',
      description: null,
      members: [ZED],
      admins: [],
      properties: {
        'sharedRoster.showInRoster': 'nobody',
        'sharedRoster.displayName': 'new2',
        'sharedRoster.groupList': '',
      },
    });
    expect(state.rosters.zed).toEqual([{ jid: JANE, nickname: 'Janie', subscription: 3, groups: ['Work'] }]);
    expect(state.lockouts).toEqual(['zed']);
  });

  it('the same sequence as POST forms gives the same replies and state', async () => {
    const get = await differential(lifeCycle);
    const post = await differential(lifeCycle, 'POST');
    expect(post).toEqual(get);
  });

  it('delete takes the user out of groups and rosters; afterwards every type says UserNotFoundException', async () => {
    const { replies, state } = await differential([
      { type: 'add', username: 'zed', password: 'pw', groups: 'ops,new1' },
      { type: 'add_roster', username: 'jane', item_jid: ZED, name: 'Zed', subscription: '3' },
      { type: 'add_roster', username: 'zed', item_jid: JANE, subscription: '3' },
      { type: 'disable', username: 'zed' },
      { type: 'delete', username: 'zed' },
      { type: 'usergrouplist', username: 'zed' },
      { type: 'delete', username: 'zed' },
      { type: 'update', username: 'zed', name: 'x' },
      { type: 'enable', username: 'zed' },
      { type: 'disable', username: 'zed' },
      { type: 'add_roster', username: 'zed', item_jid: JANE },
      { type: 'update_roster', username: 'zed', item_jid: JANE, name: 'J', subscription: '0', groups: '' },
      { type: 'delete_roster', username: 'zed', item_jid: JANE },
      { type: 'grouplist' },
    ]);
    expect(replies).toEqual([
      OK,
      OK,
      OK,
      OK,
      OK,
      UNF,
      UNF,
      UNF,
      UNF,
      UNF,
      UNF,
      UNF,
      UNF,
      groupList('new1', 'ops', 'sales', 'staff', 'team'),
    ]);
    expect(userIn(state, 'zed')).toBeUndefined();
    expect(groupIn(state, 'new1')?.members).toEqual([]);
    expect(rosterItem(state, 'jane', ZED)).toBeUndefined();
    expect(state.rosters.zed).toBeUndefined();
  });

  it('every type that names a user answers UserNotFoundException for an unknown or empty (after trim) user', async () => {
    const steps = ['nobody', '   '].flatMap((username): Params[] => [
      { type: 'delete', username },
      { type: 'update', username, name: 'x', groups: 'new1' },
      { type: 'update', username },
      { type: 'enable', username },
      { type: 'disable', username },
      { type: 'usergrouplist', username },
      { type: 'add_roster', username, item_jid: JANE },
      { type: 'update_roster', username, item_jid: JANE, name: 'J', subscription: '1', groups: 'Friends' },
      { type: 'delete_roster', username, item_jid: JANE },
    ]);
    const { replies, state } = await differential(steps);
    expect(replies).toEqual(steps.map(() => UNF));
    expect(state).toEqual(SEED);
  });

  it('refusals before any change: existing user, missing or empty password or username, roster parameters, secret', async () => {
    const steps: Params[] = [
      { type: 'add', username: 'john', password: 'pw', groups: 'new1' },
      { type: 'add', username: ' JOHN ', password: 'pw' },
      { type: 'add', username: 'zed' },
      { type: 'add', username: 'zed', password: '' },
      { type: 'add', username: '   ', password: 'pw' },
      { type: 'add', password: 'pw' },
      { type: 'usergrouplist' },
      { type: 'add_roster', username: 'john' },
      { type: 'delete_roster', username: 'john' },
      { type: 'update_roster', username: 'john', item_jid: JANE, name: 'J', groups: '', subscription: '4' },
      { type: 'add_roster', username: 'john', item_jid: ZED, subscription: 'both' },
      { type: 'delete_roster', username: 'john', item_jid: JANE, subscription: '' },
      { type: 'add_roster', username: 'john', item_jid: 'a@b@c' },
      { type: 'delete_roster', username: 'john', item_jid: '@example.org' },
      { type: 'delete', username: 'john', secret: 'wrong' },
      { type: 'delete', username: 'john', secret: '' },
      { type: 'grouplist', username: 'whoever' },
    ];
    const { replies, state } = await differential(steps);
    const RNA = err('RequestNotAuthorised');
    expect(replies).toEqual([
      UAE,
      UAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      IAE,
      RNA,
      RNA,
      groupList('ops', 'sales', 'staff', 'team'),
    ]);
    expect(state).toEqual(SEED);
  });

  it('roster items and shared groups: clashing group names, implied contacts, making a shared contact personal', async () => {
    const { replies, state } = await differential([
      // `team` is shared (onlyGroup) with the display name `Team`: a roster group of that name is refused.
      { type: 'add_roster', username: 'john', item_jid: ZED, name: 'Zed', groups: 'Friends,Team' },
      { type: 'add_roster', username: 'john', item_jid: JANE, groups: 'Team' },
      // jane joins `team`, so carol and jane see each other through it.
      { type: 'update', username: 'jane', groups: 'ops,sales,staff,team' },
      { type: 'add_roster', username: 'carol', item_jid: JANE, name: 'J' },
      { type: 'delete_roster', username: 'carol', item_jid: JANE },
      { type: 'delete_roster', username: 'jane', item_jid: CAROL },
      // A shared-only item: refused with a clashing group, else it becomes a personal item.
      {
        type: 'update_roster',
        username: 'carol',
        item_jid: JANE,
        name: 'Jane E',
        subscription: '2',
        groups: 'Work,Team',
      },
      {
        type: 'update_roster',
        username: 'carol',
        item_jid: JANE,
        name: 'Jane D',
        subscription: '3',
        groups: 'Friends',
      },
      { type: 'usergrouplist', username: 'jane' },
      // john's item jane is mutual (both): deleting it cancels both directions on jane's item john.
      { type: 'delete_roster', username: 'john', item_jid: JANE },
    ]);
    expect(replies).toEqual([SGE, UAE, OK, UAE, SGE, SGE, SGE, OK, groupList('ops', 'sales', 'staff', 'team'), OK]);
    expect(state.rosters.carol).toEqual([{ jid: JANE, nickname: 'Jane D', subscription: 3, groups: ['Friends'] }]);
    expect(state.rosters.john).toEqual([]);
    expect(rosterItem(state, 'jane', 'john@example.org')?.subscription).toBe(0);
  });

  it('update: properties kept, blank name and email cleared, `groups=` leaves member lists but not admin rows', async () => {
    const { replies, state } = await differential([
      { type: 'update', username: 'carol', name: ' ', email: '' },
      { type: 'update', username: 'carol' },
      { type: 'update', username: 'john', groups: '' },
      { type: 'usergrouplist', username: 'john' },
      { type: 'update', username: 'john', groups: 'ops,sales,,sales' },
      { type: 'usergrouplist', username: 'john' },
      { type: 'add', username: 'zed', password: 'pw', name: '  ', email: ' ', groups: ',,' },
      { type: 'usergrouplist', username: 'zed' },
    ]);
    expect(replies).toEqual([OK, OK, OK, groupList('ops'), OK, groupList('ops', 'sales'), OK, groupList()]);
    expect(userIn(state, 'carol')).toEqual({
      username: 'carol',
      name: null,
      email: null,
      password: 'pw',
      properties: { department: 'sales', 'console.order': '1' },
    });
    expect(groupIn(state, 'ops')).toMatchObject({ members: ['jane@example.org'], admins: ['john@example.org'] });
    expect(groupIn(state, 'sales')?.members).toContain('john@example.org');
    expect(groupIn(state, 'staff')?.members).not.toContain('john@example.org');
    expect(userIn(state, 'zed')).toMatchObject({ name: null, email: null });
  });

  it.each([' bob smith ', "o'neil", 'x@y', 'a\\20b', 'a:b', 'A&B', 'back\\slash', 'per%2fcent'])(
    'a username that needs XEP-0106 escaping (%j) works the same on both sides',
    async (username) => {
      const { replies, state } = await differential([
        { type: 'add', username, password: 'pw', groups: 'ops,new1' },
        { type: 'usergrouplist', username },
        { type: 'update', username, name: 'Esc', groups: 'new2' },
        { type: 'add_roster', username, item_jid: JANE, name: 'Jane', subscription: '3', groups: 'Friends' },
        { type: 'update_roster', username, item_jid: JANE, name: 'J', subscription: '1', groups: 'Work' },
        { type: 'add_roster', username: 'jane', item_jid: `${username.trim().toLowerCase()}@example.org` },
        { type: 'disable', username },
        { type: 'enable', username },
        { type: 'disable', username },
        { type: 'delete_roster', username, item_jid: JANE },
        { type: 'usergrouplist', username },
      ]);
      expect(replies.slice(0, 5)).toEqual([OK, groupList('new1', 'ops'), OK, OK, OK]);
      expect(replies.slice(6)).toEqual([OK, OK, OK, OK, groupList('new2')]);
      expect(state.lockouts).toHaveLength(1);
      expect(state.users).toHaveLength(SEED.users.length + 1);
    },
  );

  it('update_roster with a clashing roster group: both refuse with SharedGroupException and change nothing, nickname included', async () => {
    const { replies, state } = await differential([
      {
        type: 'update_roster',
        username: 'john',
        item_jid: JANE,
        name: 'Changed',
        subscription: '1',
        groups: 'Friends,Team',
      },
      { type: 'update_roster', username: 'john', item_jid: JANE, name: 'Changed', groups: 'Team' },
    ]);
    expect(replies).toEqual([SGE, SGE]);
    expect(state).toEqual(SEED);
  });

  it('a repeated roster group is stored as often as it is named, on both sides', async () => {
    const { replies, state } = await differential([
      { type: 'add_roster', username: 'john', item_jid: ZED, groups: 'Friends,Work,Friends' },
      {
        type: 'update_roster',
        username: 'john',
        item_jid: JANE,
        name: 'Jane',
        subscription: '3',
        groups: 'Friends,,Friends',
      },
    ]);
    expect(replies).toEqual([OK, OK]);
    expect(rosterItem(state, 'john', ZED)?.groups).toEqual(['Friends', 'Work', 'Friends']);
    expect(rosterItem(state, 'john', JANE)?.groups).toEqual(['Friends', 'Friends']);
  });

  it('an invalid item_jid: UserNotFoundException for an unknown user, IllegalArgumentException for a known one, on both sides', async () => {
    const steps = (username: string): Params[] => [
      { type: 'add_roster', username, item_jid: 'a@b@c' },
      { type: 'update_roster', username, item_jid: '@example.org', name: 'n', subscription: '0', groups: '' },
      { type: 'delete_roster', username, item_jid: '' },
    ];
    const unknown = await differential(steps('nobody'));
    expect(unknown.replies).toEqual([UNF, UNF, UNF]);
    const known = await differential(steps('john'));
    expect(known.replies).toEqual([IAE, IAE, IAE]);
    expect(known.state).toEqual(SEED);
  });

  it('group names with `>`, `"` or `\'` are well-formed as they are: both replies are byte for byte the same', async () => {
    const { replies } = await differential([
      { type: 'add', username: 'zed', password: 'pw', groups: `x>y,q"q,o'o` },
      { type: 'usergrouplist', username: 'zed' },
    ]);
    expect(replies).toEqual([OK, groupList(`o'o`, 'q"q', 'x>y')]);
  });

  it('replies differ only in the content type: Openfire ISO-8859-1 without a space, ours UTF-8', async () => {
    const gateway = await send('gateway', { type: 'grouplist' });
    const openfire = await send('openfire', { type: 'grouplist' });
    expect(gateway.text).toBe(openfire.text);
    expect(gateway.contentType).toBe('text/xml; charset=utf-8');
    expect(openfire.contentType).toBe('text/xml;charset=iso-8859-1');
  });
});

describe('legacy userservice, gateway against Openfire: documented differences (openfire-rest-api.md §12.6)', () => {
  it('1. missing type with a username: Openfire crashes (500), the gateway says IllegalArgumentException', async () => {
    const gateway = await send('gateway', { username: 'john' });
    const openfire = await send('openfire', { username: 'john' });
    expect(openfire.status).toBe(500);
    expect(openfire.text).not.toContain('<error>');
    expect(gateway).toMatchObject({ status: 200, text: IAE });
    // Without a username both refuse the same way.
    const { replies } = await differential([{}]);
    expect(replies).toEqual([IAE]);
  });

  it('1. unknown type (case-sensitive): Openfire answers nothing (GET 200, POST 204), the gateway IllegalArgumentException', async () => {
    for (const type of ['ADD', 'list', '']) {
      const params = { type, username: 'zed', password: 'pw' };
      expect(await send('openfire', params)).toMatchObject({ status: 200, text: '' });
      expect(await send('openfire', params, 'POST')).toMatchObject({ status: 204, text: '' });
      expect(await send('gateway', params)).toMatchObject({ status: 200, text: IAE });
      expect(await send('gateway', params, 'POST')).toMatchObject({ status: 200, text: IAE });
    }
    expect(comparable(await t.state())).toEqual(SEED);
  });

  it('2. a username nodeprep refuses: Openfire sends the gnu exception text, the gateway IllegalArgumentException', async () => {
    const STRINGPREP = err('gnu.inet.encoding.StringprepException: Contains prohibited code points.');
    // U+0085 is valid XML but a prohibited node character; U+0007 is not even valid XML (refused up front).
    for (const username of ['a\u0085b', 'a\u0007b', 'x'.repeat(1100)]) {
      const steps: Params[] = [
        { type: 'add', username, password: 'pw' },
        { type: 'update', username, name: 'x' },
        { type: 'usergrouplist', username },
      ];
      const { gateway, openfire } = await both(steps);
      expect(openfire.replies).toEqual([STRINGPREP, STRINGPREP, STRINGPREP]);
      expect(gateway.replies).toEqual([IAE, IAE, IAE]);
      expect(gateway.state).toEqual(SEED);
      expect(openfire.state).toEqual(SEED);
    }
  });

  it('3. a whitespace-only group token: Openfire creates the user and the groups before it, then fails; the gateway changes nothing', async () => {
    const add = await both([{ type: 'add', username: 'zed', password: 'pw', groups: 'new1, ,new2' }]);
    expect(add.openfire.replies).toEqual([
      err('org.jivesoftware.openfire.group.GroupNameInvalidException: Group name cannot be empty'),
    ]);
    expect(userIn(add.openfire.state, 'zed')).toMatchObject({ password: 'pw' });
    expect(groupIn(add.openfire.state, 'new1')?.members).toEqual([]);
    expect(groupIn(add.openfire.state, 'new2')).toBeUndefined();
    expect(add.gateway.replies).toEqual([IAE]);
    expect(add.gateway.state).toEqual(SEED);

    const update = await both([{ type: 'update', username: 'jane', name: 'JJ', groups: 'new1, ,ops' }]);
    expect(update.openfire.replies).toEqual([
      err('org.jivesoftware.openfire.group.GroupNameInvalidException: Group name cannot be empty'),
    ]);
    expect(userIn(update.openfire.state, 'jane')?.name).toBe('JJ');
    expect(groupIn(update.openfire.state, 'new1')?.members).toEqual([]);
    expect(update.gateway.replies).toEqual([IAE]);
    expect(update.gateway.state).toEqual(SEED);
  });

  it('3. a group name with `/`: Openfire creates it, the gateway refuses (no REST path could address it)', async () => {
    const { gateway, openfire } = await both([{ type: 'add', username: 'zed', password: 'pw', groups: 'ops,a/b' }]);
    expect(openfire.replies).toEqual([OK]);
    expect(groupIn(openfire.state, 'a/b')?.members).toEqual([ZED]);
    expect(userIn(openfire.state, 'zed')).toBeDefined();
    expect(gateway.replies).toEqual([IAE]);
    expect(gateway.state).toEqual(SEED);
  });

  it('3. a user or group named `.` or `..`: Openfire creates it, the gateway refuses and touches no other resource', async () => {
    const lifeCycle = (username: string): Params[] => [
      { type: 'add', username, password: 'pw' },
      { type: 'usergrouplist', username },
      { type: 'disable', username },
      { type: 'delete', username },
    ];
    for (const username of ['.', '..']) {
      const { gateway, openfire } = await both(lifeCycle(username));
      expect(openfire.replies).toEqual([OK, groupList(), OK, OK]);
      expect(userIn(openfire.state, username)).toBeUndefined();
      expect(gateway.replies).toEqual([IAE, IAE, IAE, IAE]);
      expect(gateway.state).toEqual(SEED);

      const group = await both([{ type: 'add', username: 'zed', password: 'pw', groups: `ops,${username}` }]);
      expect(group.openfire.replies).toEqual([OK]);
      expect(groupIn(group.openfire.state, username)?.members).toEqual([ZED]);
      expect(group.gateway.replies).toEqual([IAE]);
      expect(group.gateway.state).toEqual(SEED);
    }

    // `/users/./roster/vcard` would be `/users/roster/vcard`: the vCard of a user named roster. Neither side touches
    // it.
    const VCARD = '<vCard xmlns="vcard-temp"><FN>Roster</FN></vCard>';
    const withRosterUser: Arrange = (state) => {
      state.users.push(userRecord('roster', 'Roster', null, 'pw', DEMO_BOOT));
      state.vcards.roster = VCARD;
    };
    const steps: Params[] = [
      { type: 'delete_roster', username: '.', item_jid: 'vcard' },
      { type: 'update_roster', username: '..', item_jid: 'vcard', subscription: '0' },
    ];
    const { gateway, openfire } = await both(steps, 'GET', withRosterUser);
    expect(openfire.replies).toEqual([UNF, UNF]);
    expect(gateway.replies).toEqual([IAE, IAE]);
    expect(gateway.state).toEqual(openfire.state);
    expect(gateway.state.vcards).toEqual({ roster: VCARD });
    expect(userIn(gateway.state, 'roster')).toBeDefined();
  });

  it('4. update with `password=`: Openfire stores the empty password, the gateway refuses and changes nothing', async () => {
    const { gateway, openfire } = await both([{ type: 'update', username: 'jane', password: '', name: 'JJ' }]);
    expect(openfire.replies).toEqual([OK]);
    expect(userIn(openfire.state, 'jane')).toMatchObject({ password: '', name: 'JJ' });
    expect(gateway.replies).toEqual([IAE]);
    expect(gateway.state).toEqual(SEED);
  });

  it('5. update_roster without name, groups or subscription: Openfire clears them (subscription none), the gateway keeps them', async () => {
    const setUp: Params = {
      type: 'update_roster',
      username: 'john',
      item_jid: JANE,
      name: 'Janie',
      subscription: '3',
      groups: 'Friends,Work',
    };
    const steps: Params[] = [setUp, { type: 'update_roster', username: 'john', item_jid: JANE }];
    const { gateway, openfire } = await both(steps);
    expect(openfire.replies).toEqual([OK, OK]);
    expect(gateway.replies).toEqual([OK, OK]);
    expect(rosterItem(openfire.state, 'john', JANE)).toEqual({
      jid: JANE,
      nickname: null,
      subscription: 0,
      groups: [],
    });
    expect(rosterItem(gateway.state, 'john', JANE)).toEqual({
      jid: JANE,
      nickname: 'Janie',
      subscription: 3,
      groups: ['Friends', 'Work'],
    });

    // Only some present: Openfire still clears the others, the gateway sets what is named.
    const partial = await both([setUp, { type: 'update_roster', username: 'john', item_jid: JANE, subscription: '1' }]);
    expect(rosterItem(partial.openfire.state, 'john', JANE)).toEqual({
      jid: JANE,
      nickname: null,
      subscription: 1,
      groups: [],
    });
    expect(rosterItem(partial.gateway.state, 'john', JANE)).toEqual({
      jid: JANE,
      nickname: 'Janie',
      subscription: 1,
      groups: ['Friends', 'Work'],
    });

    // With all three present (even empty) both agree.
    await differential([
      setUp,
      { type: 'update_roster', username: 'john', item_jid: JANE, name: '', subscription: '0', groups: '' },
    ]);
  });

  it("6. disable: same reply and lockout, but the gateway (REST lockout) also closes the user's sessions", async () => {
    const steps: Params[] = [{ type: 'disable', username: 'john' }];
    const gateway = await run('gateway', steps);
    const gatewaySessions = (await t.state()).sessions;
    const openfire = await run('openfire', steps);
    const openfireSessions = (await t.state()).sessions;
    expect(gateway).toEqual(openfire);
    expect(gateway.replies).toEqual([OK]);
    expect(gateway.state.lockouts).toEqual(['john']);
    expect(openfireSessions.map((session) => session.username)).toEqual(['john']);
    expect(gatewaySessions).toEqual([]);
  });

  it('7. the add naming a group that already lists the new JID as admin: Openfire demotes it to member, the gateway leaves it', async () => {
    const zedAdminOfOps: Arrange = (state) =>
      void defined(
        state.groups.find((group) => group.name === 'ops'),
        'group ops',
      ).admins.push(ZED);
    const { gateway, openfire } = await both(
      [{ type: 'add', username: 'zed', password: 'pw', groups: 'ops,staff' }],
      'GET',
      zedAdminOfOps,
    );
    expect(gateway.replies).toEqual([OK]);
    expect(openfire.replies).toEqual([OK]);
    expect(groupIn(openfire.state, 'ops')).toMatchObject({ members: [JANE, ZED], admins: ['john@example.org'] });
    expect(groupIn(gateway.state, 'ops')).toMatchObject({ members: [JANE], admins: ['john@example.org', ZED] });
    // Everything else agrees.
    const withoutOps = (state: State) => ({ ...state, groups: state.groups.filter((group) => group.name !== 'ops') });
    expect(withoutOps(gateway.state)).toEqual(withoutOps(openfire.state));
  });

  it('8. group names with `&` and `<`: Openfire writes them raw (malformed XML), the gateway escapes them', async () => {
    const steps: Params[] = [
      { type: 'add', username: 'zed', password: 'pw', groups: 'R&D,a<b' },
      { type: 'grouplist' },
      { type: 'usergrouplist', username: 'zed' },
    ];
    const { gateway, openfire } = await both(steps);
    expect(gateway.state).toEqual(openfire.state);
    expect(openfire.replies).toEqual([
      OK,
      groupList('R&D', 'a<b', 'ops', 'sales', 'staff', 'team'),
      groupList('R&D', 'a<b'),
    ]);
    expect(gateway.replies).toEqual([
      OK,
      groupList('R&amp;D', 'a&lt;b', 'ops', 'sales', 'staff', 'team'),
      groupList('R&amp;D', 'a&lt;b'),
    ]);
  });
});

describe('legacy userservice, gateway against Openfire: random sequences', () => {
  const USERNAMES = ['john', 'jane', 'carol', 'zed', 'Zed', ' bob smith '];
  const GROUPS = ['ops', 'sales', 'staff', 'team', 'new1', 'new2'];
  const ITEMS = [JANE, ZED, CAROL];
  const SUBSCRIPTIONS = ['-1', '0', '1', '2', '3'];
  const ROSTER_GROUPS = ['Friends', 'Team', 'Work'];

  // Mostly existing users, so that fewer requests end in UserNotFoundException.
  const username = fc.oneof(...USERNAMES.map((name, i) => ({ weight: i < 3 ? 3 : 1, arbitrary: fc.constant(name) })));
  const itemJid = fc.constantFrom(...ITEMS);
  const subscription = fc.constantFrom(...SUBSCRIPTIONS);
  /** A comma list of distinct names, possibly empty (`groups=`). */
  const names = (from: readonly string[]) =>
    fc
      .subarray([...from])
      .chain((picked) => fc.shuffledSubarray(picked, { minLength: picked.length }))
      .map((picked) => picked.join(','));
  /** Roster groups: repeats and empty tokens included (both sides keep repeats and skip empties). */
  const rosterGroups = fc
    .array(fc.constantFrom(...ROSTER_GROUPS, ''), { maxLength: 4 })
    .map((picked) => picked.join(','));
  const password = fc.constantFrom('pw', 's3cret', 'p w');
  const name = fc.constantFrom('Zed Z', 'Jane Doe', ' ');
  const email = fc.constantFrom('z@example.com', 'jd@example.org', '');
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

  /** A request of `type` with the generated fields that are present. */
  const command = (type: string, fields: Record<string, fc.Arbitrary<string | undefined>> = {}): fc.Arbitrary<Params> =>
    fc.record(fields).map((values) => {
      const params: Params = { type };
      for (const [key, value] of Object.entries(values)) if (value !== undefined) params[key] = value;
      return params;
    });

  const step = fc.oneof(
    {
      weight: 3,
      arbitrary: command('add', {
        username,
        password: maybe(password),
        name: maybe(name),
        email: maybe(email),
        groups: maybe(names(GROUPS)),
      }),
    },
    { weight: 1, arbitrary: command('delete', { username }) },
    // Never `password=` (item 4) nor a whitespace-only group (item 3).
    {
      weight: 3,
      arbitrary: command('update', {
        username,
        password: maybe(password),
        name: maybe(name),
        email: maybe(email),
        groups: maybe(names(GROUPS)),
      }),
    },
    { weight: 1, arbitrary: command('enable', { username }) },
    // Sessions are not compared (item 6).
    { weight: 1, arbitrary: command('disable', { username }) },
    {
      weight: 3,
      arbitrary: command('add_roster', {
        username,
        item_jid: itemJid,
        name: maybe(name),
        subscription: maybe(subscription),
        groups: maybe(rosterGroups),
      }),
    },
    // Always all three parameters (item 5).
    {
      weight: 3,
      arbitrary: command('update_roster', { username, item_jid: itemJid, name, subscription, groups: rosterGroups }),
    },
    {
      weight: 2,
      arbitrary: command('delete_roster', { username, item_jid: itemJid, subscription: maybe(subscription) }),
    },
    { weight: 1, arbitrary: command('grouplist') },
    { weight: 2, arbitrary: command('usergrouplist', { username }) },
  );

  it('any sequence of 1–8 requests gives the same replies and state on both sides', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<Method>('GET', 'POST'),
        async (steps, method) => {
          await differential(steps, method);
        },
      ),
      // DIFF_RUNS=3000 searches deeper (about 40 s).
      { numRuns: Number(process.env.DIFF_RUNS ?? 60) },
    );
  }, 600_000);
});
