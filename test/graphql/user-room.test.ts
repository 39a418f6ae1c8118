import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

/** `User.chatRooms`: the inverse of room affiliations, group affiliations included. */
const g = useGateway({ seed: showcaseSeed(settings) });

describe('User.chatRooms', () => {
  it('lists direct and group affiliations for several users with two room lists in all', async () => {
    const res = await g.gql(`{
      john: user(username: "john") { chatRooms { affiliation room { roomName owners { jid } } } }
      bob: user(username: "bob") { chatRooms { affiliation room { roomName } } }
    }`);
    expect(res.body.data.john.chatRooms).toEqual([
      { affiliation: 'MEMBER', room: { roomName: 'lobby', owners: [{ jid: 'admin@example.org' }] } },
      { affiliation: 'MEMBER', room: { roomName: 'dev', owners: [{ jid: 'jane@example.org' }] } },
    ]);
    expect(res.body.data.bob.chatRooms).toEqual([
      { affiliation: 'MEMBER', room: { roomName: 'lobby' } },
      { affiliation: 'OUTCAST', room: { roomName: 'dev' } },
    ]);
    // Two users, one expanded and one plain room list; the rooms' own fields come from the primed cache.
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 2, 'GET /chatrooms': 2 });
  });

  it('filters by affiliation and answers an empty list for an unknown service', async () => {
    const res = await g.gql(`{
      user(username: "jane") { owned: chatRooms(affiliation: OWNER) { room { roomName } } none: chatRooms(service: "nowhere") { affiliation } }
    }`);
    expect(res.body.data.user).toEqual({ owned: [{ room: { roomName: 'dev' } }], none: [] });
  });
});
