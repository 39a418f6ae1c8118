import fc from 'fast-check';
import type { DecodableEntity } from '../../src/upstream/codec/decode.js';
import type { ResponseModels } from '../../src/upstream/endpoints.js';
import type {
  ChatRoom,
  ClusterNode,
  Group,
  Occupant,
  RoomCreationResult,
  RoomMessage,
  SecurityLogEntry,
  Session,
  User,
} from '../../src/upstream/model.js';

/** Canonical model values for every decodable entity, as the decoders must return them. */

// Plain prototypes, so that `toStrictEqual` compares them with the decoders' object literals.
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { noNullPrototype: true });

// Printable ASCII and any printable grapheme: both survive JSON and XML (no control characters).
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const optional = fc.option(text, { nil: null });
// List items are never blank: Jettison cannot tell a one-element list [""] from an empty wrapper ""
// (openfire-rest-api.md §10).
const name = fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== '');
const names = fc.array(name, { maxLength: 3 });
const small = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });

const epochMs = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
// JAXB drops the fraction when milliseconds are 0 (openfire-rest-api.md §4.5), so whole seconds get their own share.
const date = fc.option(
  fc.oneof(
    epochMs,
    epochMs.map((ms) => ms - (ms % 1000)),
  ),
  { nil: null },
);

const user: fc.Arbitrary<User> = record({
  username: text,
  // `""` is how the API reports an unset name, so the canonical value never holds it.
  name: fc.option(
    text.filter((s) => s !== ''),
    { nil: null },
  ),
  email: optional,
  properties: small(record({ key: text, value: text })),
});

const rosterItem = record({
  jid: text,
  nickname: optional,
  subscriptionType: fc.integer({ min: -1, max: 3 }),
  groups: names,
});

const groupSummary = record({ name: text, description: optional, shared: fc.boolean() });

const group: fc.Arbitrary<Group> = record({
  name: text,
  description: optional,
  shared: fc.boolean(),
  admins: names,
  members: names,
});

const flags = {
  persistent: fc.boolean(),
  publicRoom: fc.boolean(),
  registrationEnabled: fc.boolean(),
  canAnyoneDiscoverJID: fc.boolean(),
  canOccupantsChangeSubject: fc.boolean(),
  canOccupantsInvite: fc.boolean(),
  canChangeNickname: fc.boolean(),
  logEnabled: fc.boolean(),
  loginRestrictedToNickname: fc.boolean(),
  membersOnly: fc.boolean(),
  moderated: fc.boolean(),
};

const chatRoom: fc.Arbitrary<ChatRoom> = record({
  roomName: text,
  naturalName: optional,
  description: optional,
  password: optional,
  subject: optional,
  creationDate: date,
  modificationDate: date,
  maxUsers: fc.nat(1000),
  ...flags,
  broadcastPresenceRoles: fc.subarray(['moderator', 'participant', 'visitor']),
  owners: names,
  admins: names,
  members: names,
  outcasts: names,
  ownerGroups: names,
  adminGroups: names,
  memberGroups: names,
  outcastGroups: names,
  allowPM: fc.constantFrom('anyone', 'participants', 'moderators', 'none', null),
});

const roomResult: fc.Arbitrary<RoomCreationResult> = record({
  roomName: text,
  resultType: fc.constantFrom('Success' as const, 'Failure' as const),
  message: optional,
});

const role = fc.constantFrom('moderator', 'participant', 'visitor', 'none');
const affiliation = fc.constantFrom('owner', 'admin', 'member', 'outcast', 'none');
const participant = record({ jid: text, role, affiliation });
const occupant: fc.Arbitrary<Occupant> = record({ jid: text, userAddress: optional, role, affiliation });

const roomMessage: fc.Arbitrary<RoomMessage> = record({
  to: optional,
  from: optional,
  type: optional,
  body: optional,
  delayStamp: date,
  delayFrom: optional,
});

const clusterNode: fc.Arbitrary<ClusterNode> = record({
  hostName: text,
  nodeID: text,
  joinedTime: date,
  seniorMember: fc.boolean(),
});

const session: fc.Arbitrary<Session> = record({
  sessionId: text,
  username: text,
  resource: optional,
  node: optional,
  sessionStatus: optional,
  presenceStatus: optional,
  presenceMessage: optional,
  priority: fc.integer({ min: -128, max: 127 }),
  hostAddress: optional,
  hostName: optional,
  creationDate: date,
  lastActionDate: date,
  secure: fc.boolean(),
});

// The API sends whole epoch seconds, so the canonical milliseconds are multiples of 1000.
const logEntry: fc.Arbitrary<SecurityLogEntry> = record({
  logId: fc.nat(),
  username: text,
  timestamp: fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => s * 1000),
  summary: optional,
  node: optional,
  details: optional,
});

const systemProperty = record({ key: text, value: optional });

export const arbitraries: { readonly [E in DecodableEntity]: fc.Arbitrary<ResponseModels[E]> } = {
  users: small(user),
  user,
  userGroups: names,
  roster: small(rosterItem),
  groups: small(groupSummary),
  group,
  chatServices: small(record({ serviceName: text, description: optional, hidden: fc.boolean() })),
  chatRooms: small(chatRoom),
  chatRoom,
  bulkResults: record({ success: small(roomResult), failure: small(roomResult), other: small(roomResult) }),
  participants: small(participant),
  occupants: small(occupant),
  messages: small(roomMessage),
  affiliations: names,
  properties: small(systemProperty),
  property: systemProperty,
  sessionCounts: record({ localSessions: fc.nat(), clusterSessions: fc.nat() }),
  clustering: text,
  clusterNodes: small(clusterNode),
  clusterNode,
  sessions: small(session),
  archive: record({ jid: text, count: fc.nat() }),
  logs: small(logEntry),
};
