import type { EntityName } from '../../upstream/routes.js';
import { attr, bool, collection, date, type EntitySchema, entities, int, long, str, strings } from './schema.js';

/** The plugin's entities as openfire-rest-api.md §9 of the reference describes them. */
const pkg = 'org.jivesoftware.openfire.plugin.rest.entity.';

const userProperty: EntitySchema = {
  root: 'property',
  javaClass: `${pkg}UserProperty`,
  fields: { key: attr, value: attr },
};

export const user: EntitySchema = {
  root: 'user',
  javaClass: `${pkg}UserEntity`,
  fields: {
    username: str,
    name: str,
    email: str,
    password: str,
    properties: entities(userProperty, 'property', 'properties', 'properties'),
  },
};

export const rosterItem: EntitySchema = {
  root: 'rosterItem',
  javaClass: `${pkg}RosterItemEntity`,
  fields: { jid: str, nickname: str, subscriptionType: int, groups: strings('groups', 'group') },
};

export const group: EntitySchema = {
  root: 'group',
  javaClass: `${pkg}GroupEntity`,
  fields: {
    name: str,
    description: str,
    admins: strings('admins', 'admin'),
    members: strings('members', 'member'),
    shared: bool,
  },
};

export const chatService: EntitySchema = {
  root: 'chatService',
  javaClass: `${pkg}MUCServiceEntity`,
  fields: { serviceName: str, description: str, hidden: bool },
};

export const chatRoom: EntitySchema = {
  root: 'chatRoom',
  javaClass: `${pkg}MUCRoomEntity`,
  fields: {
    roomName: str,
    naturalName: str,
    description: str,
    password: str,
    subject: str,
    creationDate: date,
    modificationDate: date,
    maxUsers: int,
    persistent: bool,
    publicRoom: bool,
    registrationEnabled: bool,
    canAnyoneDiscoverJID: bool,
    canOccupantsChangeSubject: bool,
    canOccupantsInvite: bool,
    canChangeNickname: bool,
    logEnabled: bool,
    loginRestrictedToNickname: bool,
    membersOnly: bool,
    moderated: bool,
    broadcastPresenceRoles: strings('broadcastPresenceRoles', 'broadcastPresenceRole'),
    owners: strings('owners', 'owner'),
    admins: strings('admins', 'admin'),
    members: strings('members', 'member'),
    outcasts: strings('outcasts', 'outcast'),
    ownerGroups: strings('ownerGroups', 'ownerGroup'),
    adminGroups: strings('adminGroups', 'adminGroup'),
    memberGroups: strings('memberGroups', 'memberGroup'),
    outcastGroups: strings('outcastGroups', 'outcastGroup'),
    allowPM: str,
  },
};

const roomResult: EntitySchema = {
  root: 'result',
  javaClass: `${pkg}RoomCreationResultEntity`,
  fields: { roomName: str, resultType: str, message: str },
};

const participant: EntitySchema = {
  root: 'participant',
  javaClass: `${pkg}ParticipantEntity`,
  fields: { jid: str, role: str, affiliation: str },
  xmlOrder: ['affiliation', 'jid', 'role'],
};

const occupant: EntitySchema = {
  root: 'occupant',
  javaClass: `${pkg}OccupantEntity`,
  fields: { jid: str, userAddress: str, role: str, affiliation: str },
  xmlOrder: ['affiliation', 'jid', 'role', 'userAddress'],
};

const roomMessage: EntitySchema = {
  root: 'message',
  javaClass: `${pkg}MUCRoomMessageEntity`,
  fields: { to: str, from: str, type: str, body: str, delay_stamp: str, delay_from: str },
};

export const property: EntitySchema = {
  root: 'property',
  javaClass: `${pkg}SystemProperty`,
  fields: { key: attr, value: attr },
};

const clusterNode: EntitySchema = {
  root: 'clusterNode',
  javaClass: `${pkg}ClusterNodeEntity`,
  fields: { hostName: str, nodeID: str, joinedTime: date, seniorMember: bool },
  xmlOrder: ['hostName', 'joinedTime', 'nodeID', 'seniorMember'],
};

export const session: EntitySchema = {
  root: 'session',
  javaClass: `${pkg}SessionEntity`,
  fields: {
    sessionId: str,
    username: str,
    resource: str,
    node: str,
    sessionStatus: str,
    presenceStatus: str,
    presenceMessage: str,
    priority: int,
    hostAddress: str,
    hostName: str,
    creationDate: date,
    lastActionDate: date,
    secure: bool,
  },
};

const log: EntitySchema = {
  root: 'log',
  javaClass: `${pkg}SecurityAuditLog`,
  fields: { logId: long, username: str, timestamp: long, summary: str, node: str, details: str },
  xmlOrder: ['details', 'logId', 'node', 'summary', 'timestamp', 'username'],
};

function affiliationList(plural: string, singular: string, javaName: string): EntitySchema {
  return {
    root: plural,
    javaClass: `${pkg}${javaName}`,
    fields: { [plural]: { kind: 'list', item: singular, json: plural, of: 'string' } },
  };
}

/** Affiliation list entities by the `{affiliation}` path segment (openfire-rest-api.md §9.6). */
export const affiliationLists: Readonly<Record<string, EntitySchema>> = {
  owners: affiliationList('owners', 'owner', 'OwnerEntities'),
  admins: affiliationList('admins', 'admin', 'AdminEntities'),
  members: affiliationList('members', 'member', 'MemberEntities'),
  outcasts: affiliationList('outcasts', 'outcast', 'OutcastEntities'),
};

export const errorEntity: EntitySchema = {
  root: 'error',
  javaClass: `${pkg}ErrorResponse`,
  fields: { resource: str, message: str, exception: str },
  xmlOrder: ['exception', 'message', 'resource'],
};

/** Every named entity; `affiliations` resolves per request through {@link affiliationLists}. */
export const catalog: Readonly<Record<Exclude<EntityName, 'affiliations'>, EntitySchema>> = {
  user,
  users: collection('users', user, 'users', `${pkg}UserEntities`),
  userGroups: {
    root: 'groups',
    javaClass: `${pkg}UserGroupsEntity`,
    fields: { groupnames: { kind: 'list', item: 'groupname', json: 'groupnames', of: 'string' } },
  },
  rosterItem,
  roster: collection('roster', rosterItem, 'rosterItem', `${pkg}RosterEntities`),
  group,
  groups: collection('groups', group, 'groups', `${pkg}GroupEntities`),
  chatService,
  chatServices: collection('chatServices', chatService, 'chatService', `${pkg}MUCServiceEntities`),
  chatRoom,
  chatRooms: collection('chatRooms', chatRoom, 'chatRooms', `${pkg}MUCRoomEntities`),
  bulkResults: {
    root: 'results',
    javaClass: `${pkg}RoomCreationResultEntities`,
    fields: {
      success: entities(roomResult, 'result', 'success', 'success'),
      failure: entities(roomResult, 'result', 'failure', 'failure'),
      other: entities(roomResult, 'result', 'other', 'other'),
    },
  },
  participants: collection('participants', participant, 'participants', `${pkg}ParticipantEntities`),
  occupants: collection('occupants', occupant, 'occupants', `${pkg}OccupantEntities`),
  messages: collection('messages', roomMessage, 'message', `${pkg}MUCRoomMessageEntities`),
  mucInvitation: { root: 'mucInvitation', javaClass: `${pkg}MUCInvitationEntity`, fields: { reason: str } },
  mucInvitations: {
    root: 'mucInvitations',
    javaClass: `${pkg}MUCInvitationsEntity`,
    fields: { reason: str, jidsToInvite: strings('jidsToInvite', 'jid') },
  },
  property,
  properties: collection('properties', property, 'property', `${pkg}SystemProperties`),
  sessionCounts: {
    root: 'sessions',
    javaClass: `${pkg}SessionsCount`,
    fields: { localSessions: int, clusterSessions: int },
    xmlOrder: ['clusterSessions', 'localSessions'],
  },
  clustering: { root: 'clustering', javaClass: `${pkg}ClusteringEntity`, fields: { status: str } },
  clusterNode,
  clusterNodes: collection('clusterNodes', clusterNode, 'clusterNodes', `${pkg}ClusterNodeEntities`),
  sessions: collection('sessions', session, 'sessions', `${pkg}SessionEntities`),
  message: { root: 'message', javaClass: `${pkg}MessageEntity`, fields: { body: str } },
  archive: { root: 'archive', javaClass: `${pkg}MsgArchiveEntity`, fields: { jid: str, count: int } },
  logs: collection('logs', log, 'logs', `${pkg}SecurityAuditLogs`),
};
