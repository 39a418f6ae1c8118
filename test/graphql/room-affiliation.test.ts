import { describe, expect, it } from 'vitest';
import { groupJid } from '../../src/emulator/handlers/muc.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { editRoom, settings, storedRoom } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });
const affiliations = async (name: string) => {
  const room = storedRoom(await g.ready, name);
  return {
    ...room.affiliations,
    ...Object.fromEntries(Object.entries(room.groupAffiliations).map(([k, v]) => [`group:${k}`, v])),
  };
};

describe('room affiliation queries', () => {
  it('lists affiliates with their local users, and group affiliations by name', async () => {
    editRoom(await g.ready, 'lobby', (room) => {
      room.affiliations['eve@remote.example'] = 'outcast';
    });
    const res = await g.gql(`{ chatRoom(name: "lobby") {
      owners { jid user { name } } admins { jid user { username } } members { jid user { name } } outcasts { jid user { name } }
      ownerGroups adminGroups memberGroups outcastGroups
    } }`);
    expect(res.body.data.chatRoom).toEqual({
      owners: [{ jid: 'admin@example.org', user: { name: 'Administrator' } }],
      admins: [{ jid: 'jane@example.org', user: { username: 'jane' } }],
      members: [
        { jid: 'john@example.org', user: { name: 'John Doe' } },
        { jid: 'alice@example.org', user: { name: 'Alice Liddell' } },
      ],
      outcasts: [{ jid: 'eve@remote.example', user: null }],
      ownerGroups: [],
      adminGroups: [],
      memberGroups: ['support'],
      outcastGroups: [],
    });
    // The room, then its four distinct local users in one batch (no lookup for the remote JID).
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms/{roomName}': 1, 'GET /users/{username}': 4 });
  });

  it('gives Openfire’s raw affiliation list, group JIDs included', async () => {
    const res = await g.gql(
      '{ chatRoom(name: "lobby") { m: affiliationJids(affiliation: MEMBER) again: affiliationJids(affiliation: MEMBER) o: affiliationJids(affiliation: OWNER) } }',
    );
    expect(res.body.data.chatRoom).toEqual({
      m: ['john@example.org', 'alice@example.org', groupJid('support', 'example.org')],
      again: ['john@example.org', 'alice@example.org', groupJid('support', 'example.org')],
      o: ['admin@example.org'],
    });
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /chatrooms/{roomName}': 1,
      'GET /chatrooms/{roomName}/{affiliation}': 2,
    });
  });
});

describe('room affiliation mutations', () => {
  it('adds an affiliation by username, moving the user from the one they had', async () => {
    const res = await g.gql(
      'mutation { addRoomAffiliation(name: "lobby", affiliation: ADMIN, jid: "john") { admins { jid } members { jid } } }',
    );
    expect(res.body.data.addRoomAffiliation).toEqual({
      admins: [{ jid: 'jane@example.org' }, { jid: 'john@example.org' }],
      members: [{ jid: 'alice@example.org' }],
    });
    expect(await affiliations('lobby')).toMatchObject({ 'john@example.org': 'admin' });
    expect((await g.upstreamCalls()).routes).toEqual({
      'POST /chatrooms/{roomName}/{affiliation}/{jid}': 1,
      'GET /chatrooms/{roomName}': 1,
    });
  });

  it('invites who was added when asked to', async () => {
    await g.gql(
      'mutation { addRoomAffiliation(name: "dev", affiliation: MEMBER, jid: "john@example.org", sendInvitations: true) { roomName } }',
    );
    expect((await g.ready).snapshot().outbox).toMatchObject([
      { kind: 'invitation', to: 'john@example.org', body: 'You are member of room dev' },
    ]);
  });

  it('removes an affiliation, and reports one the JID does not hold as CONFLICT', async () => {
    const res = await g.gql(
      'mutation { removeRoomAffiliation(name: "dev", affiliation: OUTCAST, jid: "bob") { outcasts { jid } } }',
    );
    expect(res.body.data.removeRoomAffiliation).toEqual({ outcasts: [] });
    expect(await affiliations('dev')).not.toHaveProperty('bob@example.org');
    const again = await g.gql(
      'mutation { removeRoomAffiliation(name: "dev", affiliation: OUTCAST, jid: "bob") { roomName } }',
    );
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'NotAllowedException' });
  });

  it('refuses to remove the last owner', async () => {
    const res = await g.gql(
      'mutation { removeRoomAffiliation(name: "dev", affiliation: OWNER, jid: "jane") { roomName } }',
    );
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'NotAllowedException' });
    expect(await affiliations('dev')).toMatchObject({ 'jane@example.org': 'owner' });
  });

  it('adds and removes a group affiliation', async () => {
    const added = await g.gql(
      'mutation { addRoomGroupAffiliation(name: "lobby", affiliation: ADMIN, group: "developers") { adminGroups memberGroups } }',
    );
    expect(added.body.data.addRoomGroupAffiliation).toEqual({ adminGroups: ['developers'], memberGroups: ['support'] });
    expect(await affiliations('lobby')).toMatchObject({ 'group:developers': 'admin' });
    const removed = await g.gql(
      'mutation { removeRoomGroupAffiliation(name: "lobby", affiliation: MEMBER, group: "support") { memberGroups } }',
    );
    expect(removed.body.data.removeRoomGroupAffiliation).toEqual({ memberGroups: [] });
    expect(await affiliations('lobby')).not.toHaveProperty('group:support');
  });

  it('reports an unknown group as NOT_FOUND instead of letting Openfire take it for a user', async () => {
    const res = await g.gql(
      'mutation { addRoomGroupAffiliation(name: "lobby", affiliation: MEMBER, group: "bob") { roomName } }',
    );
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'GroupNotFoundException' });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /groups/{groupName}': 1 });
  });

  it('reports an absent room as NOT_FOUND', async () => {
    const res = await g.gql(
      'mutation { addRoomAffiliation(name: "ghost", affiliation: MEMBER, jid: "john") { roomName } }',
    );
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'RoomNotFoundException' });
  });

  it('rejects an invalid JID before calling Openfire', async () => {
    const res = await g.gql(
      'mutation { addRoomAffiliation(name: "lobby", affiliation: MEMBER, jid: "a b") { roomName } }',
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('sets an affiliation list with per-JID calls, leaving groups alone and never using the broken list routes', async () => {
    const res = await g.gql(
      'mutation { setRoomAffiliations(name: "lobby", affiliation: MEMBER, jids: ["alice", "Bob@example.org"]) { members { jid } memberGroups } }',
    );
    expect(res.body.data.setRoomAffiliations).toEqual({
      members: [{ jid: 'alice@example.org' }, { jid: 'bob@example.org' }],
      memberGroups: ['support'],
    });
    expect(await affiliations('lobby')).toEqual({
      'admin@example.org': 'owner',
      'jane@example.org': 'admin',
      'alice@example.org': 'member',
      'bob@example.org': 'member',
      'group:support': 'member',
    });
    // Read the room, add bob, remove john, re-read the room.
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /chatrooms/{roomName}': 2,
      'POST /chatrooms/{roomName}/{affiliation}/{jid}': 1,
      'DELETE /chatrooms/{roomName}/{affiliation}/{jid}': 1,
    });
  });

  it('sets a new owner list by adding before removing, so the last owner is never removed first', async () => {
    const res = await g.gql(
      'mutation { setRoomAffiliations(name: "dev", affiliation: OWNER, jids: ["john"]) { owners { jid } } }',
    );
    expect(res.body.data.setRoomAffiliations).toEqual({ owners: [{ jid: 'john@example.org' }] });
  });
});
