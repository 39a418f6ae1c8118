import { describe, expect, it } from 'vitest';
import { newGroup, type ShowInRoster } from '../../src/emulator/domain.js';
import { editGroup, groupIn, useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
/** The `<error>` entity of RESTExceptionMapper, elements in JAXB's alphabetical order (openfire-rest-api.md §4.3). */
const xmlError = (exception: string, message: string, resource: string): string =>
  `${XML}<error><exception>${exception}</exception><message>${message}</message><resource>${resource}</resource></error>`;
const JSON_ACCEPT = { accept: 'application/json' };

const group1 = { name: 'group1', description: 'test-group', admins: ['jane'], members: ['john'], shared: false };

async function createGroup(body: unknown = group1) {
  const res = await t.api('POST', '/groups', { body });
  expect(res.status).toBe(201);
}

describe('GET /groups', () => {
  it('lists no groups as an empty root in XML and an empty array in JSON', async () => {
    expect((await t.api('GET', '/groups')).text).toBe(`${XML}<groups/>`);
    expect((await t.api('GET', '/groups', JSON_ACCEPT)).text).toBe('{"groups":[]}');
  });

  it('lists groups by name with shared always false and without members or admins', async () => {
    await createGroup({ ...group1, name: 'zeta', shared: true });
    await createGroup({ name: 'alpha', admins: [], members: [] });
    const xml = await t.api('GET', '/groups');
    expect(xml.status).toBe(200);
    expect(xml.text).toBe(
      `${XML}<groups><group><name>alpha</name><shared>false</shared></group>` +
        '<group><name>zeta</name><description>test-group</description><shared>false</shared></group></groups>',
    );
    const json = await t.api('GET', '/groups', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"groups":[{"name":"alpha","shared":false},{"name":"zeta","description":"test-group","shared":false}]}',
    );
  });
});

describe('POST /groups', () => {
  it('creates a group whose detail shows bare JIDs of admins and members', async () => {
    const res = await t.api('POST', '/groups', { body: group1 });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect((await t.api('GET', '/groups/group1')).text).toBe(
      `${XML}<group><name>group1</name><description>test-group</description><admins><admin>jane@example.org</admin></admins>` +
        '<members><member>john@example.org</member></members><shared>false</shared></group>',
    );
    expect((await t.api('GET', '/groups/group1', JSON_ACCEPT)).text).toBe(
      '{"name":"group1","description":"test-group","admins":["jane@example.org"],"members":["john@example.org"],"shared":false}',
    );
  });

  it('accepts an XML body and keeps JIDs with a domain as given, reduced to bare form', async () => {
    const body =
      '<group><name>remote</name><members><member>Ann@Other.net/phone</member></members><admins/><shared>true</shared></group>';
    expect((await t.api('POST', '/groups', { body })).status).toBe(201);
    const res = await t.api('GET', '/groups/remote', JSON_ACCEPT);
    expect(res.json()).toEqual({ name: 'remote', admins: [], members: ['ann@other.net'], shared: true });
  });

  it('sets the shared-roster properties from shared', async () => {
    await createGroup({ ...group1, shared: true });
    await createGroup({ name: 'private', admins: [], members: [] });
    const state = (await t.ready).snapshot();
    expect(groupIn(state, 'group1')?.properties).toEqual({
      'sharedRoster.showInRoster': 'onlyGroup',
      'sharedRoster.displayName': 'group1',
      'sharedRoster.groupList': '',
    });
    expect(groupIn(state, 'private')?.properties['sharedRoster.showInRoster']).toBe('nobody');
  });

  it('makes a JID listed as both member and admin an admin only', async () => {
    await createGroup({ name: 'both', admins: ['jane'], members: ['jane', 'john'] });
    const res = await t.api('GET', '/groups/both', JSON_ACCEPT);
    expect(res.json()).toMatchObject({ admins: ['jane@example.org'], members: ['john@example.org'] });
  });

  it('rejects an empty JSON body with a JSON IllegalArgumentException', async () => {
    const res = await t.api('POST', '/groups', { body: '', contentType: 'application/json' });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '{"resource":"groups","message":"Could not create new group","exception":"IllegalArgumentException"}',
    );
  });

  it('rejects an empty name with an XML IllegalArgumentException', async () => {
    const res = await t.api('POST', '/groups', { body: '<group><name></name><members/><admins/></group>' });
    expect(res.status).toBe(400);
    expect(res.text).toBe(xmlError('IllegalArgumentException', 'Could not create new group', 'groups'));
  });

  it('fails with an unmapped 500 when name, members, admins or an explicit shared is missing', async () => {
    for (const body of [
      { admins: [], members: [] },
      { name: 'g', admins: [] },
      { name: 'g', members: [] },
      { name: 'g', admins: [], members: [], shared: null },
    ]) {
      const res = await t.api('POST', '/groups', { body, accept: 'application/json' });
      expect(res.status).toBe(500);
      expect(res.json()).toMatchObject({ message: 'Request failed.', status: '500' });
    }
    expect((await t.api('GET', '/groups', JSON_ACCEPT)).text).toBe('{"groups":[]}');
  });

  it('answers 409 for an existing group and for a whitespace-only name', async () => {
    await createGroup();
    const dup = await t.api('POST', '/groups', { body: group1 });
    expect(dup.status).toBe(409);
    expect(dup.text).toBe(
      '{"resource":"group1","message":"Could not create a group","exception":"GroupAlreadyExistsException"}',
    );
    const blank = await t.api('POST', '/groups', { body: '<group><name>  </name><members/><admins/></group>' });
    expect(blank.status).toBe(409);
    expect(blank.text).toBe(xmlError('GroupAlreadyExistsException', 'Could not create a group', '  '));
  });

  it('rejects member and admin values that are not JIDs, naming the value', async () => {
    const member = await t.api('POST', '/groups', { body: { name: 'g', admins: [], members: ['a b'] } });
    expect(member.status).toBe(400);
    expect(member.json()).toEqual({
      resource: 'g',
      message: 'Cannot parse a member value as a JID: a b',
      exception: 'IllegalArgumentException',
    });
    const admin = await t.api('POST', '/groups', {
      body: '<group><name>g</name><members/><admins><admin>x@</admin></admins></group>',
    });
    expect(admin.status).toBe(400);
    expect(admin.text).toContain('<message>Cannot parse a admin value as a JID: x@</message><resource>g</resource>');
    expect((await t.api('GET', '/groups/g')).status).toBe(404);
  });
});

describe('GET /groups/{groupName}', () => {
  it('answers 404 GroupNotFoundException for an unknown or differently cased name', async () => {
    await createGroup();
    const xml = await t.api('GET', '/groups/Group1');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(xmlError('GroupNotFoundException', 'Could not find group', 'Group1'));
    const json = await t.api('GET', '/groups/nope', JSON_ACCEPT);
    expect(json.text).toBe('{"resource":"nope","message":"Could not find group","exception":"GroupNotFoundException"}');
  });

  it('reports shared false for a group shown to everybody', async () => {
    await createGroup();
    editGroup(await t.ready, 'group1', (group) => {
      group.properties['sharedRoster.showInRoster'] = 'everybody';
    });
    expect((await t.api('GET', '/groups/group1', JSON_ACCEPT)).json().shared).toBe(false);
  });
});

describe('PUT /groups/{groupName}', () => {
  it('replaces description, shared flag, members and admins exactly', async () => {
    await createGroup();
    const body = { name: 'group1', admins: ['john'], members: ['admin', 'jane'], shared: true };
    const res = await t.api('PUT', '/groups/group1', { body });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await t.api('GET', '/groups/group1', JSON_ACCEPT)).text).toBe(
      '{"name":"group1","admins":["john@example.org"],"members":["admin@example.org","jane@example.org"],"shared":true}',
    );
    expect(groupIn((await t.ready).snapshot(), 'group1')?.properties['sharedRoster.displayName']).toBe('group1');
  });

  it('rejects a missing entity and an empty name', async () => {
    await createGroup();
    const empty = await t.api('PUT', '/groups/group1', { body: '', contentType: 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.text).toBe(
      '{"resource":"groups","message":"Could not update new group","exception":"IllegalArgumentException"}',
    );
    const blank = await t.api('PUT', '/groups/group1', { body: '<group><name/><members/><admins/></group>' });
    expect(blank.text).toContain('<message>Could not update new group</message><resource>groups</resource>');
  });

  it('rejects a body name that differs from the path, naming both', async () => {
    await createGroup();
    const res = await t.api('PUT', '/groups/group1', { body: { ...group1, name: 'Group1' } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      resource: 'group1 != Group1',
      message: 'Could not update the group. The group name is different to the payload group name.',
      exception: 'IllegalArgumentException',
    });
  });

  it('answers 404 for a missing group before validating members', async () => {
    const res = await t.api('PUT', '/groups/ghost', {
      body: '<group><name>ghost</name><members><member>a b</member></members><admins/></group>',
    });
    expect(res.status).toBe(404);
    expect(res.text).toBe(xmlError('GroupNotFoundException', 'Could not find group', 'ghost'));
  });

  it('fails with an unmapped 500 when a list is missing, leaving the group unchanged', async () => {
    await createGroup();
    const res = await t.api('PUT', '/groups/group1', { body: { name: 'group1', members: [] } });
    expect(res.status).toBe(500);
    expect((await t.api('GET', '/groups/group1', JSON_ACCEPT)).json().members).toEqual(['john@example.org']);
  });

  it('rejects a member value that is not a JID', async () => {
    await createGroup();
    const res = await t.api('PUT', '/groups/group1', { body: { name: 'group1', admins: [], members: ['a@b@c'] } });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe('Cannot parse a member value as a JID: a@b@c');
  });
});

describe('DELETE /groups/{groupName}', () => {
  it('deletes a group, after which it is gone', async () => {
    await createGroup();
    const res = await t.api('DELETE', '/groups/group1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await t.api('GET', '/groups/group1')).status).toBe(404);
    expect((await t.api('GET', '/groups', JSON_ACCEPT)).text).toBe('{"groups":[]}');
  });

  it('answers 404 for an unknown group', async () => {
    const xml = await t.api('DELETE', '/groups/ghost');
    expect(xml.status).toBe(404);
    expect(xml.text).toContain('<exception>GroupNotFoundException</exception>');
    const json = await t.api('DELETE', '/groups/ghost', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"ghost","message":"Could not find group","exception":"GroupNotFoundException"}',
    );
  });
});

/**
 * `sharedRoster.showInRoster` as the admin console leaves it (openfire-rest-api.md §7.6; GroupController.java getGroup
 * and updateGroup): GET reports shared only for `onlyGroup`, PUT rewrites the value to `onlyGroup` or `nobody` and
 * leaves `displayName` and `groupList` alone. The console's `spefgroups` is stored as `onlyGroup` with a group list.
 */
describe('sharedRoster.showInRoster', () => {
  const arrange = async (show: ShowInRoster, groupList: string[] = []) => {
    const group = { ...newGroup('team', 'Team', show, groupList), members: ['john@example.org'] };
    group.properties['sharedRoster.displayName'] = 'The Team';
    (await t.ready).edit((draft) => {
      draft.groups.push(group);
    });
  };
  const properties = async () => groupIn((await t.ready).snapshot(), 'team')?.properties;
  const shared = async () => (await t.api('GET', '/groups/team', JSON_ACCEPT)).json().shared;
  const put = (sharedFlag: boolean) =>
    t.api('PUT', '/groups/team', {
      body: { name: 'team', description: 'Team', members: ['john'], admins: [], shared: sharedFlag },
    });

  it.each([
    ['everybody', [], false, 'everybody', ''],
    ['onlyGroup', [], true, 'onlyGroup', ''],
    ['spefgroups', ['staff', 'ops'], true, 'onlyGroup', 'staff,ops'],
    ['nobody', [], false, 'nobody', ''],
  ] as const)(
    '%s: stored as Openfire stores it, GET reports shared = %s',
    async (show, list, expected, stored, groupList) => {
      await arrange(show, [...list]);
      expect(await properties()).toEqual({
        'sharedRoster.showInRoster': stored,
        'sharedRoster.displayName': 'The Team',
        'sharedRoster.groupList': groupList,
      });
      expect(await shared()).toBe(expected);
    },
  );

  it('reports a stored spefgroups value (which Openfire never writes) as not shared', async () => {
    await arrange('onlyGroup', ['staff']);
    editGroup(await t.ready, 'team', (group) => {
      group.properties['sharedRoster.showInRoster'] = 'spefgroups';
    });
    expect(await shared()).toBe(false);
  });

  it.each([
    ['everybody', false, 'nobody'],
    ['everybody', true, 'onlyGroup'],
    ['onlyGroup', false, 'nobody'],
    ['onlyGroup', true, 'onlyGroup'],
    ['spefgroups', false, 'nobody'],
    ['spefgroups', true, 'onlyGroup'],
    ['nobody', false, 'nobody'],
    ['nobody', true, 'onlyGroup'],
  ] as const)(
    'PUT on %s with shared %s rewrites it to %s, keeping displayName and groupList',
    async (show, flag, after) => {
      await arrange(show, show === 'spefgroups' ? ['staff'] : []);
      const before = await properties();
      expect((await put(flag)).status).toBe(200);
      expect(await properties()).toEqual({ ...before, 'sharedRoster.showInRoster': after });
      expect(await shared()).toBe(flag);
    },
  );
});
