import { describe, expect, it } from 'vitest';
import { type DecodableEntity, decodeEntity } from '../../src/upstream/codec/decode.js';
import type { ChatRoom, ClusterNode } from '../../src/upstream/model.js';
import { goldenPayloads } from '../helpers/fixtures.js';

/** Every response recorded from the real plugin (test/fixtures/golden-payloads.json) decodes to the value written out by hand. */
const goldens = goldenPayloads().filter((g) => g.body !== null);

const lobby: ChatRoom = {
  roomName: 'lobby',
  naturalName: 'Lobby',
  description: 'Welcome in our lobby!',
  password: null,
  subject: 'Introduction to XMPP',
  // 2022-02-07T16:09:51.517+01:00 and …51.538+01:00
  creationDate: 1644246591517,
  modificationDate: 1644246591538,
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
  owners: ['admin@example.org'],
  admins: ['john@example.org', 'jane@example.org'],
  members: [],
  outcasts: [],
  ownerGroups: [],
  adminGroups: [],
  memberGroups: [],
  outcastGroups: [],
  allowPM: 'anyone',
};

const node1: ClusterNode = {
  hostName: 'node1.example.org (198.51.100.1)',
  nodeID: '52a89928-1111-1111-1111-096de07400ac',
  joinedTime: 1644246591517,
  seniorMember: false,
};

const node2: ClusterNode = {
  hostName: 'node2.example.org (198.51.100.2)',
  nodeID: '52a89928-2222-2222-2222-096de07400ac',
  joinedTime: 1641256861924,
  seniorMember: true,
};

/** Expected values by request line (without the Accept note); XML and JSON recordings share them. */
const expected: Readonly<Record<string, { entity: DecodableEntity; value: unknown }>> = {
  'GET /plugins/restapi/v1/users/jane/roster': {
    entity: 'roster',
    value: [{ jid: 'john@example.org', nickname: 'John', subscriptionType: 3, groups: [] }],
  },
  'GET /plugins/restapi/v1/clustering/status': { entity: 'clustering', value: 'SENIOR AND ONLY MEMBER' },
  'GET /plugins/restapi/v1/clustering/nodes': { entity: 'clusterNodes', value: [node1, node2] },
  [`GET /plugins/restapi/v1/clustering/nodes/${node2.nodeID}`]: { entity: 'clusterNode', value: node2 },
  'GET /plugins/restapi/v1/chatrooms/lobby': { entity: 'chatRoom', value: lobby },
  'GET /plugins/restapi/v1/chatrooms': { entity: 'chatRooms', value: [lobby] },
  'GET /plugins/restapi/v1/chatrooms/lobby/occupants': {
    entity: 'occupants',
    value: [
      {
        jid: 'lobby@conference.example.org/jane',
        userAddress: 'jane@example.org/converse.js-131754909',
        role: 'participant',
        affiliation: 'member',
      },
      {
        jid: 'lobby@conference.example.org/John',
        userAddress: 'john@example.org/converse.js-57890634',
        role: 'participant',
        affiliation: 'none',
      },
    ],
  },
};

describe('golden payloads', () => {
  it('cover every recorded response body', () => {
    expect(goldens).toHaveLength(14);
  });

  it.each(goldens.map((g) => [`${g.request} → ${g.test}`, g] as const))('decodes %s', (_name, golden) => {
    const want = expected[golden.request.replace(/ \(Accept: [^)]*\)$/, '')];
    if (want === undefined) throw new Error(`no expected value for ${golden.request}`);
    const format = golden.contentType === 'application/json' ? 'json' : 'xml';
    expect(decodeEntity(want.entity, golden.body ?? '', format)).toStrictEqual(want.value);
  });
});
