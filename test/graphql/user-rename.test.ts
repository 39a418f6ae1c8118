import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { editGroup, groupIn, roomIn, settings, userIn } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

/**
 * `renameUser` carries over what Openfire's rename drops (openfire-rest-api.md §7.1.1): group admin status and
 * individual room affiliations. Showcase data: jane is admin of `developers` (shared, `onlyGroup`), owner of room
 * `dev` (its only owner) and admin of `lobby`; bob is a member of `support` (not shared) and an outcast of `dev`.
 */
const g = useGateway({ seed: showcaseSeed(settings) });
const state = async () => (await g.ready).snapshot();
const codeOf = (res: Awaited<ReturnType<typeof g.gql>>) => res.body.errors?.[0]?.extensions?.code;
const at = (username: string) => `${username}@example.org`;

const rename = (username: string, newUsername: string, extra = '') =>
  g.gql(`mutation { renameUser(username: "${username}", newUsername: "${newUsername}"${extra}) { username name } }`);

/** Individual affiliations with the rooms of `conference`, by room. */
const affiliations = (s: Snapshot) =>
  Object.fromEntries(['lobby', 'dev'].map((name) => [name, roomIn(s, name)?.affiliations]));

const sorted = (values: readonly string[]) => [...values].sort();

/**
 * What a rename that was undone must leave as it was: users (but the modification date), rosters, vCards, groups,
 * room affiliations and lockouts. Sessions are closed by the rename and cannot come back (openfire-rest-api.md §7.1.1).
 */
const durable = (s: Snapshot) => ({
  users: s.users.map(({ modificationDate: _, ...user }) => user).sort((a, b) => (a.username < b.username ? -1 : 1)),
  rosters: Object.fromEntries(
    Object.entries(s.rosters)
      .filter(([, items]) => items.length > 0)
      .map(([user, items]) => [user, [...items].sort((a, b) => (a.jid < b.jid ? -1 : 1))])
      .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
  ),
  vcards: s.vcards,
  groups: s.groups.map((group) => ({ ...group, members: sorted(group.members), admins: sorted(group.admins) })),
  affiliations: affiliations(s),
  lockouts: s.lockouts,
});

describe('renameUser carries over what Openfire’s rename drops', () => {
  it('keeps jane admin of developers and her room roles under the new JID, in 11 upstream calls', async () => {
    const res = await rename('jane', 'janet');
    expect(res.body).toEqual({ data: { renameUser: { username: 'janet', name: 'Jane Doe' } } });
    const s = await state();
    expect(userIn(s, 'jane')).toBeUndefined();
    expect(groupIn(s, 'developers')).toMatchObject({
      members: [at('john'), at('alice')],
      admins: [at('janet')],
      properties: { 'sharedRoster.showInRoster': 'onlyGroup' },
    });
    expect(affiliations(s)).toEqual({
      lobby: { [at('admin')]: 'owner', [at('janet')]: 'admin', [at('john')]: 'member', [at('alice')]: 'member' },
      // janet owned dev before jane was deleted, so no server admin took jane's place as its only owner.
      dev: { [at('janet')]: 'owner', [at('bob')]: 'outcast' },
    });
    // The minimum: 6 reads (jane, janet's absence, the MUC services, jane's groups, their details, the rooms of
    // `conference`), 4 writes (2 grants, the rename, the group) and the renamed user read again.
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /users/{username}': 3,
      'GET /chatservices': 1,
      'GET /users/{username}/groups': 1,
      'GET /groups/{groupName}': 1,
      'GET /chatrooms': 1,
      'POST /chatrooms/{roomName}/{affiliation}/{jid}': 2,
      'PUT /users/{username}': 1,
      'PUT /groups/{groupName}': 1,
    });
  });

  it('keeps bob banned from dev, in 9 upstream calls', async () => {
    const res = await rename('bob', 'robert');
    expect(res.body.data.renameUser).toEqual({ username: 'robert', name: 'Bob Builder' });
    const s = await state();
    expect(affiliations(s).dev).toEqual({ [at('jane')]: 'owner', [at('robert')]: 'outcast' });
    expect(groupIn(s, 'support')?.members).toEqual([at('john'), at('robert')]);
    // The minimum: 6 reads (bob, robert's absence, services, bob's groups, support's detail, the rooms), the
    // grant, the rename, and robert read again.
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /users/{username}': 3,
      'GET /chatservices': 1,
      'GET /users/{username}/groups': 1,
      'GET /groups/{groupName}': 1,
      'GET /chatrooms': 1,
      'POST /chatrooms/{roomName}/{affiliation}/{jid}': 1,
      'PUT /users/{username}': 1,
    });
  });

  it('refuses a taken new username before any write', async () => {
    const res = await rename('jane', 'John');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'UserAlreadyExistsException' });
    const routes = Object.keys((await g.upstreamCalls()).routes);
    expect(routes.filter((route) => !route.startsWith('GET '))).toEqual([]);
  });
});

describe('renameUser of an admin of a group that reads as not shared', () => {
  const makeJaneAdminOfSupport = async (show: string) =>
    editGroup(await g.ready, 'support', (group) => {
      group.admins.push(at('jane'));
      group.properties['sharedRoster.showInRoster'] = show;
    });

  it('is refused before any write without acceptGroupSharingReset', async () => {
    await makeJaneAdminOfSupport('everybody');
    const before = await state();
    const res = await rename('jane', 'janet');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain('"support"');
    expect(res.body.errors?.[0]?.message).toContain('acceptGroupSharingReset: true');
    const routes = Object.keys((await g.upstreamCalls()).routes);
    expect(routes.filter((route) => !route.startsWith('GET '))).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('goes ahead with acceptGroupSharingReset: the admin status is kept and the group ends up not shared', async () => {
    await makeJaneAdminOfSupport('everybody');
    const res = await rename('jane', 'janet', ', acceptGroupSharingReset: true');
    expect(res.body.data.renameUser.username).toBe('janet');
    const support = groupIn(await state(), 'support');
    expect(support?.admins).toEqual([at('janet')]);
    expect(support?.properties['sharedRoster.showInRoster']).toBe('nobody');
  });
});

describe('renameUser is all or nothing', () => {
  it('undoes the grants when one fails before the rename, and reports the error', async () => {
    const before = durable(await state());
    (await g.ready).faults.add({ route: 'POST /chatrooms/{roomName}/{affiliation}/{jid}', status: 500, times: 1 });
    const res = await rename('jane', 'janet');
    expect(codeOf(res)).toBe('UPSTREAM_ERROR');
    expect(durable(await state())).toEqual(before);
    const routes = (await g.upstreamCalls()).routes;
    // Both grants were sent; the one that went through was taken back, and the rename never started.
    expect(routes['POST /chatrooms/{roomName}/{affiliation}/{jid}']).toBe(2);
    expect(routes['DELETE /chatrooms/{roomName}/{affiliation}/{jid}']).toBe(1);
    expect(routes['PUT /users/{username}']).toBeUndefined();
  });

  it('renames back with every role when the group update after the rename fails', async () => {
    const before = durable(await state());
    (await g.ready).faults.add({ route: 'PUT /groups/{groupName}', status: 500, times: 1 });
    const res = await rename('jane', 'janet');
    expect(codeOf(res)).toBe('UPSTREAM_ERROR');
    expect(res.body.errors?.[0]?.message).not.toContain('not restored');
    // jane is back with her password, roster, vCard, admin status and room roles, and janet is gone.
    expect(durable(await state())).toEqual(before);
    expect((await g.upstreamCalls()).routes).toMatchObject({
      // Forward: 2 grants to janet, the rename, the failed group update. Undo: jane's 2 roles granted again (janet's
      // went with her account), the rename back, developers written back as read.
      'POST /chatrooms/{roomName}/{affiliation}/{jid}': 4,
      'PUT /users/{username}': 2,
      'PUT /groups/{groupName}': 2,
    });
  });

  it('names what it could not restore when an undo fails too, with the original error’s code', async () => {
    (await g.ready).faults.add({ route: 'PUT /groups/{groupName}', status: 500, times: 2 });
    const res = await rename('jane', 'janet');
    const error = res.body.errors?.[0];
    expect(error?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(error?.message).toContain('not restored: the admin status of jane@example.org in group "developers"');
    expect(error?.extensions?.notRestored).toEqual([
      expect.stringContaining('the admin status of jane@example.org in group "developers"'),
    ]);
    // Everything else was restored: jane is back with her room roles, a plain member of developers.
    const s = await state();
    expect(userIn(s, 'janet')).toBeUndefined();
    expect(groupIn(s, 'developers')?.members).toContain(at('jane'));
    expect(affiliations(s).dev).toEqual({ [at('jane')]: 'owner', [at('bob')]: 'outcast' });
  });
});
