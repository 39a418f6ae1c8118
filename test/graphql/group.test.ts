import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { editGroup, groupIn, settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });
const state = async () => (await g.ready).snapshot();
const codeOf = (res: Awaited<ReturnType<typeof g.gql>>) => res.body.errors?.[0]?.extensions?.code;

describe('group queries', () => {
  it('reads a group with its members and admins as users, batching the user lookups', async () => {
    const res = await g.gql(
      '{ group(name: "developers") { name description shared memberJids adminJids members { username } admins { name } } }',
    );
    expect(res.body.data.group).toEqual({
      name: 'developers',
      description: 'Product developers',
      shared: true,
      memberJids: ['john@example.org', 'alice@example.org'],
      adminJids: ['jane@example.org'],
      members: [{ username: 'john' }, { username: 'alice' }],
      admins: [{ name: 'Jane Doe' }],
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /groups/{groupName}': 1, 'GET /users/{username}': 3 });
  });

  it('leaves remote and unknown JIDs out of members but keeps them in memberJids', async () => {
    editGroup(await g.ready, 'support', (group) => {
      group.members.push('someone@elsewhere.net', 'ghost@example.org');
    });
    const res = await g.gql('{ group(name: "support") { memberJids members { username } } }');
    expect(res.body.data.group).toEqual({
      memberJids: ['bob@example.org', 'john@example.org', 'someone@elsewhere.net', 'ghost@example.org'],
      members: [{ username: 'bob' }, { username: 'john' }],
    });
  });

  it('answers null for an absent group and rejects an empty name before calling Openfire', async () => {
    expect((await g.gql('{ group(name: "Developers") { name } }')).body).toEqual({ data: { group: null } });
    await g.resetCalls();
    expect(codeOf(await g.gql('{ group(name: " ") { name } }'))).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('lists and pages groups with one upstream call when only list fields are asked', async () => {
    const res = await g.gql('{ groups(first: 1) { totalCount nodes { name description } pageInfo { hasNextPage } } }');
    expect(res.body.data.groups).toEqual({
      totalCount: 2,
      nodes: [{ name: 'developers', description: 'Product developers' }],
      pageInfo: { hasNextPage: true },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /groups': 1 });
  });

  it('reads shared from each group, since Openfire’s list always reports false', async () => {
    const res = await g.gql('{ groups { nodes { name shared } } }');
    expect(res.body.data.groups.nodes).toEqual([
      { name: 'developers', shared: true },
      { name: 'support', shared: false },
    ]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /groups': 1, 'GET /groups/{groupName}': 2 });
  });

  it('loads every group’s members with each user fetched once', async () => {
    const res = await g.gql('{ groups { nodes { name members { username } admins { username } } } }');
    expect(res.body.data.groups.nodes).toEqual([
      { name: 'developers', members: [{ username: 'john' }, { username: 'alice' }], admins: [{ username: 'jane' }] },
      { name: 'support', members: [{ username: 'bob' }, { username: 'john' }], admins: [] },
    ]);
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /groups': 1,
      'GET /groups/{groupName}': 2,
      'GET /users/{username}': 4,
    });
  });

  it('lists a user’s groups by name without reading the groups', async () => {
    const res = await g.gql('{ user(username: "john") { groups { name } } }');
    expect(res.body.data.user.groups).toEqual([{ name: 'developers' }, { name: 'support' }]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 1, 'GET /users/{username}/groups': 1 });
    await g.resetCalls();
    const detailed = await g.gql('{ user(username: "john") { groups { description } } }');
    expect(detailed.body.data.user.groups).toEqual([
      { description: 'Product developers' },
      { description: 'Customer support' },
    ]);
    expect((await g.upstreamCalls()).routes['GET /groups/{groupName}']).toBe(2);
  });
});

describe('group mutations', () => {
  it('creates a group with local and remote members and returns it as stored', async () => {
    const res = await g.gql(`mutation { createGroup(input: { name: "ops", description: "Operations", shared: true,
      members: ["john", "someone@elsewhere.net"], admins: ["jane"] }) { name description shared memberJids admins { username } } }`);
    expect(res.body.data.createGroup).toEqual({
      name: 'ops',
      description: 'Operations',
      shared: true,
      memberJids: ['john@example.org', 'someone@elsewhere.net'],
      admins: [{ username: 'jane' }],
    });
    expect(groupIn(await state(), 'ops')).toMatchObject({
      members: ['john@example.org', 'someone@elsewhere.net'],
      admins: ['jane@example.org'],
    });
  });

  it('reports an existing group as CONFLICT and rejects bad input before calling Openfire', async () => {
    const res = await g.gql('mutation { createGroup(input: { name: "support" }) { name } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'GroupAlreadyExistsException' });
    await g.resetCalls();
    expect(codeOf(await g.gql('mutation { createGroup(input: { name: "" }) { name } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await g.gql('mutation { createGroup(input: { name: "x", members: ["a b"] }) { name } }'))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('updates only the given fields of a group', async () => {
    const res = await g.gql(
      'mutation { updateGroup(name: "developers", input: { description: "Devs" }) { description shared memberJids adminJids } }',
    );
    expect(res.body.data.updateGroup).toEqual({
      description: 'Devs',
      shared: true,
      memberJids: ['john@example.org', 'alice@example.org'],
      adminJids: ['jane@example.org'],
    });
    const replaced = await g.gql(
      'mutation { updateGroup(name: "developers", input: { description: null, members: ["bob"] }) { description memberJids } }',
    );
    expect(replaced.body.data.updateGroup).toEqual({ description: null, memberJids: ['bob@example.org'] });
    expect(groupIn(await state(), 'developers')).toMatchObject({
      description: null,
      members: ['bob@example.org'],
      admins: ['jane@example.org'],
    });
  });

  it('refuses to update a group shared with everybody unless told what sharing it should end with', async () => {
    editGroup(await g.ready, 'support', (group) => {
      group.properties['sharedRoster.showInRoster'] = 'everybody';
    });
    const before = groupIn(await state(), 'support');
    // It reads as not shared: Openfire reports only onlyGroup (openfire-rest-api.md §7.6).
    expect((await g.gql('{ group(name: "support") { shared } }')).body.data.group.shared).toBe(false);
    await g.resetCalls();
    const refused = await g.gql('mutation { updateGroup(name: "support", input: { description: "Help" }) { name } }');
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toContain('reads as not shared');
    expect(refused.body.errors?.[0]?.message).toContain('Pass `shared: false`');
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /groups/{groupName}': 1 });
    expect(groupIn(await state(), 'support')).toEqual(before);
    expect(before?.properties['sharedRoster.showInRoster']).toBe('everybody');

    const accepted = await g.gql(
      'mutation { updateGroup(name: "support", input: { description: "Help", shared: false }) { description shared } }',
    );
    expect(accepted.body.data.updateGroup).toEqual({ description: 'Help', shared: false });
    expect(groupIn(await state(), 'support')?.properties['sharedRoster.showInRoster']).toBe('nobody');
  });

  it('refuses a plain not-shared group the same way, since the REST API cannot tell it from one shared with everybody', async () => {
    const refused = await g.gql('mutation { updateGroup(name: "support", input: { members: [] }) { name } }');
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    const shared = await g.gql(
      'mutation { updateGroup(name: "support", input: { description: "Help", shared: true }) { description shared } }',
    );
    expect(shared.body.data.updateGroup).toEqual({ description: 'Help', shared: true });
    expect(groupIn(await state(), 'support')?.properties['sharedRoster.showInRoster']).toBe('onlyGroup');
  });

  it('keeps a shared group shared, with the other groups it is shown to, when shared is not given', async () => {
    editGroup(await g.ready, 'developers', (group) => {
      group.properties['sharedRoster.groupList'] = 'support';
      group.properties['sharedRoster.displayName'] = 'Devs';
    });
    const res = await g.gql('mutation { updateGroup(name: "developers", input: { description: "Devs" }) { shared } }');
    expect(res.body.data.updateGroup).toEqual({ shared: true });
    expect(groupIn(await state(), 'developers')?.properties).toEqual({
      'sharedRoster.showInRoster': 'onlyGroup',
      'sharedRoster.displayName': 'Devs',
      'sharedRoster.groupList': 'support',
    });
  });

  it('deletes a group and reports a missing one as NOT_FOUND', async () => {
    expect((await g.gql('mutation { deleteGroup(name: "support") }')).body.data).toEqual({ deleteGroup: true });
    expect(groupIn(await state(), 'support')).toBeUndefined();
    const res = await g.gql('mutation { deleteGroup(name: "support") }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'GroupNotFoundException' });
    const update = await g.gql('mutation { updateGroup(name: "support", input: {}) { name } }');
    expect(codeOf(update)).toBe('NOT_FOUND');
  });
});

describe('group membership mutations', () => {
  it('adds a user to one group and to several, returning the user with the new groups', async () => {
    const one = await g.gql(
      'mutation { addUserToGroup(username: "Bob", group: "developers") { username groups { name } } }',
    );
    expect(one.body.data.addUserToGroup).toEqual({
      username: 'bob',
      groups: [{ name: 'developers' }, { name: 'support' }],
    });
    const many = await g.gql(
      'mutation { addUserToGroups(username: "admin", groups: ["developers", "support"]) { groups { name } } }',
    );
    expect(many.body.data.addUserToGroups.groups).toEqual([{ name: 'developers' }, { name: 'support' }]);
    const s = await state();
    expect(groupIn(s, 'developers')?.members).toEqual(expect.arrayContaining(['bob@example.org', 'admin@example.org']));
    expect(groupIn(s, 'support')?.members).toContain('admin@example.org');
  });

  it('answers NOT_FOUND for a missing group instead of Openfire’s 500, without changing anything', async () => {
    const one = await g.gql('mutation { addUserToGroup(username: "bob", group: "nope") { username } }');
    expect(one.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'GroupNotFoundException' });
    const many = await g.gql(
      'mutation { addUserToGroups(username: "admin", groups: ["developers", "nope"]) { username } }',
    );
    expect(codeOf(many)).toBe('NOT_FOUND');
    const routes = (await g.upstreamCalls()).routes;
    expect(routes['POST /users/{username}/groups/{groupName}']).toBeUndefined();
    expect(routes['POST /users/{username}/groups']).toBeUndefined();
    expect(groupIn(await state(), 'developers')?.members).not.toContain('admin@example.org');
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT for invalid names before calling Openfire', async () => {
    expect(codeOf(await g.gql('mutation { addUserToGroup(username: "ghost", group: "support") { username } }'))).toBe(
      'NOT_FOUND',
    );
    await g.resetCalls();
    expect(codeOf(await g.gql('mutation { addUserToGroup(username: "a@b", group: "support") { username } }'))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await g.gql('mutation { addUserToGroups(username: "bob", groups: [""]) { username } }'))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('removes a user from one group and from several', async () => {
    const one = await g.gql('mutation { removeUserFromGroup(username: "john", group: "support") { groups { name } } }');
    expect(one.body.data.removeUserFromGroup.groups).toEqual([{ name: 'developers' }]);
    const many = await g.gql(
      'mutation { removeUserFromGroups(username: "john", groups: ["developers", "support"]) { groups { name } } }',
    );
    expect(many.body.data.removeUserFromGroups.groups).toEqual([]);
    const s = await state();
    expect([...(groupIn(s, 'developers')?.members ?? []), ...(groupIn(s, 'support')?.members ?? [])]).not.toContain(
      'john@example.org',
    );
  });

  it('removes from no group when one of the listed groups is missing, unlike Openfire', async () => {
    const res = await g.gql(
      'mutation { removeUserFromGroups(username: "john", groups: ["support", "nope"]) { username } }',
    );
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(groupIn(await state(), 'support')?.members).toContain('john@example.org');
    const single = await g.gql('mutation { removeUserFromGroup(username: "john", group: "nope") { username } }');
    expect(single.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'GroupNotFoundException' });
  });
});
