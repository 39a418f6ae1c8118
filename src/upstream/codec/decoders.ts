/**
 * One decoder per wire entity (openfire-rest-api.md §9), from the loose tree of any plugin version or format into the
 * canonical model. Non-null strings of the model are required (their absence means a wrong entity); absent ints and
 * booleans read as Java's defaults, as JAXB and Jackson do for primitives; unknown fields are ignored.
 */
import type {
  BulkRoomResults,
  ChatRoom,
  ChatService,
  ClusterNode,
  Group,
  GroupSummary,
  Occupant,
  Participant,
  RoomCreationResult,
  RoomMessage,
  RosterItem,
  SecurityLogEntry,
  Session,
  SessionCounts,
  SystemProperty,
  UnreadCount,
  User,
  UserProperty,
} from '../model.js';
import {
  boolean,
  checkRoot,
  DecodeError,
  date,
  field,
  items,
  list,
  number,
  pair,
  required,
  requiredNumber,
  text,
  texts,
} from './loose.js';

const str = (v: unknown, key: string): string | null => text(field(v, key));
const int = (v: unknown, key: string): number => number(field(v, key)) ?? 0;
const flag = (v: unknown, key: string): boolean => boolean(field(v, key)) ?? false;

/**
 * A string list under its plural key or 1.7.0's singular item name (`owners`/`owner`, `groups`/`group`,
 * openfire-rest-api.md §10).
 */
const names = (v: unknown, plural: string): string[] => texts(list(v, plural, plural.slice(0, -1)), plural);

function userProperty(v: unknown): UserProperty {
  const { key, value } = pair(v);
  if (key === null || value === null) throw new DecodeError('user property without key or value');
  return { key, value };
}

export const user = (v: unknown): User => ({
  username: required(v, 'username'),
  // The API reports an unset name as "" (openfire-rest-api.md §9.1).
  name: str(v, 'name') || null,
  email: str(v, 'email'),
  properties: list(v, 'properties', 'property').map(userProperty),
});

export const rosterItem = (v: unknown): RosterItem => ({
  jid: required(v, 'jid'),
  nickname: str(v, 'nickname'),
  subscriptionType: int(v, 'subscriptionType'),
  groups: names(v, 'groups'),
});

export const groupSummary = (v: unknown): GroupSummary => ({
  name: required(v, 'name'),
  description: str(v, 'description'),
  shared: flag(v, 'shared'),
});

export const group = (v: unknown): Group => {
  const { name, description, shared } = groupSummary(v);
  return { name, description, shared, admins: names(v, 'admins'), members: names(v, 'members') };
};

export const chatService = (v: unknown): ChatService => ({
  serviceName: required(v, 'serviceName'),
  description: str(v, 'description'),
  hidden: flag(v, 'hidden'),
});

export const chatRoom = (v: unknown): ChatRoom => ({
  roomName: required(v, 'roomName'),
  naturalName: str(v, 'naturalName'),
  description: str(v, 'description'),
  password: str(v, 'password'),
  subject: str(v, 'subject'),
  creationDate: date(field(v, 'creationDate')),
  modificationDate: date(field(v, 'modificationDate')),
  maxUsers: int(v, 'maxUsers'),
  persistent: flag(v, 'persistent'),
  publicRoom: flag(v, 'publicRoom'),
  registrationEnabled: flag(v, 'registrationEnabled'),
  canAnyoneDiscoverJID: flag(v, 'canAnyoneDiscoverJID'),
  canOccupantsChangeSubject: flag(v, 'canOccupantsChangeSubject'),
  canOccupantsInvite: flag(v, 'canOccupantsInvite'),
  canChangeNickname: flag(v, 'canChangeNickname'),
  logEnabled: flag(v, 'logEnabled'),
  loginRestrictedToNickname: flag(v, 'loginRestrictedToNickname'),
  membersOnly: flag(v, 'membersOnly'),
  moderated: flag(v, 'moderated'),
  broadcastPresenceRoles: names(v, 'broadcastPresenceRoles'),
  owners: names(v, 'owners'),
  admins: names(v, 'admins'),
  members: names(v, 'members'),
  outcasts: names(v, 'outcasts'),
  ownerGroups: names(v, 'ownerGroups'),
  adminGroups: names(v, 'adminGroups'),
  memberGroups: names(v, 'memberGroups'),
  outcastGroups: names(v, 'outcastGroups'),
  // Absent before plugin 1.9.0 (openfire-rest-api.md §10).
  allowPM: str(v, 'allowPM'),
});

function roomResult(v: unknown): RoomCreationResult {
  const resultType = required(v, 'resultType');
  if (resultType !== 'Success' && resultType !== 'Failure') throw new DecodeError(`unknown resultType "${resultType}"`);
  return { roomName: required(v, 'roomName'), resultType, message: str(v, 'message') };
}

/**
 * The three lists are wrappers of `result` items in XML and Jettison, plain arrays in Jackson
 * (openfire-rest-api.md §9.5).
 */
export function bulkResults(v: unknown): BulkRoomResults {
  checkRoot(v, ['success', 'failure', 'other']);
  return {
    success: items(v.success, 'result').map(roomResult),
    failure: items(v.failure, 'result').map(roomResult),
    other: items(v.other, 'result').map(roomResult),
  };
}

export const participant = (v: unknown): Participant => ({
  jid: required(v, 'jid'),
  role: required(v, 'role'),
  affiliation: required(v, 'affiliation'),
});

// `userAddress` is absent before plugin 1.3.10 (openfire-rest-api.md §10).
export const occupant = (v: unknown): Occupant => ({ ...participant(v), userAddress: str(v, 'userAddress') });

export const roomMessage = (v: unknown): RoomMessage => ({
  to: str(v, 'to'),
  from: str(v, 'from'),
  type: str(v, 'type'),
  body: str(v, 'body'),
  delayStamp: date(field(v, 'delay_stamp')),
  delayFrom: str(v, 'delay_from'),
});

export function systemProperty(v: unknown): SystemProperty {
  const { key, value } = pair(v);
  if (key === null) throw new DecodeError('missing "key"');
  return { key, value };
}

export const sessionCounts = (v: unknown): SessionCounts => ({
  localSessions: requiredNumber(v, 'localSessions'),
  clusterSessions: requiredNumber(v, 'clusterSessions'),
});

export const clusteringStatus = (v: unknown): string => required(v, 'status');

export const clusterNode = (v: unknown): ClusterNode => ({
  hostName: required(v, 'hostName'),
  nodeID: required(v, 'nodeID'),
  joinedTime: date(field(v, 'joinedTime')),
  seniorMember: flag(v, 'seniorMember'),
});

export const session = (v: unknown): Session => ({
  sessionId: required(v, 'sessionId'),
  username: required(v, 'username'),
  resource: str(v, 'resource'),
  node: str(v, 'node'),
  sessionStatus: str(v, 'sessionStatus'),
  presenceStatus: str(v, 'presenceStatus'),
  presenceMessage: str(v, 'presenceMessage'),
  priority: int(v, 'priority'),
  hostAddress: str(v, 'hostAddress'),
  hostName: str(v, 'hostName'),
  creationDate: date(field(v, 'creationDate')),
  lastActionDate: date(field(v, 'lastActionDate')),
  secure: flag(v, 'secure'),
});

export const unreadCount = (v: unknown): UnreadCount => ({ jid: required(v, 'jid'), count: int(v, 'count') });

export const securityLogEntry = (v: unknown): SecurityLogEntry => ({
  logId: requiredNumber(v, 'logId'),
  username: required(v, 'username'),
  // The API sends epoch seconds (openfire-rest-api.md §9.10).
  timestamp: int(v, 'timestamp') * 1000,
  summary: str(v, 'summary'),
  node: str(v, 'node'),
  details: str(v, 'details'),
});
