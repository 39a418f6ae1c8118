import type { RoomRecord, SessionRecord, UserRecord } from '../store.js';

/** Record builders for seeds and fixtures, with the values Openfire gives things nobody configured. */
export function userRecord(
  username: string,
  name: string | null,
  email: string | null,
  password: string,
  at: number,
): UserRecord {
  return { username, name, email, password, properties: {}, creationDate: at, modificationDate: at };
}

/** A persistent public room with Openfire's usual defaults; `overrides` win. */
export function roomRecord(roomName: string, at: number, overrides: Partial<RoomRecord> = {}): RoomRecord {
  return {
    roomName,
    naturalName: roomName,
    description: '',
    password: null,
    subject: null,
    creationDate: at,
    modificationDate: at,
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
    allowPM: 'anyone',
    broadcastPresenceRoles: ['moderator', 'participant', 'visitor'],
    affiliations: {},
    groupAffiliations: {},
    occupants: [],
    history: [],
    ...overrides,
  };
}

/** An authenticated local client session with an available presence. */
export function sessionRecord(
  username: string,
  domain: string,
  resource: string,
  at: number,
  overrides: Partial<SessionRecord> = {},
): SessionRecord {
  return {
    sessionId: `${username}@${domain}/${resource}`,
    username,
    resource,
    node: 'Local',
    sessionStatus: 'Authenticated',
    presenceStatus: 'Online',
    presenceMessage: null,
    priority: 0,
    hostAddress: '127.0.0.1',
    hostName: 'localhost',
    creationDate: at,
    lastActionDate: at,
    secure: true,
    ...overrides,
  };
}
