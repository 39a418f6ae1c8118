import { describe, expect, it } from 'vitest';
import type { RoomRecord } from '../../src/emulator/store.js';
import { putGroup, putRoom, setProperty, useEmulator } from '../helpers/emulator.js';
import { goldenLobby as lobby } from '../helpers/fixtures.js';

// Golden payloads render XML dates in CET (golden-payloads.json, MUCRoomServiceBackwardCompatibilityTest).
const t = useEmulator({ timeZone: 'CET' });
const JSON_ACCEPT = { accept: 'application/json' };
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

async function seed(...rooms: RoomRecord[]): Promise<void> {
  (await t.ready).edit((draft) => {
    for (const room of rooms) putRoom(draft, room);
  });
}

const LOBBY_XML =
  '<chatRoom><roomName>lobby</roomName><naturalName>Lobby</naturalName><description>Welcome in our lobby!</description><subject>Introduction to XMPP</subject><creationDate>2022-02-07T16:09:51.517+01:00</creationDate><modificationDate>2022-02-07T16:09:51.538+01:00</modificationDate><maxUsers>30</maxUsers><persistent>true</persistent><publicRoom>true</publicRoom><registrationEnabled>true</registrationEnabled><canAnyoneDiscoverJID>true</canAnyoneDiscoverJID><canOccupantsChangeSubject>false</canOccupantsChangeSubject><canOccupantsInvite>false</canOccupantsInvite><canChangeNickname>true</canChangeNickname><logEnabled>true</logEnabled><loginRestrictedToNickname>false</loginRestrictedToNickname><membersOnly>false</membersOnly><moderated>false</moderated><broadcastPresenceRoles><broadcastPresenceRole>moderator</broadcastPresenceRole><broadcastPresenceRole>participant</broadcastPresenceRole><broadcastPresenceRole>visitor</broadcastPresenceRole></broadcastPresenceRoles><owners><owner>admin@example.org</owner></owners><admins><admin>john@example.org</admin><admin>jane@example.org</admin></admins><members/><outcasts/><ownerGroups/><adminGroups/><memberGroups/><outcastGroups/><allowPM>anyone</allowPM></chatRoom>';
const LOBBY_JSON =
  '{"roomName":"lobby","naturalName":"Lobby","description":"Welcome in our lobby!","subject":"Introduction to XMPP","creationDate":1644246591517,"modificationDate":1644246591538,"maxUsers":30,"persistent":true,"publicRoom":true,"registrationEnabled":true,"canAnyoneDiscoverJID":true,"canOccupantsChangeSubject":false,"canOccupantsInvite":false,"canChangeNickname":true,"logEnabled":true,"loginRestrictedToNickname":false,"membersOnly":false,"moderated":false,"broadcastPresenceRoles":["moderator","participant","visitor"],"owners":["admin@example.org"],"admins":["john@example.org","jane@example.org"],"members":[],"outcasts":[],"ownerGroups":[],"adminGroups":[],"memberGroups":[],"outcastGroups":[],"allowPM":"anyone"}';

const error = (exception: string, message: string, resource: string) =>
  `${XML}<error><exception>${exception}</exception><message>${message}</message><resource>${resource}</resource></error>`;

const getRoom = async (name: string, query = '') =>
  (await t.api('GET', `/chatrooms/${name}${query}`, JSON_ACCEPT)).json();

describe('GET /chatrooms/{roomName}', () => {
  it('renders the golden room as XML', async () => {
    await seed(lobby());
    const res = await t.api('GET', '/chatrooms/lobby');
    expect(res.status).toBe(200);
    expect(res.text).toBe(XML + LOBBY_XML);
  });

  it('renders the golden room as JSON', async () => {
    await seed(lobby());
    expect((await t.api('GET', '/chatrooms/lobby', JSON_ACCEPT)).text).toBe(LOBBY_JSON);
  });

  it('node-preps the path name, so an upper-case name finds the room', async () => {
    await seed(lobby());
    expect((await t.api('GET', '/chatrooms/LOBBY')).status).toBe(200);
  });

  it('answers 404 RoomNotFoundException with the node-prepped name', async () => {
    const res = await t.api('GET', '/chatrooms/Nowhere');
    expect(res.status).toBe(404);
    expect(res.text).toBe(error('RoomNotFoundException', 'Chat room does not exist or is not accessible.', 'nowhere'));
    const json = await t.api('GET', '/chatrooms/Nowhere', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"nowhere","message":"Chat room does not exist or is not accessible.","exception":"RoomNotFoundException"}',
    );
  });

  it('answers 404 MUCServiceNotFoundException for an unknown service', async () => {
    const res = await t.api('GET', '/chatrooms/lobby?servicename=nope', JSON_ACCEPT);
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      '{"resource":"nope","message":"Chat service does not exist or is not accessible.","exception":"MUCServiceNotFoundException"}',
    );
  });

  it('looks the service up case-insensitively', async () => {
    await seed(lobby());
    expect((await t.api('GET', '/chatrooms/lobby?servicename=CONFERENCE')).status).toBe(200);
  });

  it('fails with an unmapped 500 for a path name that is not a valid node', async () => {
    const res = await t.api('GET', '/chatrooms/a%20b', JSON_ACCEPT);
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ message: 'Request failed.' });
  });

  it('finds a mixed-case stored name only when case-insensitive lookup is enabled', async () => {
    await seed({ ...lobby(), roomName: 'Lobby' });
    expect((await t.api('GET', '/chatrooms/lobby')).status).toBe(404);
    (await t.ready).edit((draft) => setProperty(draft, 'plugin.restapi.muc.case-insensitive-lookup.enabled', 'true'));
    expect((await getRoom('lobby')).roomName).toBe('Lobby');
  });

  it('adds group members and admins to the JID lists with expandGroups', async () => {
    (await t.ready).edit((draft) =>
      putGroup(draft, { name: 'staff', members: ['john@example.org'], admins: ['bob@example.org'] }),
    );
    await seed({ ...lobby(), groupAffiliations: { staff: 'member' } });
    expect(await getRoom('lobby')).toMatchObject({ members: [], memberGroups: ['staff'] });
    expect(await getRoom('lobby', '?expandGroups=true')).toMatchObject({
      members: ['john@example.org', 'bob@example.org'],
      memberGroups: ['staff'],
    });
  });
});

describe('GET /chatrooms', () => {
  it('renders the golden room list as XML and JSON', async () => {
    await seed(lobby());
    expect((await t.api('GET', '/chatrooms')).text).toBe(`${XML}<chatRooms>${LOBBY_XML}</chatRooms>`);
    expect((await t.api('GET', '/chatrooms', JSON_ACCEPT)).text).toBe(`{"chatRooms":[${LOBBY_JSON}]}`);
  });

  it('lists only public rooms by default and every room with type=all', async () => {
    await seed(lobby(), { ...lobby(), roomName: 'back', publicRoom: false });
    const names = async (query: string) =>
      (await t.api('GET', `/chatrooms${query}`, JSON_ACCEPT))
        .json()
        .chatRooms.map((r: { roomName: string }) => r.roomName);
    expect(await names('')).toEqual(['lobby']);
    expect(await names('?type=all')).toEqual(['lobby', 'back']);
  });

  it('answers an empty list for any other type, even ALL', async () => {
    await seed(lobby());
    expect((await t.api('GET', '/chatrooms?type=ALL')).text).toBe(`${XML}<chatRooms/>`);
    expect((await t.api('GET', '/chatrooms?type=ALL', JSON_ACCEPT)).text).toBe('{"chatRooms":[]}');
  });

  it('searches the room name and the natural name case-insensitively', async () => {
    await seed(lobby(), { ...lobby(), roomName: 'dev', naturalName: 'Developer Corner' });
    const names = async (search: string) =>
      (await t.api('GET', `/chatrooms?search=${search}`, JSON_ACCEPT))
        .json()
        .chatRooms.map((r: { roomName: string }) => r.roomName);
    expect(await names('LOB')).toEqual(['lobby']);
    expect(await names('corner')).toEqual(['dev']);
    expect(await names('zzz')).toEqual([]);
  });

  it('fails with an unmapped 500 when the search contains a space', async () => {
    await seed({ ...lobby(), naturalName: 'The Lobby' });
    expect((await t.api('GET', '/chatrooms?search=The%20Lobby')).status).toBe(500);
  });

  it('answers 404 for an unknown service', async () => {
    const res = await t.api('GET', '/chatrooms?servicename=nope');
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      error('MUCServiceNotFoundException', 'Chat service does not exist or is not accessible.', 'nope'),
    );
  });
});

describe('POST /chatrooms', () => {
  it('creates the golden room from XML and reads it back', async () => {
    const body = LOBBY_XML.replace(/<creationDate>.*<\/modificationDate>/, '').replace('<allowPM>anyone</allowPM>', '');
    const res = await t.api('POST', '/chatrooms', { body });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    const room = await getRoom('lobby');
    expect(room).toMatchObject({
      naturalName: 'Lobby',
      subject: 'Introduction to XMPP',
      admins: ['john@example.org', 'jane@example.org'],
    });
  });

  it('makes a minimal room private, temporary and owned by admin@domain', async () => {
    const body = { roomName: 'Quiet', naturalName: 'Quiet', description: 'Shh' };
    expect((await t.api('POST', '/chatrooms', { body })).status).toBe(201);
    const room = await getRoom('quiet');
    expect(room).toMatchObject({
      roomName: 'quiet',
      persistent: false,
      publicRoom: false,
      maxUsers: 0,
      owners: ['admin@example.org'],
      broadcastPresenceRoles: [],
      allowPM: 'anyone',
    });
    expect(room.subject).toBeUndefined();
    expect(room.password).toBeUndefined();
    expect((await t.api('GET', '/chatrooms', JSON_ACCEPT)).json().chatRooms).toEqual([]);
  });

  it('overwrites an existing room instead of answering 409', async () => {
    await seed(lobby());
    const body = { roomName: 'lobby', naturalName: 'Hall', description: 'New', password: 'pw', allowPM: 'MODERATORS' };
    expect((await t.api('POST', '/chatrooms', { body })).status).toBe(201);
    expect(await getRoom('lobby')).toMatchObject({
      naturalName: 'Hall',
      password: 'pw',
      persistent: false,
      canChangeNickname: false,
      allowPM: 'moderators',
      owners: ['admin@example.org'],
      admins: [],
      subject: 'Introduction to XMPP',
    });
  });

  it('auto-creates a missing service named as given', async () => {
    const body = { roomName: 'r1', naturalName: 'R1', description: 'd' };
    expect((await t.api('POST', '/chatrooms?servicename=Events', { body })).status).toBe(201);
    const services = (await t.api('GET', '/chatservices', JSON_ACCEPT)).json().chatService;
    expect(services).toContainEqual({ serviceName: 'Events', description: 'Events', hidden: false });
    expect((await t.api('GET', '/chatrooms/r1?servicename=Events')).status).toBe(200);
  });

  it('answers 409 NotAllowedException for a JID listed in two affiliation lists', async () => {
    const xml =
      '<chatRoom><roomName>dup</roomName><owners><owner>jane@example.org</owner></owners><members><member>jane@example.org</member></members></chatRoom>';
    const res = await t.api('POST', '/chatrooms', { body: xml });
    expect(res.status).toBe(409);
    expect(res.text).toBe(error('NotAllowedException', 'Could not create the channel', 'dup'));
    const json = await t.api('POST', '/chatrooms', {
      body: { roomName: 'dup', owners: ['jane@example.org'], admins: ['jane@example.org'] },
    });
    expect(json.text).toBe(
      '{"resource":"dup","message":"Could not create the channel","exception":"NotAllowedException"}',
    );
    expect((await t.api('GET', '/chatrooms/dup')).status).toBe(404);
  });

  it('answers 409 when a member is added to a room restricted to reserved nicknames', async () => {
    const body = { roomName: 'strict', loginRestrictedToNickname: true, members: ['jane@example.org'] };
    const res = await t.api('POST', '/chatrooms', { body });
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      resource: 'strict',
      message: 'Could not create the channel',
      exception: 'NotAllowedException',
    });
  });

  it('treats affiliation values as JIDs, so a plain name is a domain-only JID', async () => {
    await t.api('POST', '/chatrooms', { body: { roomName: 'r', members: ['jane'] } });
    expect((await getRoom('r')).members).toEqual(['jane']);
  });

  it('resolves group entries to groups, users or JIDs', async () => {
    (await t.ready).edit((draft) => putGroup(draft, { name: 'staff' }));
    await t.api('POST', '/chatrooms', {
      body: { roomName: 'r', memberGroups: ['staff', 'john'], outcastGroups: ['x@example.org'] },
    });
    expect(await getRoom('r')).toMatchObject({
      memberGroups: ['staff'],
      members: ['john@example.org'],
      outcasts: ['x@example.org'],
    });
  });

  it('reads a group JID in an affiliation list as the group', async () => {
    (await t.ready).edit((draft) => putGroup(draft, { name: 'Some' }));
    const body = { roomName: 'r', admins: ['ADNMQP8=@example.org/695c6ae413c00446733d926ccadefd8b'] };
    await t.api('POST', '/chatrooms', { body });
    expect(await getRoom('r')).toMatchObject({ admins: [], adminGroups: ['Some'] });
  });

  it('fails with an unmapped 500 without a roomName, with an invalid JID or an unknown role', async () => {
    expect((await t.api('POST', '/chatrooms', { body: { naturalName: 'x' } })).status).toBe(500);
    expect((await t.api('POST', '/chatrooms', { body: { roomName: 'r', admins: ['a b@example.org'] } })).status).toBe(
      500,
    );
    expect(
      (await t.api('POST', '/chatrooms', { body: { roomName: 'r', broadcastPresenceRoles: ['Moderator'] } })).status,
    ).toBe(500);
  });

  it('rejects a body room name that is not a valid node while reading the body', async () => {
    const json = await t.api('POST', '/chatrooms', { body: { roomName: 'a b' } });
    expect(json.status).toBe(400);
    expect(json.headers['content-type']).toBe('text/plain');
    expect(json.text).toMatch(/^Problem deserializing property 'roomName'/);
    const xml = await t.api('POST', '/chatrooms', { body: '<chatRoom><roomName>a b</roomName></chatRoom>' });
    expect(xml.status).toBe(400);
    expect(xml.headers['content-type']).toMatch(/^text\/html/);
  });

  it('sends invitations to newly affiliated owners, admins and members when asked', async () => {
    const body = {
      roomName: 'r',
      owners: ['jane@example.org'],
      admins: ['john@example.org'],
      outcasts: ['x@example.org'],
    };
    await t.api('POST', '/chatrooms?sendInvitations=true', { body });
    const outbox = (await t.ready).snapshot().outbox.map(({ kind, to, body: reason }) => ({ kind, to, reason }));
    expect(outbox).toEqual([
      { kind: 'invitation', to: 'jane@example.org', reason: 'You are owner of room r' },
      { kind: 'invitation', to: 'john@example.org', reason: 'You are admin of room r' },
    ]);
  });
});

describe('POST /chatrooms/bulk', () => {
  it('reports per-room results in XML', async () => {
    const body = '<chatRooms><chatRoom><roomName>Room1</roomName></chatRoom></chatRooms>';
    const res = await t.api('POST', '/chatrooms/bulk', { body });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `${XML}<results><success><result><roomName>room1</roomName><resultType>Success</resultType><message>Room was successfully created</message></result></success><failure/><other/></results>`,
    );
  });

  it('reports conflicts as failures with the exception name and message in JSON', async () => {
    const body = {
      chatRooms: [
        { roomName: 'ok' },
        { roomName: 'dup', owners: ['jane@example.org'], members: ['jane@example.org'] },
        { roomName: 'strict', loginRestrictedToNickname: true, members: ['john@example.org'] },
      ],
    };
    const res = await t.api('POST', '/chatrooms/bulk', { body, ...JSON_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      success: [{ roomName: 'ok', resultType: 'Success', message: 'Room was successfully created' }],
      failure: [
        {
          roomName: 'dup',
          resultType: 'Failure',
          message:
            'Room creation failed due to ConflictException: The requested room defines duplicate affiliations for the following entities: jane@example.org',
        },
        { roomName: 'strict', resultType: 'Failure', message: 'Room creation failed due to ConflictException: null' },
      ],
      other: [],
    });
    expect((await t.api('GET', '/chatrooms/ok')).status).toBe(200);
  });

  it('aborts with an unmapped 500 on a room without a name, keeping the rooms before it', async () => {
    const res = await t.api('POST', '/chatrooms/bulk', {
      body: { chatRooms: [{ roomName: 'first' }, { naturalName: 'x' }] },
    });
    expect(res.status).toBe(500);
    expect((await t.api('GET', '/chatrooms/first')).status).toBe(200);
  });

  it('fails with an unmapped 500 when the list is missing', async () => {
    expect((await t.api('POST', '/chatrooms/bulk', { body: {} })).status).toBe(500);
  });
});

describe('PUT /chatrooms/{roomName}', () => {
  it('replaces the configuration, clearing omitted fields and lists', async () => {
    await seed(lobby());
    const res = await t.api('PUT', '/chatrooms/lobby', {
      body: '<chatRoom><roomName>lobby</roomName><naturalName>Lobby</naturalName><publicRoom>true</publicRoom></chatRoom>',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(await getRoom('lobby')).toMatchObject({
      publicRoom: true,
      persistent: false,
      maxUsers: 0,
      broadcastPresenceRoles: [],
      admins: [],
      owners: ['admin@example.org'],
    });
  });

  it('creates a missing room', async () => {
    expect((await t.api('PUT', '/chatrooms/fresh', { body: { roomName: 'fresh' } })).status).toBe(200);
    expect((await getRoom('fresh')).roomName).toBe('fresh');
  });

  it('fails with an unmapped 500 without a body', async () => {
    const res = await t.api('PUT', '/chatrooms/lobby', JSON_ACCEPT);
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ message: 'Request failed.', status: '500' });
  });

  it('answers 400 when the body names another room', async () => {
    const res = await t.api('PUT', '/chatrooms/Lobby', { body: '<chatRoom><roomName>other</roomName></chatRoom>' });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      error(
        'IllegalArgumentException',
        'Could not update the channel. The room name is different to the entity room name.',
        'lobby',
      ),
    );
  });

  it('answers 409 with the update message when the last owner would lose ownership', async () => {
    await seed(lobby());
    // jane becomes owner, then admin, so the earlier owner admin@ is the last one when it is removed.
    const body = { roomName: 'lobby', owners: ['jane@example.org/phone'], admins: ['jane@example.org'] };
    const res = await t.api('PUT', '/chatrooms/lobby', { body });
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      '{"resource":"lobby","message":"Could not update the channel","exception":"NotAllowedException"}',
    );
  });
});

describe('DELETE /chatrooms/{roomName}', () => {
  it('destroys the room', async () => {
    await seed(lobby());
    const res = await t.api('DELETE', '/chatrooms/lobby');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await t.api('GET', '/chatrooms/lobby')).status).toBe(404);
  });

  it('answers 404 for an unknown room and service', async () => {
    const room = await t.api('DELETE', '/chatrooms/lobby', JSON_ACCEPT);
    expect(room.status).toBe(404);
    expect(room.json().exception).toBe('RoomNotFoundException');
    const service = await t.api('DELETE', '/chatrooms/lobby?servicename=x');
    expect(service.text).toBe(
      error('MUCServiceNotFoundException', 'Chat service does not exist or is not accessible.', 'x'),
    );
  });
});
