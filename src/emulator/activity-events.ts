/**
 * One event of `--activity`'s simulated traffic: a login, presence change, logout, room join or leave, chosen from
 * the current state and a seeded random source, so the same state and seed always give the same event. Weights pull
 * towards a lively middle: logins are likelier while few users are online, logouts while many are, and the same for
 * joins and leaves. Only sessions and room occupants change.
 */
import {
  changePresence,
  closeSession,
  freeResource,
  joinRoom,
  nicknameTaken,
  openSession,
  PRESENCE_STATUSES,
  type Presence,
  type PresenceStatus,
} from './clients.js';
import type { RoomRef } from './handlers/muc.js';
import { affiliationOfUser } from './handlers/room-occupants.js';
import { pick, pickWeighted } from './random.js';
import type { OccupantRecord, Role, SessionRecord, Store, UserRecord } from './store.js';

/** Sessions one user may have open at once. */
export const MAX_SESSIONS_PER_USER = 2;
/** The activity joins a room only while it has fewer occupants than this (or than its `maxUsers`). */
export const MAX_ROOM_OCCUPANTS = 5;

type Random = () => number;

const RESOURCES = ['web', 'phone', 'desktop', 'laptop', 'tablet'];
/** Online most of the time, the other `<show/>` values now and then. */
const STATUSES: readonly PresenceStatus[] = ['Online', 'Online', 'Online', ...PRESENCE_STATUSES.slice(1)];
const MESSAGES: Record<PresenceStatus, readonly (string | null)[]> = {
  Online: [null, null, 'Working from home', 'At my desk'],
  Away: [null, 'Lunch', 'Back in 10 minutes'],
  'Available to Chat': [null, 'Ask me anything'],
  'Do Not Disturb': [null, 'In a meeting', 'Focus time'],
  'Extended Away': [null, 'On holiday', 'Out of office'],
};
const PRIORITIES = [0, 0, 1, 5, 10];

function presence(random: Random, status: PresenceStatus = pick(random, STATUSES)): Presence {
  return {
    presenceStatus: status,
    presenceMessage: pick(random, MESSAGES[status]),
    priority: pick(random, PRIORITIES),
  };
}

/** What the weights and the events need, read once per event from the live state. */
interface View {
  readonly store: Store;
  readonly random: Random;
  readonly now: number;
  /** Users with a free session slot. */
  readonly canLogIn: UserRecord[];
  readonly sessions: SessionRecord[];
  /** How full sessions are, 0–1, against every user at the cap. */
  readonly online: number;
  /** Open rooms with room for one more occupant. */
  readonly roomy: RoomRef[];
  /** Occupants of open rooms who are a connected client, so their leaving is a client's. */
  readonly leavers: Array<{ ref: RoomRef; occupant: OccupantRecord }>;
  /** How full open rooms are, 0–1, against every open room at the cap. */
  readonly crowded: number;
}

const capOf = ({ room }: RoomRef): number =>
  room.maxUsers > 0 ? Math.min(room.maxUsers, MAX_ROOM_OCCUPANTS) : MAX_ROOM_OCCUPANTS;

/** Rooms anyone may find and enter: listed, not members-only, no password, on a service that is not hidden. */
function openRooms(store: Store): RoomRef[] {
  return [...store.state.services.values()]
    .filter((service) => !service.hidden)
    .flatMap((service) => [...service.rooms.values()].map((room) => ({ service, room })))
    .filter(({ room }) => room.publicRoom && !room.membersOnly && (room.password ?? '') === '');
}

function view(store: Store, random: Random, now: number): View {
  const { users, sessions } = store.state;
  const counts = new Map<string, number>();
  for (const s of sessions) counts.set(s.username, (counts.get(s.username) ?? 0) + 1);
  const canLogIn = [...users.values()].filter((u) => (counts.get(u.username) ?? 0) < MAX_SESSIONS_PER_USER);
  const open = openRooms(store);
  const connected = new Set(sessions.map((s) => s.sessionId));
  const occupied = open.reduce((sum, ref) => sum + Math.min(ref.room.occupants.length, capOf(ref)), 0);
  const capacity = open.reduce((sum, ref) => sum + capOf(ref), 0);
  return {
    store,
    random,
    now,
    canLogIn,
    sessions,
    online: Math.min(1, sessions.length / Math.max(1, users.size * MAX_SESSIONS_PER_USER)),
    roomy: open.filter((ref) => ref.room.occupants.length < capOf(ref)),
    leavers: open.flatMap((ref) =>
      ref.room.occupants.filter((o) => connected.has(o.userAddress)).map((occupant) => ({ ref, occupant })),
    ),
    crowded: capacity === 0 ? 1 : Math.min(1, occupied / capacity),
  };
}

function logIn(v: View): boolean {
  const user = pick(v.random, v.canLogIn);
  const taken = new Set(v.sessions.filter((s) => s.username === user.username).map((s) => s.resource));
  const free = RESOURCES.filter((r) => !taken.has(r));
  const resource = free.length > 0 ? pick(v.random, free) : freeResource(v.store, user.username);
  // TEST-NET-3 addresses and example.net names: plausible, and nobody's real host.
  const n = 1 + Math.floor(v.random() * 254);
  const host = { hostAddress: `203.0.113.${n}`, hostName: `client-${n}.example.net` };
  openSession(v.store, user, resource, presence(v.random), v.now, host);
  return true;
}

function changeShow(v: View): boolean {
  const session = pick(v.random, v.sessions);
  const others = STATUSES.filter((s) => s !== session.presenceStatus);
  const { presenceStatus, presenceMessage } = presence(v.random, pick(v.random, others));
  changePresence(session, { presenceStatus, presenceMessage }, v.now);
  return true;
}

function logOut(v: View): boolean {
  closeSession(v.store, pick(v.random, v.sessions));
  return true;
}

/** The role Openfire gives on entering: moderators for owners and admins, visitors for outsiders of moderated rooms. */
function roleFor(v: View, ref: RoomRef, userAddress: string): Role | null {
  const affiliation = affiliationOfUser(v.store.state, ref, userAddress);
  if (affiliation === 'outcast') return null;
  if (affiliation === 'owner' || affiliation === 'admin') return 'moderator';
  return ref.room.moderated && affiliation === 'none' ? 'visitor' : 'participant';
}

/** A few tries at a connected client who may enter a roomy open room under a free nickname. */
function join(v: View): boolean {
  const ref = pick(v.random, v.roomy);
  for (let attempt = 0; attempt < 4; attempt++) {
    const session = pick(v.random, v.sessions);
    if (ref.room.occupants.some((o) => o.userAddress === session.sessionId)) continue;
    const role = roleFor(v, ref, session.sessionId);
    const nickname = [session.username, `${session.username}-${session.resource}`].find(
      (nick) => !nicknameTaken(ref, nick),
    );
    if (role === null || nickname === undefined) continue;
    joinRoom(ref, { nickname, userAddress: session.sessionId, role });
    return true;
  }
  return false;
}

function leave(v: View): boolean {
  const { ref, occupant } = pick(v.random, v.leavers);
  ref.room.occupants = ref.room.occupants.filter((o) => o !== occupant);
  return true;
}

type Event = (v: View) => boolean;

/** Each event with its weight in this state; 0 when it cannot happen. */
function weights(v: View): Array<[Event, number]> {
  const someone = v.sessions.length > 0;
  return [
    // At rest about 30% of the session slots are taken: 3(1 − x) = 7x.
    [logIn, v.canLogIn.length > 0 ? 3 * (1 - v.online) : 0],
    [logOut, someone ? 7 * v.online : 0],
    [changeShow, someone ? 4 : 0],
    // Rooms settle about half full.
    [join, someone && v.roomy.length > 0 ? 2 * (1 - v.crowded) + 0.2 : 0],
    [leave, v.leavers.length > 0 ? 2 * v.crowded + 0.2 : 0],
  ];
}

/**
 * Performs one event; `false` when no event can happen (no users and no sessions). An event that finds no taker
 * (every client already in the room) gives way to another kind, so each call changes the state when anything can.
 */
export function simulateEvent(store: Store, random: Random, now: number): boolean {
  const v = view(store, random, now);
  let options = weights(v).filter(([, weight]) => weight > 0);
  while (options.length > 0) {
    const chosen = pickWeighted(random, options);
    if (chosen(v)) return true;
    options = options.filter(([event]) => event !== chosen);
  }
  return false;
}
