import type { RouteKey } from '../../upstream/routes.js';
import { UnmappedError } from '../errors.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import type { Affiliation, HistoryRecord, OccupantRecord, State, Store } from '../store.js';
import { jidOrUnmapped } from './lookup.js';
import { AFFILIATIONS, checkAndGetJID, invite, lookupRoom, type RoomRef, roomNameParam, type Target } from './muc.js';

/**
 * An occupant's affiliation as `MUCRoom.getAffiliation` computes it: owner, admin, member, outcast in turn, each
 * held individually or through a group the user belongs to [of].
 */
export function affiliationOfUser(state: State, { room }: RoomRef, userAddress: string): Affiliation | 'none' {
  const jid = userAddress.split('/')[0] ?? userAddress;
  const inGroup = (name: string): boolean => {
    const group = state.groups.get(name);
    return group !== undefined && (group.members.includes(jid) || group.admins.includes(jid));
  };
  const found = AFFILIATIONS.find(
    (a) =>
      room.affiliations[jid] === a ||
      Object.entries(room.groupAffiliations).some(([name, held]) => held === a && inGroup(name)),
  );
  return found ?? 'none';
}

/** The room's JID, `room@service.domain`. */
export const roomJidOf = (store: Store, { service, room }: RoomRef): string =>
  `${room.roomName}@${service.serviceName.toLowerCase()}.${store.domain}`;

/** An occupant as the occupant list shows it. */
export const occupantEntity = (store: Store, ref: RoomRef, o: OccupantRecord) => ({
  jid: `${roomJidOf(store, ref)}/${o.nickname}`,
  userAddress: o.userAddress,
  role: o.role,
  affiliation: affiliationOfUser(store.state, ref, o.userAddress),
});

function occupantsOf(req: EmuRequest, store: Store) {
  const ref = lookupRoom(req, store, roomNameParam(req));
  return ref.room.occupants.map((o) => occupantEntity(store, ref, o));
}

const orNull = (s: string | null): string | null => (s === null || s === '' ? null : s);

/**
 * A history message as `MUCRoomMessageEntity`: empty values omitted, the delay stamp in XEP-0082 UTC form
 * (openfire-rest-api.md §7.8).
 */
const historyMessage = (m: HistoryRecord) => ({
  to: orNull(m.to),
  from: orNull(m.from),
  type: orNull(m.type),
  body: orNull(m.body),
  delay_stamp: new Date(m.stamp).toISOString(),
  delay_from: orNull(m.delayFrom),
});

/** `checkAndGetJID` for invitation targets; an invalid value is unmapped. */
const resolve = (store: Store, value: string): Target => jidOrUnmapped(() => checkAndGetJID(store, value));

const reasonOf = (body: Record<string, unknown>): string => (typeof body.reason === 'string' ? body.reason : '');

export const roomOccupantHandlers = {
  // Participants are the occupants whose role is `participant`; moderators and visitors are left out [of].
  'GET /chatrooms/{roomName}/participants': (req, { store }) =>
    entity('participants', {
      participants: occupantsOf(req, store)
        .filter((o) => o.role === 'participant')
        .map(({ jid, role, affiliation }) => ({ jid, role, affiliation })),
    }),

  'GET /chatrooms/{roomName}/occupants': (req, { store }) =>
    entity('occupants', { occupants: occupantsOf(req, store) }),

  'GET /chatrooms/{roomName}/chathistory': (req, { store }) => {
    const { room } = lookupRoom(req, store, roomNameParam(req));
    return entity('messages', { message: room.history.map(historyMessage) });
  },

  // The JID (a group: its members and admins) is resolved before the room lookup, the body read after it
  // (openfire-rest-api.md §7.8).
  'POST /chatrooms/{roomName}/invite/{jid}': (req, { store }) => {
    const name = roomNameParam(req);
    const target = resolve(store, req.params.jid ?? '');
    lookupRoom(req, store, name);
    if (req.body === null) throw new UnmappedError('mucInvitation is null');
    invite(store, [target], reasonOf(req.body));
    return empty(200);
  },

  'POST /chatrooms/{roomName}/invite': (req, { store }) => {
    const name = roomNameParam(req);
    const jids = req.body?.jidsToInvite;
    // A missing entity or list is a NullPointerException while resolving, before the room lookup [ambiguous].
    if (req.body === null || !Array.isArray(jids)) throw new UnmappedError('jidsToInvite is null');
    const targets = jids.map((jid) => resolve(store, String(jid)));
    lookupRoom(req, store, name);
    invite(store, targets, reasonOf(req.body));
    return empty(200);
  },
} satisfies Partial<Record<RouteKey, Handler>>;
