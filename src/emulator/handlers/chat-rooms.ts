import type { RouteKey } from '../../upstream/routes.js';
import { full, InvalidJidError, type Jid, nodeprep, parseJid } from '../../xmpp/jid.js';
import { catalog } from '../entities/catalog.js';
import { JsonReadError } from '../entities/json.js';
import { badRequest, ContainerError, ServiceError, UnmappedError } from '../errors.js';
import { bodyFormat } from '../http/negotiate.js';
import { boolQuery, stringQuery } from '../http/params.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import { roomRecord } from '../seeds/builders.js';
import type { Affiliation, ChatServiceRecord, Role, RoomRecord, Store } from '../store.js';
import { jidOrUnmapped } from './lookup.js';
import {
  AFFILIATIONS,
  checkAndGetJID,
  createService,
  findService,
  grant,
  inviteAffiliated,
  jidTarget,
  lookupRoom,
  RoomConflict,
  revoke,
  roomNameParam,
  serviceParam,
  type Target,
  toChatRoom,
} from './muc.js';

type RoomInput = Readonly<Record<string, unknown>>;

const FLAGS = [
  'persistent',
  'publicRoom',
  'registrationEnabled',
  'canAnyoneDiscoverJID',
  'canOccupantsChangeSubject',
  'canOccupantsInvite',
  'canChangeNickname',
  'logEnabled',
  'loginRestrictedToNickname',
  'membersOnly',
  'moderated',
] as const;
const ROLES: readonly string[] = ['moderator', 'participant', 'visitor', 'none'] satisfies Role[];
const PRIVATE_MESSAGES = ['anyone', 'participants', 'moderators', 'none'];

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The body `roomName`, node-prepped by the entity setter while the body is read (openfire-rest-api.md §4.1): a JSON
 * mapping error, and for XML we choose a container 400 (runtime-dependent upstream, openfire-rest-api.md §14). `null`
 * when absent.
 */
function bodyRoomName(
  req: EmuRequest,
  value: unknown,
  chain = `${catalog.chatRoom.javaClass}["roomName"]`,
): string | null {
  if (typeof value !== 'string') return null;
  try {
    return nodeprep(value);
  } catch (error) {
    if (!(error instanceof InvalidJidError)) throw error;
    if (bodyFormat(req.headers['content-type']) !== 'json') throw new ContainerError(400);
    const types = 'expected type: [simple type, class java.lang.String]; actual type: `java.lang.String`';
    throw new JsonReadError(
      `Problem deserializing property 'roomName' (${types}), problem: ${error.message}\n (through reference chain: ${chain})`,
    );
  }
}

// ---- Create-or-overwrite (openfire-rest-api.md §7.8 POST steps 1–8)

/** Steps 1–2: the owner list defaults to `admin@domain`; values are JIDs; a JID listed twice is a conflict. */
function individualTargets(store: Store, input: RoomInput): Map<Affiliation, Target[]> {
  const parsed = new Map<Affiliation, Jid[]>();
  for (const a of AFFILIATIONS)
    parsed.set(
      a,
      strings(input[`${a}s`]).map((v) => jidOrUnmapped(() => parseJid(v))),
    );
  if (parsed.get('owner')?.length === 0) parsed.set('owner', [parseJid(`admin@${store.domain}`)]);
  const all = [...parsed.values()].flat().map(full);
  const duplicates = [...new Set(all.filter((jid, i) => all.indexOf(jid) !== i))];
  if (duplicates.length > 0) {
    const message = 'The requested room defines duplicate affiliations for the following entities: ';
    throw new RoomConflict(message + duplicates.join(', '));
  }
  return new Map([...parsed].map(([a, jids]) => [a, jids.map(jidTarget)]));
}

/** Step 4: the existing room, else a new one (its configuration is overwritten right after). */
function getOrAddRoom(service: ChatServiceRecord, name: string, now: number): RoomRecord {
  const room = service.rooms.get(name) ?? roomRecord(name, now);
  service.rooms.set(name, room);
  return room;
}

/** Step 5: every field from the entity; absent booleans false, maxUsers 0, no broadcast roles, allowPM `anyone`. */
function configure(room: RoomRecord, input: RoomInput): void {
  room.naturalName = text(input.naturalName);
  room.description = text(input.description);
  room.password = text(input.password);
  for (const flag of FLAGS) room[flag] = input[flag] === true;
  room.maxUsers = typeof input.maxUsers === 'number' ? input.maxUsers : 0;
  const pm = text(input.allowPM)?.toLowerCase() ?? '';
  room.allowPM = PRIVATE_MESSAGES.includes(pm) ? pm : 'anyone';
  room.broadcastPresenceRoles = strings(input.broadcastPresenceRoles).map((role) => {
    if (!ROLES.includes(role)) throw new UnmappedError(`No enum constant MUCRole.Role.${role}`);
    return role as Role;
  });
}

const keyOf = (t: Target): string => (t.kind === 'group' ? `group:${t.name}` : t.bare);

/** Step 6, only when the sets differ: owners, admins, members, outcasts added in turn, then the rest removed. */
type Granted = [Target, Affiliation];

function replaceAffiliations(
  room: RoomRecord,
  wanted: ReadonlyArray<readonly [Affiliation, readonly Target[]]>,
): Granted[] {
  const before: Granted[] = [
    ...Object.entries(room.affiliations).map(([jid, a]): Granted => [{ kind: 'jid', bare: jid, full: jid }, a]),
    ...Object.entries(room.groupAffiliations).map(([name, a]): Granted => [{ kind: 'group', name }, a]),
  ];
  const desired = new Map(wanted.flatMap(([a, targets]) => targets.map((t) => [keyOf(t), a] as const)));
  if (desired.size === before.length && before.every(([t, a]) => desired.get(keyOf(t)) === a)) return [];
  const granted: Granted[] = [];
  for (const [a, targets] of wanted) {
    for (const t of targets) if (grant(room, t, a)) granted.push([t, a]);
  }
  for (const [t] of before) if (!desired.has(keyOf(t))) revoke(room, t);
  return granted;
}

/**
 * Creates or overwrites room `name` in Openfire's order and without rollback: a failure half-way leaves what was
 * already done. A missing service is created first, looked up by its exact name (openfire-rest-api.md §7.8).
 */
function saveRoom(req: EmuRequest, store: Store, name: string, input: RoomInput): void {
  const now = Date.now();
  const serviceName = serviceParam(req);
  const individuals = individualTargets(store, input);
  const service = store.state.services.get(serviceName) ?? createService(store, serviceName, serviceName, false);
  const room = getOrAddRoom(service, name, now);
  configure(room, input);
  const wanted = AFFILIATIONS.map((a) => {
    const groups = strings(input[`${a}Groups`]).map((v) => jidOrUnmapped(() => checkAndGetJID(store, v)));
    return [a, [...(individuals.get(a) ?? []), ...groups]] as const;
  });
  const granted = replaceAffiliations(room, wanted);
  room.creationDate = typeof input.creationDate === 'number' ? input.creationDate : now;
  room.modificationDate = typeof input.modificationDate === 'number' ? input.modificationDate : now;
  // A null subject sends no subject message, so an existing subject stays (our reading of openfire-rest-api.md §7.8
  // step 7).
  room.subject = text(input.subject) ?? room.subject;
  if (boolQuery(req, 'sendInvitations')) inviteAffiliated(store, room, granted);
}

/** POST and PUT: Openfire's ConflictException becomes 409 `NotAllowedException` with the endpoint's message. */
function save(req: EmuRequest, store: Store, name: string, input: RoomInput, message: string): void {
  try {
    saveRoom(req, store, name, input);
  } catch (error) {
    if (error instanceof RoomConflict) throw new ServiceError(409, 'NotAllowedException', message, name);
    throw error;
  }
}

// ---- Handlers

/** openfire-rest-api.md §7.8 `type`: exactly `all` or `public`; anything else (even `ALL`) matches nothing. */
function typeFilter(type: string): (room: RoomRecord) => boolean {
  if (type === 'all') return () => true;
  if (type === 'public') return (room) => room.publicRoom;
  return () => false;
}

/**
 * openfire-rest-api.md §7.8 `search`: node-prepped (so a space is an unmapped 500) against the name, as given against
 * the natural name.
 */
function searchFilter(search: string | null): (room: RoomRecord) => boolean {
  if (search === null) return () => true;
  const node = jidOrUnmapped(() => nodeprep(search));
  const natural = search.toLowerCase();
  return (room) =>
    room.roomName.toLowerCase().includes(node) || (room.naturalName ?? '').toLowerCase().includes(natural);
}

const bulkChain = (i: number): string =>
  `${catalog.chatRooms.javaClass}["chatRooms"]->java.util.ArrayList[${i}]->${catalog.chatRoom.javaClass}["roomName"]`;

interface RoomResult {
  roomName: string;
  resultType: 'Success' | 'Failure';
  message: string;
}

export const chatRoomHandlers = {
  'GET /chatrooms': (req, { store }) => {
    const service = findService(store, serviceParam(req));
    const byType = typeFilter(stringQuery(req, 'type', 'public'));
    const bySearch = searchFilter(req.query.get('search'));
    const expand = boolQuery(req, 'expandGroups');
    const rooms = [...service.rooms.values()].filter((room) => byType(room) && bySearch(room));
    return entity('chatRooms', { chatRooms: rooms.map((room) => toChatRoom(store.state, room, expand)) });
  },

  'POST /chatrooms': (req, { store }) => {
    const name = bodyRoomName(req, req.body?.roomName);
    if (req.body === null || name === null) throw new UnmappedError('roomName is null');
    save(req, store, name, req.body, 'Could not create the channel');
    return empty(201);
  },

  'POST /chatrooms/bulk': (req, { store }) => {
    const items: unknown = req.body?.chatRooms;
    // Names are node-prepped while the body is read, so a bad one fails the request before any room is touched.
    const names = Array.isArray(items)
      ? items.map((item, i) => bodyRoomName(req, isObject(item) ? item.roomName : null, bulkChain(i)))
      : [];
    if (!Array.isArray(items)) throw new UnmappedError('chatRooms is null');
    const results: Record<'success' | 'failure' | 'other', RoomResult[]> = { success: [], failure: [], other: [] };
    items.forEach((item: unknown, i) => {
      const roomName = names[i];
      // Unmapped errors (missing name, bad JID) abort the whole request after the rooms before it were saved
      // (openfire-rest-api.md §7.8).
      if (!isObject(item) || roomName === null || roomName === undefined) throw new UnmappedError('roomName is null');
      try {
        saveRoom(req, store, roomName, item);
        results.success.push({ roomName, resultType: 'Success', message: 'Room was successfully created' });
      } catch (error) {
        if (!(error instanceof RoomConflict)) throw error;
        const message = `Room creation failed due to ConflictException: ${error.message}`;
        results.failure.push({ roomName, resultType: 'Failure', message });
      }
    });
    return entity('bulkResults', results);
  },

  'GET /chatrooms/{roomName}': (req, { store }) => {
    const { room } = lookupRoom(req, store, roomNameParam(req));
    return entity('chatRoom', toChatRoom(store.state, room, boolQuery(req, 'expandGroups')));
  },

  'PUT /chatrooms/{roomName}': (req, { store }) => {
    const name = bodyRoomName(req, req.body?.roomName);
    const path = roomNameParam(req);
    // A missing body or roomName is a NullPointerException upstream, like on POST (our reading of
    // openfire-rest-api.md §7.8).
    if (req.body === null || name === null) throw new UnmappedError('roomName is null');
    if (name !== path) {
      const message = 'Could not update the channel. The room name is different to the entity room name.';
      throw badRequest('IllegalArgumentException', message, path);
    }
    save(req, store, name, req.body, 'Could not update the channel');
    return empty(200);
  },

  'DELETE /chatrooms/{roomName}': (req, { store }) => {
    const { service, room } = lookupRoom(req, store, roomNameParam(req));
    service.rooms.delete(room.roomName);
    return empty(200);
  },
} satisfies Partial<Record<RouteKey, Handler>>;
