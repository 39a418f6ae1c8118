import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { editRoom, roomIn, settings, storedRoom } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const seed = showcaseSeed(settings);
const g = useGateway({ seed });
const keyed = useGateway({
  seed,
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
});
const room = async (name: string, service = 'conference') => roomIn((await g.ready).snapshot(), name, service);

const allFields = `roomName service jid naturalName description subject passwordProtected password creationDate
  modificationDate maxUsers persistent publicRoom registrationEnabled canAnyoneDiscoverJID canOccupantsChangeSubject
  canOccupantsInvite canChangeNickname logEnabled loginRestrictedToNickname membersOnly moderated broadcastPresenceRoles allowPM`;

describe('chat room queries', () => {
  it('reads every field of a room, case-insensitively, with one upstream call', async () => {
    const lobby = storedRoom(await g.ready, 'lobby');
    const res = await g.gql(`{ chatRoom(name: "Lobby") { ${allFields} } }`);
    expect(res.body).toEqual({
      data: {
        chatRoom: {
          roomName: 'lobby',
          service: 'conference',
          jid: 'lobby@conference.example.org',
          naturalName: 'Lobby',
          description: 'Welcome in our lobby!',
          subject: 'Introduction to XMPP',
          passwordProtected: false,
          password: null,
          creationDate: '2026-01-01T09:05:00.000Z',
          modificationDate: new Date(lobby.modificationDate).toISOString(),
          maxUsers: 30,
          persistent: true,
          publicRoom: true,
          registrationEnabled: true,
          canAnyoneDiscoverJID: true,
          canOccupantsChangeSubject: false,
          canOccupantsInvite: false,
          canChangeNickname: true,
          logEnabled: true,
          loginRestrictedToNickname: false,
          membersOnly: false,
          moderated: false,
          broadcastPresenceRoles: ['moderator', 'participant', 'visitor'],
          allowPM: 'anyone',
        },
      },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms/{roomName}': 1 });
  });

  it('costs one upstream call for the same room through ten aliases', async () => {
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `r${i}: chatRoom(name: "${i % 2 ? 'lobby' : 'LOBBY'}") { naturalName }`,
    ).join(' ');
    const res = await g.gql(`{ ${aliases} }`);
    expect(Object.values(res.body.data)).toEqual(Array(10).fill({ naturalName: 'Lobby' }));
    expect((await g.upstreamCalls()).total).toBe(1);
  });

  it('answers null for an absent room or service', async () => {
    const res = await g.gql(
      '{ a: chatRoom(name: "ghost") { roomName } b: chatRoom(name: "lobby", service: "nope") { roomName } }',
    );
    expect(res.body).toEqual({ data: { a: null, b: null } });
  });

  it.each(['a b', '.', '..'])('rejects the invalid room name %j before calling Openfire', async (name) => {
    const res = await g.gql(`{ chatRoom(name: "${name}") { roomName } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('shows a room password to admin callers and hides it from read-only keys', async () => {
    editRoom(await keyed.ready, 'dev', (dev) => {
      dev.password = 's3cret';
    });
    const query = '{ chatRoom(name: "dev") { passwordProtected password } }';
    expect((await keyed.gql(query, {}, { authorization: 'Bearer admin-key' })).body).toEqual({
      data: { chatRoom: { passwordProtected: true, password: 's3cret' } },
    });
    const read = await keyed.gql(query, {}, { authorization: 'Bearer read-key' });
    expect(read.body).toEqual({ data: { chatRoom: { passwordProtected: true, password: null } } });
  });
});

describe('chat room mutations', () => {
  it('creates a persistent public room by default, completing usernames to local JIDs', async () => {
    const res = await g.gql(`mutation {
      createChatRoom(input: { roomName: "News", naturalName: "News", members: ["john"], memberGroups: ["support"] }) {
        roomName naturalName persistent publicRoom maxUsers broadcastPresenceRoles allowPM owners { jid } members { jid } memberGroups
      }
    }`);
    expect(res.body.data.createChatRoom).toEqual({
      roomName: 'news',
      naturalName: 'News',
      persistent: true,
      publicRoom: true,
      maxUsers: 30,
      broadcastPresenceRoles: ['moderator', 'participant', 'visitor'],
      allowPM: 'anyone',
      owners: [{ jid: 'admin@example.org' }],
      members: [{ jid: 'john@example.org' }],
      memberGroups: ['support'],
    });
    expect(await room('news')).toMatchObject({
      persistent: true,
      registrationEnabled: true,
      membersOnly: false,
      affiliations: { 'admin@example.org': 'owner', 'john@example.org': 'member' },
      groupAffiliations: { support: 'member' },
    });
    // Existence check, creation, re-read (the check's null answer is cleared).
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms/{roomName}': 2, 'POST /chatrooms': 1 });
  });

  it('creates a room in another service and invites its new affiliates when asked', async () => {
    await g.gql('mutation { createChatService(serviceName: "team") { serviceName } }');
    const res = await g.gql(
      'mutation { createChatRoom(service: "team", input: { roomName: "daily", admins: ["jane"] }, sendInvitations: true) { jid service } }',
    );
    expect(res.body.data.createChatRoom).toEqual({ jid: 'daily@team.example.org', service: 'team' });
    expect(await room('daily', 'team')).toBeDefined();
    expect((await g.ready).snapshot().outbox.map(({ to, body }) => ({ to, body }))).toEqual([
      { to: 'admin@example.org', body: 'You are owner of room daily' },
      { to: 'jane@example.org', body: 'You are admin of room daily' },
    ]);
    expect((await g.gql('{ chatRoom(name: "daily", service: "team") { roomName } }')).body.data.chatRoom).toEqual({
      roomName: 'daily',
    });
  });

  it('refuses to create a room that exists, which Openfire would overwrite', async () => {
    const res = await g.gql('mutation { createChatRoom(input: { roomName: "lobby" }) { roomName } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms/{roomName}': 1 });
    expect((await room('lobby'))?.naturalName).toBe('Lobby');
  });

  it('rejects an invalid owner before calling Openfire', async () => {
    const res = await g.gql(
      'mutation { createChatRoom(input: { roomName: "x", owners: ["not valid"] }) { roomName } }',
    );
    expect(res.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('input.owners[0]'),
    });
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('updates the given settings and keeps everything else, affiliations and subject included', async () => {
    const before = storedRoom(await g.ready, 'lobby');
    const res = await g.gql(
      'mutation { updateChatRoom(name: "lobby", changes: { description: "New text", moderated: true }) { description moderated subject persistent members { jid } memberGroups } }',
    );
    expect(res.body.data.updateChatRoom).toEqual({
      description: 'New text',
      moderated: true,
      subject: 'Introduction to XMPP',
      persistent: true,
      members: [{ jid: 'john@example.org' }, { jid: 'alice@example.org' }],
      memberGroups: ['support'],
    });
    const { modificationDate: _before, ...kept } = before;
    const { modificationDate: _after, ...now } = storedRoom(await g.ready, 'lobby');
    expect(now).toEqual({ ...kept, description: 'New text', moderated: true });
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /chatrooms/{roomName}': 2,
      'PUT /chatrooms/{roomName}': 1,
    });
  });

  it('replaces an affiliation list given in the changes', async () => {
    const res = await g.gql(
      'mutation { updateChatRoom(name: "lobby", changes: { members: ["bob"] }) { members { jid } admins { jid } } }',
    );
    expect(res.body.data.updateChatRoom).toEqual({
      members: [{ jid: 'bob@example.org' }],
      admins: [{ jid: 'jane@example.org' }],
    });
  });

  it('reports updating an absent room as NOT_FOUND without writing (PUT would create it)', async () => {
    const res = await g.gql('mutation { updateChatRoom(name: "ghost", changes: { description: "x" }) { roomName } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'RoomNotFoundException' });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms/{roomName}': 1 });
    expect(await room('ghost')).toBeUndefined();
  });

  it('deletes a room', async () => {
    expect((await g.gql('mutation { deleteChatRoom(name: "dev") }')).body).toEqual({ data: { deleteChatRoom: true } });
    expect(await room('dev')).toBeUndefined();
    const again = await g.gql('mutation { deleteChatRoom(name: "dev") }');
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'RoomNotFoundException' });
  });
});
