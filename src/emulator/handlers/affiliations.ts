import type { RouteKey } from '../../upstream/routes.js';
import { InvalidJidError } from '../../xmpp/jid.js';
import { badRequest, ContainerError, conflict, UnmappedError } from '../errors.js';
import { boolQuery } from '../http/params.js';
import { type EmuRequest, empty, entity, type Handler, type Reply } from '../http/types.js';
import type { Affiliation, Store } from '../store.js';
import { jidOrUnmapped } from './lookup.js';
import {
  affiliationOf,
  checkAndGetJID,
  grant,
  groupJid,
  holders,
  inviteAffiliated,
  lookupRoom,
  RoomConflict,
  revoke,
  roomNameParam,
  type Target,
} from './muc.js';

/** The `{affiliation}` path segment (`owners`…, constrained by the route) as Openfire's singular affiliation. */
const affiliationParam = (req: EmuRequest): Affiliation => (req.params.affiliation ?? '').slice(0, -1) as Affiliation;

/** `POST …/{jid}` and `…/group/{groupname}`: add or move one entity (openfire-rest-api.md §7.9). */
function add(req: EmuRequest, store: Store, value: string): Reply {
  const affiliation = affiliationParam(req);
  const name = roomNameParam(req);
  let target: Target;
  try {
    target = checkAndGetJID(store, value);
  } catch (error) {
    if (!(error instanceof InvalidJidError)) throw error;
    throw badRequest('IllegalArgumentException', `Unable to parse value as jid: ${value}`, name);
  }
  const { room } = lookupRoom(req, store, name);
  let changed: boolean;
  try {
    changed = grant(room, target, affiliation);
  } catch (error) {
    if (!(error instanceof RoomConflict)) throw error;
    throw conflict('NotAllowedException', `Could not apply modification to list of ${affiliation}`, name);
  }
  // The reason text of openfire-rest-api.md §7.8 step 8 is reused here; the reference does not give one for this
  // endpoint.
  if (changed && boolQuery(req, 'sendInvitations')) inviteAffiliated(store, room, [[target, affiliation]]);
  return empty(201);
}

/**
 * `DELETE …/{jid}` and `…/group/{groupname}`: only the affiliation named in the path can be removed
 * (openfire-rest-api.md §7.9).
 */
function remove(req: EmuRequest, store: Store, value: string): Reply {
  const affiliation = affiliationParam(req);
  const name = roomNameParam(req);
  // The reference maps no parse error here, so an invalid value is unmapped (our choice).
  const target = jidOrUnmapped(() => checkAndGetJID(store, value));
  const { room } = lookupRoom(req, store, name);
  const failed = conflict('NotAllowedException', 'Could not delete affiliation', value);
  if (affiliationOf(room, target) !== affiliation) throw failed;
  try {
    revoke(room, target);
  } catch (error) {
    if (error instanceof RoomConflict) throw failed;
    throw error;
  }
  return empty(200);
}

/**
 * List bodies: the declared type is the abstract `AffiliatedEntities`, which neither JAXB nor Jackson can
 * instantiate, so upstream fails while reading (issue #163, openfire-rest-api.md §7.9); we choose a container 400 for
 * both formats. Without a body the reader is never asked and the method gets `null`, a NullPointerException
 * (openfire-rest-api.md §4.1).
 */
const unreadableList: Handler = (req) => {
  if (req.body === null) throw new UnmappedError('affiliated entities are null');
  throw new ContainerError(400);
};

export const affiliationHandlers = {
  // Group affiliations are listed as group JIDs after the individual bare JIDs (openfire-rest-api.md §7.9).
  'GET /chatrooms/{roomName}/{affiliation}': (req, { store }) => {
    const plural = req.params.affiliation ?? '';
    const affiliation = affiliationParam(req);
    const { room } = lookupRoom(req, store, roomNameParam(req));
    const groups = holders(room.groupAffiliations, affiliation).map((group) => groupJid(group, store.domain));
    return entity(`affiliations:${plural}`, { [plural]: [...holders(room.affiliations, affiliation), ...groups] });
  },
  'PUT /chatrooms/{roomName}/{affiliation}': unreadableList,
  'POST /chatrooms/{roomName}/{affiliation}': unreadableList,
  'POST /chatrooms/{roomName}/{affiliation}/{jid}': (req, { store }) => add(req, store, req.params.jid ?? ''),
  'POST /chatrooms/{roomName}/{affiliation}/group/{groupname}': (req, { store }) =>
    add(req, store, req.params.groupname ?? ''),
  'DELETE /chatrooms/{roomName}/{affiliation}/{jid}': (req, { store }) => remove(req, store, req.params.jid ?? ''),
  'DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}': (req, { store }) =>
    remove(req, store, req.params.groupname ?? ''),
} satisfies Partial<Record<RouteKey, Handler>>;
