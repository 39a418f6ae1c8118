import { describe, expect, it } from 'vitest';
import { roomRecord } from '../../src/emulator/seeds/builders.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { settings, storedRoom } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';
import { startSignIn } from '../helpers/identity-provider.js';

/**
 * What a signed-in end user may do with their token (docs/auth.md): their own account, a directory, public rooms and
 * the rooms they own, and nothing of anyone else's, whichever relation they follow. Tokens come from an identity
 * provider over real HTTP; every refusal is checked against the emulator's call count and state.
 */
const signIn = await startSignIn();

/** The showcase data (jane owns `dev`, is an admin of `lobby`) and two rooms she has nothing to do with. */
function seed(): Snapshot {
  const showcase = showcaseSeed(settings);
  const board = roomRecord('board', 0, {
    naturalName: 'Board',
    membersOnly: true,
    affiliations: { 'admin@example.org': 'owner', 'john@example.org': 'member' },
  });
  const hall = roomRecord('hall', 0, {
    naturalName: 'Hall',
    subject: 'Open to all',
    password: 'hall-pass',
    affiliations: { 'john@example.org': 'owner' },
    occupants: [{ nickname: 'johnny', userAddress: 'john@example.org/desk', role: 'moderator' }],
  });
  return {
    ...showcase,
    services: showcase.services.map((service) => ({ ...service, rooms: [...service.rooms, board, hall] })),
  };
}

const ADMIN_KEY = 'end-users-admin-key';
const g = useGateway({ seed: seed(), tokens: signIn.verifier, apiKeys: new Map([[ADMIN_KEY, 'admin']]) });

const as = async (username: string, roles?: string[]) => ({ authorization: await signIn.bearer(username, roles) });
const jane = () => as('jane');
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

/** The emulator's data, to check that a refused change left it alone. */
const stored = async () => (await g.ready).snapshot();

/** The FORBIDDEN errors of a response, as `path: message`. */
const forbidden = (body: { errors?: Array<{ path?: string[]; message: string; extensions?: { code?: unknown } }> }) =>
  (body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.'));

describe('me', () => {
  it('is the signed-in user with their groups, contacts, vCard, properties, sessions and rooms', async () => {
    const res = await g.gql(
      `{ me { username name email online properties { key } vcard groups { name }
          roster { jid nickname user { username name } } sessions { resource }
          chatRooms { affiliation room { roomName subject occupants { nickname } } } } }`,
      {},
      await jane(),
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me).toEqual({
      username: 'jane',
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      online: true,
      properties: [],
      vcard: null,
      groups: [{ name: 'developers' }],
      roster: [
        { jid: 'john@example.org', nickname: 'John', user: { username: 'john', name: 'John Doe' } },
        { jid: 'alice@example.org', nickname: 'Alice Liddell', user: { username: 'alice', name: 'Alice Liddell' } },
      ],
      sessions: [{ resource: 'laptop' }],
      chatRooms: [
        {
          affiliation: 'ADMIN',
          room: {
            roomName: 'lobby',
            subject: 'Introduction to XMPP',
            occupants: [{ nickname: 'jane' }, { nickname: 'John' }, { nickname: 'alice' }],
          },
        },
        { affiliation: 'OWNER', room: { roomName: 'dev', subject: null, occupants: [] } },
        // Through the developers group, which is a member of dev.
        { affiliation: 'MEMBER', room: { roomName: 'dev', subject: null, occupants: [] } },
      ],
    });
  });

  it('names the user of a token whose username claim is a JID of the domain, in any case', async () => {
    const res = await g.gql('{ me { username } }', {}, await as('Jane@Example.org'));
    expect(res.body.data).toEqual({ me: { username: 'jane' } });
  });

  it('is null for callers who are not end users', async () => {
    await g.resetCalls();
    expect((await g.gql('{ me { username } }', {}, admin)).body).toEqual({ data: { me: null } });
    const readToken = await as('auditor', ['openfire-read']);
    expect((await g.gql('{ me { username } }', {}, readToken)).body).toEqual({ data: { me: null } });
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});

describe('an end user cannot reach anyone else’s data', () => {
  it.each([
    ['user', '{ user(username: "john") { username } }'],
    ['users', '{ users { nodes { username } } }'],
    ['sessions', '{ sessions { nodes { username } } }'],
    ['group', '{ group(name: "developers") { name } }'],
    ['groups', '{ groups { nodes { name } } }'],
    ['unreadMessageCount', '{ unreadMessageCount(jid: "john@example.org") }'],
    ['systemProperties', '{ systemProperties { key } }'],
    ['systemProperty', '{ systemProperty(key: "xmpp.domain") { value } }'],
    ['securityAuditLogs', '{ securityAuditLogs { nodes { summary } } }'],
    ['sessionCounts', '{ sessionCounts { local } }'],
    ['chatServices', '{ chatServices { serviceName } }'],
    ['chatService', '{ chatService(serviceName: "conference") { serviceName } }'],
    ['cluster', '{ cluster { status } }'],
    ['health', '{ health { liveness } }'],
  ])('Query.%s is FORBIDDEN before any upstream call', async (field, query) => {
    await g.resetCalls();
    const res = await g.gql(query, {}, await jane());
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: `Query.${field} is not open to end users.`,
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  /** What leads to the refused fields: the calls each case may make, and no more. */
  const CONTACTS = { 'GET /users/{username}': 3, 'GET /users/{username}/roster': 1 };
  const GROUPS = { 'GET /users/{username}': 1, 'GET /users/{username}/groups': 1 };
  const ROOM = { 'GET /chatrooms/{roomName}': 1 };
  const OCCUPANTS = { ...ROOM, 'GET /chatrooms/{roomName}/occupants': 1 };
  const ROOMS = { 'GET /users/{username}': 1, 'GET /chatrooms': 2 };

  // One field per query: a refused non-null field nulls its parent, and would hide its siblings' refusals.
  it.each([
    ["a contact's e-mail", '{ me { roster { user { email } } } }', 'me.roster.N.user.email', CONTACTS],
    ["a contact's roster", '{ me { roster { user { roster { jid } } } } }', 'me.roster.N.user.roster', CONTACTS],
    [
      "a contact's sessions",
      '{ me { roster { user { sessions { resource } } } } }',
      'me.roster.N.user.sessions',
      CONTACTS,
    ],
    ["a contact's presence", '{ me { roster { user { online } } } }', 'me.roster.N.user.online', CONTACTS],
    [
      "a contact's properties",
      '{ me { roster { user { properties { key } } } } }',
      'me.roster.N.user.properties',
      CONTACTS,
    ],
    ["a contact's vCard", '{ me { roster { user { vcard } } } }', 'me.roster.N.user.vcard', CONTACTS],
    ["a contact's groups", '{ me { roster { user { groups { name } } } } }', 'me.roster.N.user.groups', CONTACTS],
    [
      "a contact's rooms",
      '{ me { roster { user { chatRooms { affiliation } } } } }',
      'me.roster.N.user.chatRooms',
      CONTACTS,
    ],
    [
      "a contact's unread messages",
      '{ me { roster { user { unreadMessageCount } } } }',
      'me.roster.N.user.unreadMessageCount',
      CONTACTS,
    ],
    ["a group's members", '{ me { groups { members { username } } } }', 'me.groups.N.members', GROUPS],
    ["a group's admins", '{ me { groups { admins { username } } } }', 'me.groups.N.admins', GROUPS],
    ["a group's member JIDs", '{ me { groups { memberJids } } }', 'me.groups.N.memberJids', GROUPS],
    ["a group's sharing", '{ me { groups { shared } } }', 'me.groups.N.shared', GROUPS],
    ["a public room's owners", '{ chatRoom(name: "hall") { owners { jid } } }', 'chatRoom.owners', ROOM],
    ["a public room's members", '{ chatRoom(name: "hall") { members { jid } } }', 'chatRoom.members', ROOM],
    [
      "a public room's raw affiliations",
      '{ chatRoom(name: "hall") { affiliationJids(affiliation: OWNER) } }',
      'chatRoom.affiliationJids',
      ROOM,
    ],
    ["a public room's password", '{ chatRoom(name: "hall") { password } }', 'chatRoom.password', ROOM],
    ["a public room's settings", '{ chatRoom(name: "hall") { maxUsers } }', 'chatRoom.maxUsers', ROOM],
    ["a public room's history", '{ chatRoom(name: "hall") { history { body } } }', 'chatRoom.history', ROOM],
    [
      "a public room's participants",
      '{ chatRoom(name: "hall") { participants { nickname } } }',
      'chatRoom.participants',
      ROOM,
    ],
    [
      "an occupant's real JID",
      '{ chatRoom(name: "hall") { occupants { userAddress } } }',
      'chatRoom.occupants.N.userAddress',
      OCCUPANTS,
    ],
    [
      "an occupant's account",
      '{ chatRoom(name: "hall") { occupants { user { email } } } }',
      'chatRoom.occupants.N.user',
      OCCUPANTS,
    ],
    [
      'the owners of a room she is an admin of',
      '{ me { chatRooms(affiliation: ADMIN) { room { owners { jid } } } } }',
      'me.chatRooms.N.room.owners',
      ROOMS,
    ],
  ])('not %s: FORBIDDEN, nothing of it read', async (_what, query, path, routes) => {
    await g.resetCalls();
    const res = await g.gql(query, {}, await jane());
    // Each contact, group or occupant is refused alike: one path, whatever its index.
    expect([...new Set(forbidden(res.body).map((at) => at?.replace(/\.\d+\./g, '.N.')))]).toEqual([path]);
    // Only what leads to the refused field was read.
    expect((await g.upstreamCalls()).routes).toEqual(routes);
  });

  it("not through a room's affiliates, even in a room she owns: the owners' e-mail is theirs", async () => {
    const res = await g.gql(
      '{ chatRoom(name: "dev") { owners { jid user { username email } } outcasts { jid user { name email } } } }',
      {},
      await jane(),
    );
    // Her own e-mail as dev's owner; bob (an outcast) is a name only.
    expect(res.body.data.chatRoom).toEqual({
      owners: [{ jid: 'jane@example.org', user: { username: 'jane', email: 'jane.doe@example.com' } }],
      outcasts: [{ jid: 'bob@example.org', user: { name: 'Bob Builder', email: null } }],
    });
    expect(forbidden(res.body)).toEqual(['chatRoom.outcasts.0.user.email']);
  });

  it.each([
    ['deleteUser', 'mutation { deleteUser(username: "john") }'],
    ['updateUser', 'mutation { updateUser(username: "john", input: { name: "X" }) { name } }'],
    ['setVCard', 'mutation { setVCard(username: "john", vcard: "<vCard/>") { username } }'],
    ['addRosterItem', 'mutation { addRosterItem(username: "john", input: { jid: "bob@example.org" }) { jid } }'],
    ['deleteRosterItem', 'mutation { deleteRosterItem(username: "john", jid: "jane@example.org") { jid } }'],
    ['removeUserFromGroup', 'mutation { removeUserFromGroup(username: "jane", group: "developers") { username } }'],
    ['createChatRoom', 'mutation { createChatRoom(input: { roomName: "mine" }) { roomName } }'],
    ['kickSessions', 'mutation { kickSessions(username: "john") }'],
  ])('Mutation.%s is FORBIDDEN before any upstream call, and nothing changes', async (field, mutation) => {
    const before = await stored();
    await g.resetCalls();
    const res = await g.gql(mutation, {}, await jane());
    expect(res.body.errors?.map((e) => e.message)).toEqual([`Mutation.${field} is not open to end users.`]);
    expect((await g.upstreamCalls()).total).toBe(0);
    expect(await stored()).toEqual(before);
  });
});

describe('rooms', () => {
  it('lists the public rooms, and with type ALL the rooms she owns too, never a members-only room of others', async () => {
    const names = async (type: string) => {
      const res = await g.gql(`{ chatRooms(type: ${type}) { nodes { roomName } } }`, {}, await jane());
      return res.body.data.chatRooms.nodes.map((room: { roomName: string }) => room.roomName);
    };
    expect(await names('PUBLIC')).toEqual(['hall', 'lobby']);
    expect(await names('ALL')).toEqual(['dev', 'hall', 'lobby']);
  });

  it('answers null for a room that is neither public nor hers, as for one that does not exist', async () => {
    const res = await g.gql(
      '{ board: chatRoom(name: "board") { roomName } none: chatRoom(name: "none") { roomName } }',
      {},
      await jane(),
    );
    expect(res.body).toEqual({ data: { board: null, none: null } });
  });

  it('shows the settings and affiliations of a room she owns', async () => {
    const res = await g.gql(
      '{ chatRoom(name: "dev") { roomName membersOnly publicRoom maxUsers owners { jid } memberGroups outcasts { jid } } }',
      {},
      await jane(),
    );
    expect(res.body).toEqual({
      data: {
        chatRoom: {
          roomName: 'dev',
          membersOnly: true,
          publicRoom: false,
          maxUsers: 30,
          owners: [{ jid: 'jane@example.org' }],
          memberGroups: ['developers'],
          outcasts: [{ jid: 'bob@example.org' }],
        },
      },
    });
  });

  it('lets her change a room she owns and manage its affiliates', async () => {
    const update = await g.gql(
      'mutation { updateChatRoom(name: "dev", changes: { subject: "Sprint 12" }) { subject } }',
      {},
      await jane(),
    );
    expect(update.body).toEqual({ data: { updateChatRoom: { subject: 'Sprint 12' } } });
    const add = await g.gql(
      'mutation { addRoomAffiliation(name: "dev", affiliation: MEMBER, jid: "alice") { members { jid } } }',
      {},
      await jane(),
    );
    expect(add.body).toEqual({ data: { addRoomAffiliation: { members: [{ jid: 'alice@example.org' }] } } });
    expect(storedRoom(await g.ready, 'dev')).toMatchObject({
      subject: 'Sprint 12',
      affiliations: { 'alice@example.org': 'member' },
    });
  });

  it.each([
    ['updateChatRoom', 'mutation { updateChatRoom(name: "lobby", changes: { subject: "Mine now" }) { subject } }'],
    [
      'addRoomAffiliation',
      'mutation { addRoomAffiliation(name: "lobby", affiliation: OWNER, jid: "jane") { roomName } }',
    ],
    [
      'setRoomAffiliations',
      'mutation { setRoomAffiliations(name: "board", affiliation: MEMBER, jids: ["jane"]) { roomName } }',
    ],
  ])('refuses Mutation.%s on a room she does not own: the room read, nothing changed', async (field, mutation) => {
    const before = await stored();
    await g.resetCalls();
    const res = await g.gql(mutation, {}, await jane());
    expect(res.body.errors?.map((e) => e.message)).toEqual([`Mutation.${field} is not open to end users.`]);
    // Ownership is read from the room itself; no change is sent.
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms/{roomName}': 1 });
    expect(await stored()).toEqual(before);
  });

  it('keeps group affiliations with administrators, even in her own room', async () => {
    await g.resetCalls();
    const res = await g.gql(
      'mutation { addRoomGroupAffiliation(name: "dev", affiliation: MEMBER, group: "support") { roomName } }',
      {},
      await jane(),
    );
    expect(res.body.errors?.map((e) => e.message)).toEqual([
      'Mutation.addRoomGroupAffiliation is not open to end users.',
    ]);
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});

describe('the directory', () => {
  it('pages usernames and names, searchable', async () => {
    const first = await g.gql(
      '{ directory(first: 2) { nodes { username name } pageInfo { hasNextPage endCursor } } }',
      {},
      await jane(),
    );
    expect(first.body.data.directory.nodes).toEqual([
      { username: 'admin', name: 'Administrator' },
      { username: 'alice', name: 'Alice Liddell' },
    ]);
    expect(first.body.data.directory.pageInfo.hasNextPage).toBe(true);
    const after = first.body.data.directory.pageInfo.endCursor;
    const next = await g.gql(
      'query($after: String) { directory(after: $after) { nodes { username } } }',
      { after },
      await jane(),
    );
    expect(next.body.data.directory.nodes).toEqual([{ username: 'bob' }, { username: 'jane' }, { username: 'john' }]);
    const search = await g.gql('{ directory(search: "jo") { nodes { username name } } }', {}, await jane());
    expect(search.body.data.directory.nodes).toEqual([{ username: 'john', name: 'John Doe' }]);
  });

  it('has nothing but a username and a name to ask for', async () => {
    await g.resetCalls();
    const res = await g.gql('{ directory { nodes { username email } } }', {}, await jane());
    expect(res.body.errors?.[0]?.message).toContain('Cannot query field "email" on type "DirectoryEntry"');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});

describe('self-service changes', () => {
  it('updates her own name and e-mail, and no one else’s', async () => {
    const res = await g.gql(
      'mutation { updateMe(input: { name: "Jane Roe", email: "jane@roe.example" }) { username name email } }',
      {},
      await jane(),
    );
    expect(res.body).toEqual({
      data: { updateMe: { username: 'jane', name: 'Jane Roe', email: 'jane@roe.example' } },
    });
    const users = (await stored()).users;
    expect(users.find((u) => u.username === 'jane')).toMatchObject({ name: 'Jane Roe', email: 'jane@roe.example' });
    expect(users.find((u) => u.username === 'john')).toMatchObject({ name: 'John Doe', email: 'john.doe@example.com' });
  });

  it('changes her own password', async () => {
    const res = await g.gql('mutation { changeMyPassword(password: "n3w-s3cret") }', {}, await jane());
    expect(res.body).toEqual({ data: { changeMyPassword: true } });
    expect((await stored()).users.find((u) => u.username === 'jane')?.password).toBe('n3w-s3cret');
  });

  it('refuses an empty password before any upstream call', async () => {
    await g.resetCalls();
    const res = await g.gql('mutation { changeMyPassword(password: "") }', {}, await jane());
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('sets and deletes her own vCard', async () => {
    const vcard = '<vCard xmlns="vcard-temp"><FN>Jane Doe</FN></vCard>';
    const set = await g.gql('mutation($v: String!) { setMyVCard(vcard: $v) { vcard } }', { v: vcard }, await jane());
    expect(set.body.errors).toBeUndefined();
    expect((await stored()).vcards.jane).toContain('<FN>Jane Doe</FN>');
    const removed = await g.gql('mutation { deleteMyVCard }', {}, await jane());
    expect(removed.body).toEqual({ data: { deleteMyVCard: true } });
    expect((await stored()).vcards.jane).toBeUndefined();
  });

  it('adds, renames and removes a contact of her own; the subscription is not hers to set', async () => {
    const added = await g.gql(
      'mutation { addMyContact(input: { jid: "bob@example.org/phone", nickname: "Bob" }) { jid nickname subscription user { name } } }',
      {},
      await jane(),
    );
    expect(added.body).toEqual({
      data: {
        addMyContact: { jid: 'bob@example.org', nickname: 'Bob', subscription: 'NONE', user: { name: 'Bob Builder' } },
      },
    });
    const renamed = await g.gql(
      'mutation { updateMyContact(jid: "bob@example.org", input: { nickname: "Bobby", groups: ["Work"] }) { nickname groups subscription } }',
      {},
      await jane(),
    );
    expect(renamed.body).toEqual({
      data: { updateMyContact: { nickname: 'Bobby', groups: ['Work'], subscription: 'NONE' } },
    });
    const removed = await g.gql('mutation { deleteMyContact(jid: "bob@example.org") { jid } }', {}, await jane());
    expect(removed.body).toEqual({
      data: { deleteMyContact: [{ jid: 'john@example.org' }, { jid: 'alice@example.org' }] },
    });
    // John's roster never changed.
    expect((await stored()).rosters.john).toEqual(seed().rosters.john);
  });

  it('leaves a contact that comes from a shared group alone, as Openfire does', async () => {
    const before = await stored();
    const res = await g.gql('mutation { deleteMyContact(jid: "alice@example.org") { jid } }', {}, await jane());
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ exception: 'SharedGroupException' });
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['updateMe', 'mutation { updateMe(input: { name: "X" }) { name } }'],
    ['changeMyPassword', 'mutation { changeMyPassword(password: "x") }'],
    ['addMyContact', 'mutation { addMyContact(input: { jid: "bob@example.org" }) { jid } }'],
  ])('keeps Mutation.%s for end users: an admin key names the user instead', async (field, mutation) => {
    await g.resetCalls();
    const res = await g.gql(mutation, {}, admin);
    expect(res.body.errors?.map((e) => e.message)).toEqual([`Mutation.${field} is not open to admin callers.`]);
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});

describe('tokens with a role', () => {
  it('a read role queries everything and changes nothing', async () => {
    const reader = await as('auditor', ['openfire-read']);
    const read = await g.gql('{ user(username: "john") { email roster { jid } } }', {}, reader);
    expect(read.body.data.user).toEqual({
      email: 'john.doe@example.com',
      roster: [{ jid: 'jane@example.org' }, { jid: 'alice@example.org' }],
    });
    await g.resetCalls();
    const write = await g.gql('mutation { deleteUser(username: "john") }', {}, reader);
    expect(write.body.errors?.map((e) => e.message)).toEqual([
      'Mutation.deleteUser is not open to read callers. This caller may only read; changes need an admin key or role.',
    ]);
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('an admin role does what an admin key does', async () => {
    const res = await g.gql('mutation { deleteUser(username: "bob") }', {}, await as('ops', ['openfire-admin']));
    expect(res.body).toEqual({ data: { deleteUser: true } });
    expect((await stored()).users.map((u) => u.username)).not.toContain('bob');
  });
});

describe('with AUTH_USER_DIRECTORY and AUTH_USER_PASSWORD_CHANGE off', () => {
  const off = useGateway({
    seed: 'demo',
    tokens: signIn.verifier,
    app: { userPolicy: { directory: false, passwordChange: false } },
  });

  it.each([
    ['Query.directory', '{ directory { nodes { username } } }'],
    ['Mutation.changeMyPassword', 'mutation { changeMyPassword(password: "n3w") }'],
  ])('%s is FORBIDDEN before any upstream call', async (field, operation) => {
    await off.resetCalls();
    const res = await off.gql(operation, {}, await jane());
    expect(res.body.errors?.map((e) => e.message)).toEqual([`${field} is not open to end users.`]);
    expect((await off.upstreamCalls()).total).toBe(0);
  });

  it('still lets administrators list the directory', async () => {
    const res = await off.gql('{ directory(first: 1) { nodes { username } } }');
    expect(res.body).toEqual({ data: { directory: { nodes: [{ username: 'admin' }] } } });
  });
});
