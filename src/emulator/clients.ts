/**
 * Simulated XMPP clients: what a client's login, presence change, logout, room join and leave do to the sessions and
 * room occupants the REST API reports. Shared by the control plane's client calls and `--activity`; users, groups,
 * rosters and properties are never touched. Callers report the change to the store.
 */
import { InvalidJidError, nodeprep } from '../xmpp/jid.js';
import { findUser } from './domain.js';
import type { RoomRef } from './handlers/muc.js';
import { sessionRecord } from './seeds/builders.js';
import type { OccupantRecord, SessionRecord, Store, UserRecord } from './store.js';

/** The `presenceStatus` values Openfire reports for a client's `<show/>` (openfire-rest-api.md §7.14). */
export const PRESENCE_STATUSES = ['Online', 'Away', 'Available to Chat', 'Do Not Disturb', 'Extended Away'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export const OCCUPANT_ROLES = ['moderator', 'participant', 'visitor'] as const;
export type OccupantRole = (typeof OCCUPANT_ROLES)[number];

export interface Presence {
  presenceStatus: PresenceStatus;
  presenceMessage: string | null;
  priority: number;
}

/** A refused client call, with the status the control plane answers. */
export class ClientError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** A user found as Openfire finds one (nodeprep); a name that is no valid JID node names no user. */
export function clientUser(store: Store, username: string): UserRecord {
  let user: UserRecord | undefined;
  try {
    user = findUser(store, username);
  } catch (error) {
    if (!(error instanceof InvalidJidError)) throw error;
  }
  if (!user) throw new ClientError(404, `no user "${username}"`);
  return user;
}

/** The first `clientN` resource the user has no session on, so the same sessions always give the same choice. */
export function freeResource(store: Store, username: string): string {
  const taken = new Set(store.state.sessions.filter((s) => s.username === username).map((s) => s.resource));
  let n = 1;
  while (taken.has(`client${n}`)) n++;
  return `client${n}`;
}

/** Where a client connects from; by default the loopback, as seed sessions do. */
export type ClientHost = Pick<SessionRecord, 'hostAddress' | 'hostName'>;

/** A login: a new authenticated session on this node, created and last active now. */
export function openSession(
  store: Store,
  user: UserRecord,
  resource: string,
  presence: Presence,
  now: number,
  host: Partial<ClientHost> = {},
): SessionRecord {
  const session = sessionRecord(user.username, store.domain, resource, now, { ...presence, ...host });
  if (store.state.sessions.some((s) => s.sessionId === session.sessionId)) {
    throw new ClientError(409, `session "${session.sessionId}" already exists`);
  }
  store.state.sessions.push(session);
  return session;
}

/** A session by its full JID, exactly as the session list gives it. */
export function findSession(store: Store, sessionId: string): SessionRecord {
  const session = store.state.sessions.find((s) => s.sessionId === sessionId);
  if (!session) throw new ClientError(404, `no session "${sessionId}"`);
  return session;
}

/** A presence stanza: the given fields change and the session was last active now. */
export function changePresence(session: SessionRecord, change: Partial<Presence>, now: number): void {
  Object.assign(session, change);
  session.lastActionDate = now;
}

/** A logout; as Openfire's MUC does when a connection closes, the session's room occupants leave with it. */
export function closeSession(store: Store, session: SessionRecord): void {
  const { state } = store;
  state.sessions = state.sessions.filter((s) => s !== session);
  for (const service of state.services.values()) {
    for (const room of service.rooms.values()) {
      room.occupants = room.occupants.filter((o) => o.userAddress !== session.sessionId);
    }
  }
}

/** A room as the REST API finds it: the service by name (case-insensitively as a fallback), the room node-prepped. */
export function clientRoom(store: Store, serviceName: string, roomName: string): RoomRef {
  const { services } = store.state;
  const service =
    services.get(serviceName) ??
    [...services.values()].find((s) => s.serviceName.toLowerCase() === serviceName.toLowerCase());
  if (!service) throw new ClientError(404, `no chat service "${serviceName}"`);
  let name: string | undefined;
  try {
    name = nodeprep(roomName);
  } catch (error) {
    if (!(error instanceof InvalidJidError)) throw error;
  }
  const room = name === undefined ? undefined : service.rooms.get(name);
  if (!room) throw new ClientError(404, `no room "${roomName}" in chat service "${service.serviceName}"`);
  return { service, room };
}

/** Openfire keys a room's occupants by the lower-cased nickname, so nicknames are unique regardless of case. */
export const nicknameTaken = (ref: RoomRef, nickname: string): boolean =>
  ref.room.occupants.some((o) => o.nickname.toLowerCase() === nickname.toLowerCase());

/**
 * A client enters a room. A nickname is held once (regardless of case), and a full JID is one occupant: Openfire
 * reads a second join from the same full JID as a nickname change. Admission rules (members-only, password, outcasts,
 * maxUsers) are the caller's to apply: the control plane arranges any situation, `--activity` keeps to open rooms.
 */
export function joinRoom(ref: RoomRef, occupant: OccupantRecord): void {
  const { room } = ref;
  if (nicknameTaken(ref, occupant.nickname)) {
    throw new ClientError(409, `nickname "${occupant.nickname}" is taken in room "${room.roomName}"`);
  }
  const present = room.occupants.find((o) => o.userAddress === occupant.userAddress);
  if (present) {
    throw new ClientError(
      409,
      `"${occupant.userAddress}" is already in room "${room.roomName}" as "${present.nickname}"`,
    );
  }
  room.occupants.push(occupant);
}

/**
 * The occupant with a nickname (regardless of case), or every occupant of a JID (a bare JID: of any of its
 * resources), leaves the room.
 */
export function leaveRoom(ref: RoomRef, who: { nickname: string } | { jid: string }): void {
  const leaves =
    'nickname' in who
      ? (o: OccupantRecord) => o.nickname.toLowerCase() === who.nickname.toLowerCase()
      : (o: OccupantRecord) => o.userAddress === who.jid || o.userAddress.split('/')[0] === who.jid;
  const { room } = ref;
  if (!room.occupants.some(leaves)) {
    const name = 'nickname' in who ? `nickname "${who.nickname}"` : `JID "${who.jid}"`;
    throw new ClientError(404, `no occupant with ${name} in room "${room.roomName}"`);
  }
  room.occupants = room.occupants.filter((o) => !leaves(o));
}
