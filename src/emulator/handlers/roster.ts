import type { RouteKey } from '../../upstream/routes.js';
import { bare, parseJid } from '../../xmpp/jid.js';
import { badRequest, notFound, ServiceError, UnmappedError } from '../errors.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import type { RosterItemRecord } from '../store.js';
import { getAndCheckUser, jidOrUnmapped } from './lookup.js';
import { cancelSubscriptions, findRosterItem, impliedContacts, rosterOf, sharedGroupClash } from './user-support.js';

/** Rosters are fetched with the raw path username, not lowercased (openfire-rest-api.md §7.4). */
const rawUsername = (req: EmuRequest): string => req.params.username ?? '';

const bareJid = (value: string): string => jidOrUnmapped(() => bare(parseJid(value)));

const rosterItemEntity = (item: RosterItemRecord): Record<string, unknown> => ({
  jid: item.jid,
  nickname: item.nickname,
  subscriptionType: item.subscription,
  groups: item.groups,
});

/** `UserUtils.checkSubType`: −1 (remove) … 3 (both); absent is 0 (none); null when out of range. */
function subscription(value: unknown): number | null {
  const type = (value as number | null) ?? 0;
  return type >= -1 && type <= 3 ? type : null;
}

const createFailure = (status: number, exception: string): ServiceError =>
  new ServiceError(status, exception, 'Could not create roster item', '');

const updateFailure = (status: number, exception: string, path: string): ServiceError =>
  new ServiceError(status, exception, 'Could not update the roster', path);

/** An unknown user has an empty roster, not a 404 (openfire-rest-api.md §7.4). */
const getRoster: Handler = (req, ctx) => {
  const username = rawUsername(req);
  const personal = ctx.store.state.rosters.get(username) ?? new Map<string, RosterItemRecord>();
  const shared = [...impliedContacts(ctx.store, username).values()].filter((item) => !personal.has(item.jid));
  return entity('roster', { rosterItem: [...personal.values(), ...shared].map(rosterItemEntity) });
};

/**
 * No user check (openfire-rest-api.md §7.4). The item is stored with subscription none before the type is checked, so
 * an out-of-range type answers 409 and leaves the item behind.
 */
const addItem: Handler = (req, ctx) => {
  if (req.body === null) throw new UnmappedError('roster item entity is null');
  const { jid: value, nickname, groups, subscriptionType } = req.body;
  if (value === null) throw badRequest('IllegalArgumentException', 'JID is null', 'JID');
  const jid = bareJid(value as string);
  const username = rawUsername(req);
  if (findRosterItem(ctx.store, username, jid)) throw createFailure(409, 'UserAlreadyExistsException');
  const itemGroups = (groups as string[] | null) ?? [];
  if (sharedGroupClash(ctx.store.state, itemGroups)) throw createFailure(400, 'SharedGroupException');
  const item: RosterItemRecord = { jid, nickname: nickname as string | null, subscription: 0, groups: itemGroups };
  rosterOf(ctx.store.state, username).set(jid, item);
  const type = subscription(subscriptionType);
  if (type === null) throw createFailure(409, 'UserAlreadyExistsException');
  item.subscription = type;
  return empty(201);
};

/**
 * Nickname and groups apply only when given, the subscription always (absent → none); the body `jid` is ignored.
 * Openfire edits the cached item in place, so a later failure keeps the earlier edits (openfire-rest-api.md §7.4). A
 * shared-only item becomes a personal one.
 */
const updateItem: Handler = (req, ctx) => {
  const username = rawUsername(req);
  const path = req.params.rosterJid ?? '';
  getAndCheckUser(ctx.store, username);
  const jid = bareJid(path);
  const item = findRosterItem(ctx.store, username, jid);
  if (!item) throw updateFailure(404, 'UserNotFoundException', path);
  if (req.body === null) throw new UnmappedError('roster item entity is null');
  const { nickname, groups, subscriptionType } = req.body;
  if (nickname !== null) item.nickname = nickname as string;
  if (groups !== null) {
    if (sharedGroupClash(ctx.store.state, groups as string[])) throw updateFailure(400, 'SharedGroupException', path);
    item.groups = groups as string[];
  }
  const type = subscription(subscriptionType);
  if (type === null) throw updateFailure(409, 'UserAlreadyExistsException', path);
  item.subscription = type;
  rosterOf(ctx.store.state, username).set(jid, item);
  return empty(200);
};

/**
 * A missing item is a 404 with the normalised bare JID; a shared-group contact cannot be removed
 * (openfire-rest-api.md §7.4).
 */
const deleteItem: Handler = (req, ctx) => {
  const username = rawUsername(req);
  const path = req.params.rosterJid ?? '';
  const user = getAndCheckUser(ctx.store, username);
  const jid = bareJid(path);
  if (impliedContacts(ctx.store, username).has(jid)) {
    throw badRequest('SharedGroupException', 'Could not delete the roster item', path);
  }
  const roster = ctx.store.state.rosters.get(username);
  const item = roster?.get(jid);
  if (!roster || !item) throw notFound('RosterItemNotFound', 'Roster Item could not deleted', jid);
  roster.delete(jid);
  cancelSubscriptions(ctx.store, `${user.username}@${ctx.store.domain}`, item);
  return empty(200);
};

export const rosterHandlers = {
  'GET /users/{username}/roster': getRoster,
  'POST /users/{username}/roster': addItem,
  'PUT /users/{username}/roster/{rosterJid}': updateItem,
  'DELETE /users/{username}/roster/{rosterJid}': deleteItem,
} satisfies Partial<Record<RouteKey, Handler>>;
