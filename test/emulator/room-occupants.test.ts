import { describe, expect, it } from 'vitest';
import { roomRecord } from '../../src/emulator/seeds/builders.js';
import type { RoomRecord } from '../../src/emulator/store.js';
import { putGroup, putRoom, useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const JSON_ACCEPT = { accept: 'application/json' };
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const STAMP = Date.UTC(2024, 4, 1, 12, 30, 0, 250);

const lobby = (): RoomRecord =>
  roomRecord('lobby', STAMP, {
    affiliations: { 'admin@example.org': 'owner', 'jane@example.org': 'member' },
    occupants: [
      { nickname: 'jane', userAddress: 'jane@example.org/converse.js-131754909', role: 'participant' },
      { nickname: 'John', userAddress: 'john@example.org/converse.js-57890634', role: 'participant' },
    ],
  });

async function seed(room: RoomRecord = lobby()): Promise<void> {
  (await t.ready).edit((draft) => {
    putRoom(draft, room);
    putGroup(draft, { name: 'Some', members: ['ann@example.org'], admins: ['bob@example.org'] });
  });
}

const invitations = async () =>
  (await t.ready)
    .snapshot()
    .outbox.filter((o) => o.kind === 'invitation')
    .map(({ to, body }) => ({ to, body }));

describe('GET /chatrooms/{roomName}/occupants', () => {
  it('renders the golden occupants as XML, elements in alphabetical order', async () => {
    await seed();
    const res = await t.api('GET', '/chatrooms/lobby/occupants');
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `${XML}<occupants><occupant><affiliation>member</affiliation><jid>lobby@conference.example.org/jane</jid><role>participant</role><userAddress>jane@example.org/converse.js-131754909</userAddress></occupant><occupant><affiliation>none</affiliation><jid>lobby@conference.example.org/John</jid><role>participant</role><userAddress>john@example.org/converse.js-57890634</userAddress></occupant></occupants>`,
    );
  });

  it('renders the golden occupants as JSON', async () => {
    await seed();
    const res = await t.api('GET', '/chatrooms/lobby/occupants', JSON_ACCEPT);
    expect(res.text).toBe(
      '{"occupants":[{"jid":"lobby@conference.example.org/jane","userAddress":"jane@example.org/converse.js-131754909","role":"participant","affiliation":"member"},{"jid":"lobby@conference.example.org/John","userAddress":"john@example.org/converse.js-57890634","role":"participant","affiliation":"none"}]}',
    );
  });

  it('derives an affiliation held through a group', async () => {
    const room = lobby();
    room.groupAffiliations = { Some: 'admin' };
    room.occupants = [{ nickname: 'ann', userAddress: 'ann@example.org/web', role: 'moderator' }];
    await seed(room);
    const res = await t.api('GET', '/chatrooms/lobby/occupants', JSON_ACCEPT);
    expect(res.json().occupants[0].affiliation).toBe('admin');
  });

  it('answers 404 for an unknown room in XML and JSON', async () => {
    const xml = await t.api('GET', '/chatrooms/nowhere/occupants');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      `${XML}<error><exception>RoomNotFoundException</exception><message>Chat room does not exist or is not accessible.</message><resource>nowhere</resource></error>`,
    );
    const json = await t.api('GET', '/chatrooms/nowhere/occupants?servicename=none', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"none","message":"Chat service does not exist or is not accessible.","exception":"MUCServiceNotFoundException"}',
    );
  });
});

describe('GET /chatrooms/{roomName}/participants', () => {
  it('lists only occupants whose role is participant', async () => {
    const room = lobby();
    room.occupants.push({ nickname: 'boss', userAddress: 'admin@example.org/desk', role: 'moderator' });
    await seed(room);
    const xml = await t.api('GET', '/chatrooms/lobby/participants');
    expect(xml.text).toBe(
      `${XML}<participants><participant><affiliation>member</affiliation><jid>lobby@conference.example.org/jane</jid><role>participant</role></participant><participant><affiliation>none</affiliation><jid>lobby@conference.example.org/John</jid><role>participant</role></participant></participants>`,
    );
    const json = await t.api('GET', '/chatrooms/lobby/participants', JSON_ACCEPT);
    expect(json.json().participants[0]).toEqual({
      jid: 'lobby@conference.example.org/jane',
      role: 'participant',
      affiliation: 'member',
    });
    expect(Object.keys(json.json().participants[0])).toEqual(['jid', 'role', 'affiliation']);
  });

  it('renders an empty list as a self-closing root and an empty array', async () => {
    await seed({ ...lobby(), occupants: [] });
    expect((await t.api('GET', '/chatrooms/lobby/participants')).text).toBe(`${XML}<participants/>`);
    expect((await t.api('GET', '/chatrooms/lobby/participants', JSON_ACCEPT)).text).toBe('{"participants":[]}');
  });
});

describe('GET /chatrooms/{roomName}/chathistory', () => {
  const message = {
    from: 'lobby@conference.example.org/jane',
    to: 'lobby@conference.example.org',
    type: 'groupchat',
    body: 'Hi',
    stamp: STAMP,
    delayFrom: 'jane@example.org/web',
  };

  it('renders the history with delay stamp and sender as XML', async () => {
    await seed({ ...lobby(), history: [message] });
    const res = await t.api('GET', '/chatrooms/lobby/chathistory');
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `${XML}<messages><message><to>lobby@conference.example.org</to><from>lobby@conference.example.org/jane</from><type>groupchat</type><body>Hi</body><delay_stamp>2024-05-01T12:30:00.250Z</delay_stamp><delay_from>jane@example.org/web</delay_from></message></messages>`,
    );
  });

  it('renders the history under the singular message key in JSON, empty values omitted', async () => {
    await seed({ ...lobby(), history: [{ ...message, to: null, delayFrom: '' }] });
    const res = await t.api('GET', '/chatrooms/lobby/chathistory', JSON_ACCEPT);
    expect(res.text).toBe(
      '{"message":[{"from":"lobby@conference.example.org/jane","type":"groupchat","body":"Hi","delay_stamp":"2024-05-01T12:30:00.250Z"}]}',
    );
  });

  it('renders an empty history', async () => {
    await seed();
    expect((await t.api('GET', '/chatrooms/lobby/chathistory')).text).toBe(`${XML}<messages/>`);
    expect((await t.api('GET', '/chatrooms/lobby/chathistory', JSON_ACCEPT)).text).toBe('{"message":[]}');
  });
});

describe('POST /chatrooms/{roomName}/invite/{jid}', () => {
  it('invites a JID with the given reason and answers 200 with an empty body', async () => {
    await seed();
    const res = await t.api('POST', '/chatrooms/lobby/invite/john@example.org', {
      body: '<mucInvitation><reason>Join us</reason></mucInvitation>',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(await invitations()).toEqual([{ to: 'john@example.org', body: 'Join us' }]);
  });

  it('invites a local user by name and every member and admin of a group', async () => {
    await seed();
    await t.api('POST', '/chatrooms/lobby/invite/jane', { body: { reason: 'a' } });
    await t.api('POST', '/chatrooms/lobby/invite/Some', { body: { reason: 'b' } });
    expect(await invitations()).toEqual([
      { to: 'jane@example.org', body: 'a' },
      { to: 'ann@example.org', body: 'b' },
      { to: 'bob@example.org', body: 'b' },
    ]);
  });

  it('answers 404 for an unknown room, in the format of the JSON body', async () => {
    const res = await t.api('POST', '/chatrooms/nowhere/invite/jane', { body: { reason: 'x' } });
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      '{"resource":"nowhere","message":"Chat room does not exist or is not accessible.","exception":"RoomNotFoundException"}',
    );
  });

  it('fails with an unmapped 500 for an empty JSON body or an invalid JID', async () => {
    await seed();
    expect(
      (await t.api('POST', '/chatrooms/lobby/invite/jane', { body: '', contentType: 'application/json' })).status,
    ).toBe(500);
    expect((await t.api('POST', '/chatrooms/lobby/invite/a%20b', { body: { reason: 'x' } })).status).toBe(500);
    expect(await invitations()).toEqual([]);
  });
});

describe('POST /chatrooms/{roomName}/invite', () => {
  it('invites every listed JID, user and group', async () => {
    await seed();
    const body =
      '<mucInvitations><reason>Meeting</reason><jidsToInvite><jid>john@example.org</jid><jid>Some</jid></jidsToInvite></mucInvitations>';
    const res = await t.api('POST', '/chatrooms/lobby/invite', { body });
    expect(res.status).toBe(200);
    expect(await invitations()).toEqual([
      { to: 'john@example.org', body: 'Meeting' },
      { to: 'ann@example.org', body: 'Meeting' },
      { to: 'bob@example.org', body: 'Meeting' },
    ]);
  });

  it('answers 404 for an unknown service in JSON', async () => {
    const res = await t.api('POST', '/chatrooms/lobby/invite?servicename=x', {
      body: { reason: 'r', jidsToInvite: ['jane'] },
    });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({
      resource: 'x',
      message: 'Chat service does not exist or is not accessible.',
      exception: 'MUCServiceNotFoundException',
    });
  });

  it('fails with an unmapped 500 without a JID list', async () => {
    await seed();
    expect((await t.api('POST', '/chatrooms/lobby/invite', { body: { reason: 'r' } })).status).toBe(500);
  });

  it('rejects the readme single-invitation root with a 400', async () => {
    await seed();
    expect(
      (await t.api('POST', '/chatrooms/lobby/invite', { body: '<mucInvitation><reason>r</reason></mucInvitation>' }))
        .status,
    ).toBe(400);
  });
});
