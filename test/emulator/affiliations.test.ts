import { describe, expect, it } from 'vitest';
import { putGroup, useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const JSON_ACCEPT = { accept: 'application/json' };
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
// Openfire's GroupJID for the group "Some" (openfire-rest-api.md §7.9): base32hex node, MD5 resource.
const SOME_JID = 'ADNMQP8=@example.org/695c6ae413c00446733d926ccadefd8b';

async function seed(room: Record<string, unknown> = {}): Promise<void> {
  (await t.ready).edit((draft) => {
    putGroup(draft, { name: 'Some', members: ['ann@example.org'] });
    putGroup(draft, { name: 'test group' });
  });
  const body = { roomName: 'lobby', admins: ['john@example.org'], members: ['jane@example.org'], ...room };
  expect((await t.api('POST', '/chatrooms', { body })).status).toBe(201);
}

const list = async (affiliation: string): Promise<string[]> =>
  (await t.api('GET', `/chatrooms/lobby/${affiliation}`, JSON_ACCEPT)).json()[affiliation];

const error = (exception: string, message: string, resource: string) =>
  `${XML}<error><exception>${exception}</exception><message>${message}</message><resource>${resource}</resource></error>`;

describe('GET /chatrooms/{roomName}/{affiliation}', () => {
  it('lists the members as XML by default', async () => {
    await seed();
    const res = await t.api('GET', '/chatrooms/lobby/members');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text).toBe(`${XML}<members><member>jane@example.org</member></members>`);
  });

  it('lists owners as JSON, group affiliations as group JIDs', async () => {
    await seed({ ownerGroups: ['Some'] });
    const res = await t.api('GET', '/chatrooms/lobby/owners', JSON_ACCEPT);
    expect(res.text).toBe(`{"owners":["admin@example.org","${SOME_JID}"]}`);
  });

  it('renders an empty list', async () => {
    await seed();
    expect((await t.api('GET', '/chatrooms/lobby/outcasts')).text).toBe(`${XML}<outcasts/>`);
    expect((await t.api('GET', '/chatrooms/lobby/outcasts', JSON_ACCEPT)).text).toBe('{"outcasts":[]}');
  });

  it('answers 404 for an unknown room and for a singular affiliation segment', async () => {
    const room = await t.api('GET', '/chatrooms/nowhere/admins', JSON_ACCEPT);
    expect(room.status).toBe(404);
    expect(room.text).toBe(
      '{"resource":"nowhere","message":"Chat room does not exist or is not accessible.","exception":"RoomNotFoundException"}',
    );
    await seed();
    const singular = await t.api('GET', '/chatrooms/lobby/member', JSON_ACCEPT);
    expect(singular.status).toBe(404);
    expect(singular.json()).toMatchObject({ servlet: 'PluginServlet', status: '404' });
  });
});

describe('POST /chatrooms/{roomName}/{affiliation}/{jid}', () => {
  it('adds a user by name and a JID, answering 201 with an empty body', async () => {
    await seed();
    const byName = await t.api('POST', '/chatrooms/lobby/outcasts/bob');
    expect(byName.status).toBe(201);
    expect(byName.text).toBe('');
    expect((await t.api('POST', '/chatrooms/lobby/outcasts/eve@example.org', JSON_ACCEPT)).status).toBe(201);
    expect(await list('outcasts')).toEqual(['bob@example.org', 'eve@example.org']);
  });

  it('moves an entity from its previous affiliation', async () => {
    await seed();
    await t.api('POST', '/chatrooms/lobby/members/john@example.org');
    expect(await list('admins')).toEqual([]);
    expect(await list('members')).toEqual(['jane@example.org', 'john@example.org']);
  });

  it('is a no-op for an entity that already holds the affiliation', async () => {
    await seed();
    expect((await t.api('POST', '/chatrooms/lobby/members/jane')).status).toBe(201);
    expect(await list('members')).toEqual(['jane@example.org']);
  });

  it('answers 400 for a value that is not a JID', async () => {
    await seed();
    const res = await t.api('POST', '/chatrooms/lobby/members/a%20b');
    expect(res.status).toBe(400);
    expect(res.text).toBe(error('IllegalArgumentException', 'Unable to parse value as jid: a b', 'lobby'));
  });

  it('answers 409 when the last owner would lose ownership', async () => {
    await seed();
    const res = await t.api('POST', '/chatrooms/lobby/members/admin', JSON_ACCEPT);
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      '{"resource":"lobby","message":"Could not apply modification to list of member","exception":"NotAllowedException"}',
    );
    expect(await list('owners')).toEqual(['admin@example.org']);
  });

  it('answers 409 for a member without nickname in a room restricted to reserved nicknames', async () => {
    await seed({ members: [], loginRestrictedToNickname: true });
    const res = await t.api('POST', '/chatrooms/lobby/members/jane');
    expect(res.status).toBe(409);
    expect(res.text).toBe(error('NotAllowedException', 'Could not apply modification to list of member', 'lobby'));
  });

  it('answers 404 for an unknown service', async () => {
    const res = await t.api('POST', '/chatrooms/lobby/members/jane?servicename=nope');
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      error('MUCServiceNotFoundException', 'Chat service does not exist or is not accessible.', 'nope'),
    );
  });

  it('invites the newly affiliated entity when asked', async () => {
    await seed();
    await t.api('POST', '/chatrooms/lobby/admins/bob?sendInvitations=true');
    const outbox = (await t.ready).snapshot().outbox.map(({ to, body }) => ({ to, body }));
    expect(outbox).toEqual([{ to: 'bob@example.org', body: 'You are admin of room lobby' }]);
  });
});

describe('POST /chatrooms/{roomName}/{affiliation}/group/{groupname}', () => {
  it('adds a group, shown by name on the room and as a group JID in the list', async () => {
    await seed();
    const res = await t.api('POST', '/chatrooms/lobby/members/group/test%20group');
    expect(res.status).toBe(201);
    expect((await t.api('GET', '/chatrooms/lobby', JSON_ACCEPT)).json()).toMatchObject({
      members: ['jane@example.org'],
      memberGroups: ['test group'],
    });
    expect(await list('members')).toEqual([
      'jane@example.org',
      'EHIN6T10CTP6UTBG@example.org/a7ddb18d057601f26b0c679a764bab07',
    ]);
  });

  it('resolves a name that is not a group as a local user', async () => {
    await seed();
    expect((await t.api('POST', '/chatrooms/lobby/outcasts/group/mallory', JSON_ACCEPT)).status).toBe(201);
    expect(await list('outcasts')).toEqual(['mallory@example.org']);
  });
});

describe('DELETE /chatrooms/{roomName}/{affiliation}/{jid}', () => {
  it('removes the affiliation by name or JID, answering 200 with an empty body', async () => {
    await seed({ members: ['jane@example.org', 'bob@example.org'] });
    const res = await t.api('DELETE', '/chatrooms/lobby/members/jane');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await t.api('DELETE', '/chatrooms/lobby/members/bob@example.org', JSON_ACCEPT)).status).toBe(200);
    expect(await list('members')).toEqual([]);
  });

  it('answers 409 for an entity without that affiliation, naming the path value', async () => {
    await seed();
    const xml = await t.api('DELETE', '/chatrooms/lobby/members/John');
    expect(xml.status).toBe(409);
    expect(xml.text).toBe(error('NotAllowedException', 'Could not delete affiliation', 'John'));
    const json = await t.api('DELETE', '/chatrooms/lobby/outcasts/nobody@example.org', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"nobody@example.org","message":"Could not delete affiliation","exception":"NotAllowedException"}',
    );
    expect(await list('admins')).toEqual(['john@example.org']);
  });

  it('answers 409 when removing the last owner', async () => {
    await seed();
    const res = await t.api('DELETE', '/chatrooms/lobby/owners/admin@example.org');
    expect(res.status).toBe(409);
    expect(res.text).toBe(error('NotAllowedException', 'Could not delete affiliation', 'admin@example.org'));
  });

  it('answers 404 for an unknown room', async () => {
    const res = await t.api('DELETE', '/chatrooms/nowhere/members/jane');
    expect(res.status).toBe(404);
    expect(res.text).toBe(error('RoomNotFoundException', 'Chat room does not exist or is not accessible.', 'nowhere'));
  });
});

describe('DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}', () => {
  it('removes a group affiliation', async () => {
    await seed({ memberGroups: ['test group'] });
    expect((await t.api('DELETE', '/chatrooms/lobby/members/group/test%20group')).status).toBe(200);
    expect((await t.api('GET', '/chatrooms/lobby', JSON_ACCEPT)).json().memberGroups).toEqual([]);
  });

  it('answers 409 for a group without that affiliation', async () => {
    await seed({ memberGroups: ['test group'] });
    const res = await t.api('DELETE', '/chatrooms/lobby/admins/group/test%20group', JSON_ACCEPT);
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      resource: 'test group',
      message: 'Could not delete affiliation',
      exception: 'NotAllowedException',
    });
  });
});

describe('PUT and POST /chatrooms/{roomName}/{affiliation} with a list body', () => {
  it('fail with a container 400 because the body type is abstract upstream (issue #163)', async () => {
    await seed();
    const xml = await t.api('PUT', '/chatrooms/lobby/members', {
      body: '<members><member>bob@example.org</member></members>',
    });
    expect(xml.status).toBe(400);
    expect(xml.headers['content-type']).toMatch(/^text\/html/);
    const json = await t.api('POST', '/chatrooms/lobby/members', {
      body: { members: ['bob@example.org'] },
      ...JSON_ACCEPT,
    });
    expect(json.status).toBe(400);
    expect(json.json()).toMatchObject({ servlet: 'PluginServlet', status: '400' });
    expect(await list('members')).toEqual(['jane@example.org']);
  });

  it('fail with an unmapped 500 without a body', async () => {
    await seed();
    expect((await t.api('PUT', '/chatrooms/lobby/members')).status).toBe(500);
  });
});
