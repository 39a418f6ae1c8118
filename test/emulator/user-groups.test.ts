import { describe, expect, it } from 'vitest';
import { newGroup } from '../../src/emulator/domain.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { groupIn, settings, useEmulator } from '../helpers/emulator.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const JSON_ACCEPT = { accept: 'application/json' } as const;

const devs = {
  ...newGroup('devs', 'Developers', 'nobody'),
  members: ['john@example.org'],
  admins: ['jane@example.org'],
};
const ops = newGroup('ops', null, 'nobody');
const t = useEmulator({ seed: { ...demoSeed(settings), groups: [ops, devs] } });

const group = async (name: string) => {
  const found = groupIn((await t.ready).snapshot(), name);
  return found && { members: found.members, admins: found.admins };
};

describe('GET /users/{username}/groups', () => {
  it('lists the groups where the user is member or admin, in XML by default', async () => {
    const res = await t.api('GET', '/users/jane/groups');
    expect(res.status).toBe(200);
    expect(res.text).toBe(`${XML}<groups><groupname>devs</groupname></groups>`);
  });

  it('lists the group names as JSON groupnames', async () => {
    await t.api('POST', '/users/john/groups/ops');
    const res = await t.api('GET', '/users/JOHN/groups', JSON_ACCEPT);
    expect([res.status, res.text]).toEqual([200, '{"groupnames":["devs","ops"]}']);
  });

  it('answers an empty list for a user in no group', async () => {
    expect((await t.api('GET', '/users/admin/groups')).text).toBe(`${XML}<groups/>`);
    expect((await t.api('GET', '/users/admin/groups', JSON_ACCEPT)).text).toBe('{"groupnames":[]}');
  });

  it('reduces a JID on the local domain to its node', async () => {
    expect((await t.api('GET', '/users/john@example.org/groups', JSON_ACCEPT)).text).toBe('{"groupnames":["devs"]}');
  });

  it('answers a mapped 500 GroupNotFoundException for a JID on another domain', async () => {
    const res = await t.api('GET', '/users/john@elsewhere.net/groups');
    expect(res.status).toBe(500);
    expect(res.text).toBe(
      `${XML}<error><exception>GroupNotFoundException</exception><message>This service cannot be used for non-local users.</message><resource>john@elsewhere.net</resource></error>`,
    );
  });

  it('answers 404 Could not get user for an unknown user', async () => {
    const res = await t.api('GET', '/users/nobody/groups', JSON_ACCEPT);
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"resource":"nobody","message":"Could not get user","exception":"UserNotFoundException"}');
  });
});

describe('POST /users/{username}/groups', () => {
  it('adds the user as member of every listed group, downgrading an admin', async () => {
    const res = await t.api('POST', '/users/jane/groups', {
      body: '<groups><groupname>ops</groupname><groupname>devs</groupname></groups>',
    });
    expect([res.status, res.text]).toEqual([201, '']);
    expect(await group('devs')).toEqual({ members: ['john@example.org', 'jane@example.org'], admins: [] });
    expect((await t.api('GET', '/users/jane/groups', JSON_ACCEPT)).text).toBe('{"groupnames":["devs","ops"]}');
  });

  it('adds remote JIDs and unknown local users without checking them', async () => {
    await t.api('POST', '/users/Bob@Remote.net/groups', { body: { groupnames: ['ops'] } });
    await t.api('POST', '/users/ghost/groups', { body: { groupnames: ['ops'] } });
    expect(await group('ops')).toEqual({ members: ['bob@remote.net', 'ghost@example.org'], admins: [] });
  });

  it('fails with an unmapped 500 for a missing group, creating nothing and adding to no group', async () => {
    const res = await t.api('POST', '/users/john/groups', { body: { groupnames: ['ops', 'missing'] }, ...JSON_ACCEPT });
    expect(res.status).toBe(500);
    expect(res.json().message).toBe('Request failed.');
    expect(await group('missing')).toBeUndefined();
    expect(await group('ops')).toEqual({ members: [], admins: [] });
  });

  it('answers 400 Could not create new group for an empty group name, in XML or JSON', async () => {
    const xml = await t.api('POST', '/users/john/groups', { body: '<groups><groupname></groupname></groups>' });
    expect(xml.status).toBe(400);
    expect(xml.text).toBe(
      `${XML}<error><exception>IllegalArgumentException</exception><message>Could not create new group</message><resource>groups</resource></error>`,
    );
    const json = await t.api('POST', '/users/john/groups', { body: { groupnames: [''] } });
    expect(json.text).toBe(
      '{"resource":"groups","message":"Could not create new group","exception":"IllegalArgumentException"}',
    );
  });

  it('is a no-op for an empty JSON body but an unmapped 500 for an object without list', async () => {
    expect((await t.api('POST', '/users/john/groups', { body: '', contentType: 'application/json' })).status).toBe(201);
    expect((await t.api('POST', '/users/john/groups', { body: {} })).status).toBe(500);
    expect(await group('ops')).toEqual({ members: [], admins: [] });
  });
});

describe('POST /users/{username}/groups/{groupName}', () => {
  it('adds the user as member of the group', async () => {
    const res = await t.api('POST', '/users/admin/groups/ops');
    expect([res.status, res.text]).toEqual([201, '']);
    expect((await t.api('GET', '/users/admin/groups')).text).toBe(`${XML}<groups><groupname>ops</groupname></groups>`);
  });

  it('fails with an unmapped 500 for a missing group, which is not created', async () => {
    const res = await t.api('POST', '/users/admin/groups/newgroup');
    expect(res.status).toBe(500);
    expect(res.text).toContain('Request failed.');
    expect(await group('newgroup')).toBeUndefined();
  });

  it('fails with an unmapped 500 for a username that is not a valid JID node', async () => {
    expect((await t.api('POST', '/users/a%20b/groups/ops')).status).toBe(500);
  });
});

describe('DELETE /users/{username}/groups/{groupName}', () => {
  it('removes a member and answers 200', async () => {
    const res = await t.api('DELETE', '/users/john/groups/devs');
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await t.api('GET', '/users/john/groups')).text).toBe(`${XML}<groups/>`);
  });

  it('leaves an admin in place and succeeds silently for a non-member', async () => {
    expect((await t.api('DELETE', '/users/jane/groups/devs')).status).toBe(200);
    expect((await t.api('DELETE', '/users/admin/groups/devs')).status).toBe(200);
    expect(await group('devs')).toEqual({ members: ['john@example.org'], admins: ['jane@example.org'] });
  });

  it('answers 404 Could not find group for a missing group, in XML or JSON', async () => {
    const xml = await t.api('DELETE', '/users/john/groups/missing');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      `${XML}<error><exception>GroupNotFoundException</exception><message>Could not find group</message><resource>missing</resource></error>`,
    );
    const json = await t.api('DELETE', '/users/john/groups/missing', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"missing","message":"Could not find group","exception":"GroupNotFoundException"}',
    );
  });
});

describe('DELETE /users/{username}/groups', () => {
  it('removes the user from every listed group', async () => {
    await t.api('POST', '/users/john/groups/ops');
    const res = await t.api('DELETE', '/users/john/groups', {
      body: '<groups><groupname>devs</groupname><groupname>ops</groupname></groups>',
    });
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await t.api('GET', '/users/john/groups')).text).toBe(`${XML}<groups/>`);
  });

  it('processes the groups before a missing one, then answers 404', async () => {
    const res = await t.api('DELETE', '/users/john/groups', { body: { groupnames: ['devs', 'missing', 'ops'] } });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({
      resource: 'missing',
      message: 'Could not find group',
      exception: 'GroupNotFoundException',
    });
    expect(await group('devs')).toEqual({ members: [], admins: ['jane@example.org'] });
  });

  it('is a no-op for an empty JSON body', async () => {
    expect((await t.api('DELETE', '/users/john/groups', { body: '', contentType: 'application/json' })).status).toBe(
      200,
    );
    expect(await group('devs')).toEqual({ members: ['john@example.org'], admins: ['jane@example.org'] });
  });
});
