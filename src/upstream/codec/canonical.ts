/**
 * The fast path for the current plugin's JSON (openfire-rest-api.md §4.4, §9; the first row of §10): a body in exactly
 * that shape is read in one pass straight into the model, with no loose lookups. Anything else (a wrapper, a bare item
 * for a list, a scalar as a string, an older key, a missing required field) declines, and decode.ts hands the same
 * parsed tree to the tolerant decoders, which also raise the errors. Each reader returns what its tolerant twin in
 * decoders.ts returns for such a body, with the same property order, so both paths give objects of one shape.
 */
import type { ResponseModels } from '../endpoints.js';
import type {
  ChatRoom,
  Group,
  GroupSummary,
  Occupant,
  Participant,
  RoomMessage,
  RosterItem,
  Session,
  User,
  UserProperty,
} from '../model.js';
import {
  DECLINED,
  flag,
  int,
  items,
  object,
  optionalText,
  requiredText,
  rootList,
  texts,
  timestamp,
} from './canonical-fields.js';
import type { DecodableEntity } from './decode.js';

function userProperty(item: unknown): UserProperty {
  const p = object(item);
  return { key: requiredText(p.key), value: requiredText(p.value) };
}

function user(item: unknown): User {
  const v = object(item);
  return {
    username: requiredText(v.username),
    // The API reports an unset name as "" (openfire-rest-api.md §9.1).
    name: optionalText(v.name) || null,
    email: optionalText(v.email),
    properties: items(v, 'properties', 'property', userProperty),
  };
}

function rosterItem(item: unknown): RosterItem {
  const v = object(item);
  return {
    jid: requiredText(v.jid),
    nickname: optionalText(v.nickname),
    subscriptionType: int(v.subscriptionType),
    groups: texts(v, 'groups', 'group'),
  };
}

// The group list's items: admins and members, should they be there, are ignored as the tolerant decoder does.
function groupSummary(item: unknown): GroupSummary {
  const v = object(item);
  return { name: requiredText(v.name), description: optionalText(v.description), shared: flag(v.shared) };
}

function group(item: unknown): Group {
  const v = object(item);
  return {
    name: requiredText(v.name),
    description: optionalText(v.description),
    shared: flag(v.shared),
    admins: texts(v, 'admins', 'admin'),
    members: texts(v, 'members', 'member'),
  };
}

function chatRoom(item: unknown): ChatRoom {
  const v = object(item);
  return {
    roomName: requiredText(v.roomName),
    naturalName: optionalText(v.naturalName),
    description: optionalText(v.description),
    password: optionalText(v.password),
    subject: optionalText(v.subject),
    creationDate: timestamp(v.creationDate),
    modificationDate: timestamp(v.modificationDate),
    maxUsers: int(v.maxUsers),
    persistent: flag(v.persistent),
    publicRoom: flag(v.publicRoom),
    registrationEnabled: flag(v.registrationEnabled),
    canAnyoneDiscoverJID: flag(v.canAnyoneDiscoverJID),
    canOccupantsChangeSubject: flag(v.canOccupantsChangeSubject),
    canOccupantsInvite: flag(v.canOccupantsInvite),
    canChangeNickname: flag(v.canChangeNickname),
    logEnabled: flag(v.logEnabled),
    loginRestrictedToNickname: flag(v.loginRestrictedToNickname),
    membersOnly: flag(v.membersOnly),
    moderated: flag(v.moderated),
    broadcastPresenceRoles: texts(v, 'broadcastPresenceRoles', 'broadcastPresenceRole'),
    owners: texts(v, 'owners', 'owner'),
    admins: texts(v, 'admins', 'admin'),
    members: texts(v, 'members', 'member'),
    outcasts: texts(v, 'outcasts', 'outcast'),
    ownerGroups: texts(v, 'ownerGroups', 'ownerGroup'),
    adminGroups: texts(v, 'adminGroups', 'adminGroup'),
    memberGroups: texts(v, 'memberGroups', 'memberGroup'),
    outcastGroups: texts(v, 'outcastGroups', 'outcastGroup'),
    allowPM: optionalText(v.allowPM),
  };
}

function participant(item: unknown): Participant {
  const v = object(item);
  return { jid: requiredText(v.jid), role: requiredText(v.role), affiliation: requiredText(v.affiliation) };
}

function occupant(item: unknown): Occupant {
  const v = object(item);
  return {
    jid: requiredText(v.jid),
    role: requiredText(v.role),
    affiliation: requiredText(v.affiliation),
    userAddress: optionalText(v.userAddress),
  };
}

function roomMessage(item: unknown): RoomMessage {
  const v = object(item);
  return {
    to: optionalText(v.to),
    from: optionalText(v.from),
    type: optionalText(v.type),
    body: optionalText(v.body),
    delayStamp: timestamp(v.delay_stamp),
    delayFrom: optionalText(v.delay_from),
  };
}

function session(item: unknown): Session {
  const v = object(item);
  return {
    sessionId: requiredText(v.sessionId),
    username: requiredText(v.username),
    resource: optionalText(v.resource),
    node: optionalText(v.node),
    sessionStatus: optionalText(v.sessionStatus),
    presenceStatus: optionalText(v.presenceStatus),
    presenceMessage: optionalText(v.presenceMessage),
    priority: int(v.priority),
    hostAddress: optionalText(v.hostAddress),
    hostName: optionalText(v.hostName),
    creationDate: timestamp(v.creationDate),
    lastActionDate: timestamp(v.lastActionDate),
    secure: flag(v.secure),
  };
}

/**
 * A single entity is read from the root: a body accepted has its required field (`username`, `name`, `roomName`), so
 * it is never the lone root key that decode.ts's `single` unwraps (`{"user":{…}}`, openfire-rest-api.md §10).
 */
const decoders: { readonly [E in DecodableEntity]?: (tree: unknown) => ResponseModels[E] } = {
  // A collection's key is the first one decode.ts's `collection` tries, so an array under it is what the tolerant
  // decoder reads too, whatever other keys the root has. One function each keeps every `map` call monomorphic.
  users: (tree) => rootList(tree, 'users').map(user),
  user,
  roster: (tree) => rootList(tree, 'rosterItem').map(rosterItem),
  groups: (tree) => rootList(tree, 'groups').map(groupSummary),
  group,
  chatRooms: (tree) => rootList(tree, 'chatRooms').map(chatRoom),
  chatRoom,
  participants: (tree) => rootList(tree, 'participants').map(participant),
  occupants: (tree) => rootList(tree, 'occupants').map(occupant),
  messages: (tree) => rootList(tree, 'message').map(roomMessage),
  sessions: (tree) => rootList(tree, 'sessions').map(session),
};

/** The model of a body in the current plugin's JSON shape, or `undefined` when the tolerant decoders must read it. */
export function decodeCanonical<E extends DecodableEntity>(entity: E, tree: unknown): ResponseModels[E] | undefined {
  const decode = decoders[entity] as ((tree: unknown) => ResponseModels[E]) | undefined;
  if (decode === undefined) return undefined;
  try {
    return decode(tree);
  } catch (error) {
    if (error === DECLINED) return undefined;
    throw error;
  }
}
