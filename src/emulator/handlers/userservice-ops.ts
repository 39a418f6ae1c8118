/**
 * The ten operations of the legacy userservice (`UserServiceLegacyController`, openfire-rest-api.md §12.4), on the same
 * domain functions as the REST handlers. A failure is a {@link LegacyFailure} carrying the text the reply puts inside
 * `<error>`.
 */

import { bare, InvalidJidError, parseJid } from '../../xmpp/jid.js';
import { addMember, createUser, deleteUser, findUser, groupsOf, newGroup, removeMember } from '../domain.js';
import type { GroupRecord, Store, UserRecord } from '../store.js';
import { cancelSubscriptions, findRosterItem, impliedContacts, rosterOf, sharedGroupClash } from './user-support.js';

export class LegacyFailure extends Error {
  constructor(readonly reply: string) {
    super(reply);
  }
}

/** Request parameters as `getParameter` reads them (first value wins). */
export interface LegacyParams {
  get(name: string): string | null;
}

/** `null`: `<result>ok</result>`; a list: `<groupname>` entries. */
export type OpResult = null | string[];

export type Operation = (store: Store, username: string, params: LegacyParams) => OpResult;

const GROUP_NAME_EMPTY = 'org.jivesoftware.openfire.group.GroupNameInvalidException: Group name cannot be empty';

const jidOf = (store: Store, username: string): string => `${username}@${store.domain}`;

/** `User.setName`/`setEmail`: whitespace-only values are stored as null [of]. */
const blankToNull = (s: string): string | null => (s.trim() === '' ? null : s);

/** `StringTokenizer(value, ",")`: tokens are not trimmed, empty ones are skipped (openfire-rest-api.md §12.4). */
const tokens = (value: string | null): string[] => (value ?? '').split(',').filter((t) => t !== '');

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `getUser`: an empty name after normalisation has no JID node, so it is not found either (openfire-rest-api.md §12.4).
 */
function getUser(store: Store, username: string): UserRecord {
  const user = username === '' ? undefined : findUser(store, username);
  if (!user) throw new LegacyFailure('UserNotFoundException');
  return user;
}

/**
 * Existing groups by exact name; missing ones are created as non-shared groups, in token order
 * (openfire-rest-api.md §12.4 add).
 */
function resolveGroups(store: Store, names: string[]): GroupRecord[] {
  return names.map((name) => {
    const existing = store.state.groups.get(name);
    if (existing) return existing;
    if (name.trim() === '') throw new LegacyFailure(GROUP_NAME_EMPTY);
    const group = newGroup(name, null, 'nobody');
    store.state.groups.set(name, group);
    return group;
  });
}

/** `new JID(item_jid)`: Tinder throws IllegalArgumentException for invalid JIDs; items are keyed by bare JID. */
function itemJid(params: LegacyParams): string {
  try {
    return bare(parseJid(params.get('item_jid') ?? ''));
  } catch (error) {
    if (error instanceof InvalidJidError) throw new LegacyFailure('IllegalArgumentException');
    throw error;
  }
}

/**
 * `Roster.createRosterItem`, `RosterItem.setGroups`: naming a shared group's display name is refused
 * (openfire-rest-api.md §7.4).
 */
function checkRosterGroups(store: Store, groups: string[]): void {
  if (sharedGroupClash(store.state, groups)) throw new LegacyFailure('SharedGroupException');
}

const inGroup = (group: GroupRecord, jid: string): boolean => group.members.includes(jid) || group.admins.includes(jid);

const subscriptionOf = (params: LegacyParams): number => Number(params.get('subscription') ?? '0');

function add(store: Store, username: string, params: LegacyParams): OpResult {
  const password = params.get('password');
  // UserManager.createUser: empty name or password is an IllegalArgumentException, checked before existence.
  if (username === '' || !password) throw new LegacyFailure('IllegalArgumentException');
  if (findUser(store, username)) throw new LegacyFailure('UserAlreadyExistsException');
  createUser(store, { username, password, name: params.get('name'), email: params.get('email') });
  const names = params.get('groups');
  if (names !== null) {
    // Groups are all resolved (and created) first, memberships added afterwards; the user stays on failure.
    const jid = jidOf(store, username);
    for (const group of resolveGroups(store, tokens(names))) addMember(group, jid);
  }
  return null;
}

function update(store: Store, username: string, params: LegacyParams): OpResult {
  const user = getUser(store, username);
  const password = params.get('password');
  const name = params.get('name');
  const email = params.get('email');
  if (password !== null) user.password = password;
  if (name !== null) user.name = blankToNull(name);
  if (email !== null) user.email = blankToNull(email);
  if (password !== null || name !== null || email !== null) user.modificationDate = Date.now();
  const names = params.get('groups');
  if (names === null) return null;
  const wanted = resolveGroups(store, tokens(names));
  const jid = jidOf(store, username);
  const current = [...store.state.groups.values()].filter((g) => inGroup(g, jid));
  for (const group of wanted.filter((g) => !current.includes(g))) addMember(group, jid);
  // Only the members collection: an admin row of an unlisted group stays (openfire-rest-api.md §12.4 update).
  for (const group of current.filter((g) => !wanted.includes(g))) removeMember(group, jid);
  return null;
}

function addRoster(store: Store, username: string, params: LegacyParams): OpResult {
  getUser(store, username);
  const jid = itemJid(params);
  if (findRosterItem(store, username, jid)) throw new LegacyFailure('UserAlreadyExistsException');
  const groups = tokens(params.get('groups'));
  checkRosterGroups(store, groups);
  const item = { jid, nickname: params.get('name'), subscription: subscriptionOf(params), groups };
  rosterOf(store.state, username).set(jid, item);
  return null;
}

/**
 * Groups and nickname are replaced even when absent, the subscription falls back to none
 * (openfire-rest-api.md §12.4, §12.6 item 9); a shared-only item becomes a personal one, as with REST.
 */
function updateRoster(store: Store, username: string, params: LegacyParams): OpResult {
  getUser(store, username);
  const jid = itemJid(params);
  const item = findRosterItem(store, username, jid);
  if (!item) throw new LegacyFailure('UserNotFoundException');
  const groups = tokens(params.get('groups'));
  checkRosterGroups(store, groups);
  item.groups = groups;
  item.nickname = params.get('name');
  item.subscription = subscriptionOf(params);
  rosterOf(store.state, username).set(jid, item);
  return null;
}

function deleteRoster(store: Store, username: string, params: LegacyParams): OpResult {
  getUser(store, username);
  const jid = itemJid(params);
  if (impliedContacts(store, username).has(jid)) throw new LegacyFailure('SharedGroupException');
  const roster = store.state.rosters.get(username);
  const item = roster?.get(jid);
  // A missing item is not an error (openfire-rest-api.md §12.4 delete_roster).
  if (!roster || !item) return null;
  roster.delete(jid);
  cancelSubscriptions(store, jidOf(store, username), item);
  return null;
}

function remove(store: Store, username: string): OpResult {
  deleteUser(store, getUser(store, username));
  return null;
}

function enable(store: Store, username: string): OpResult {
  getUser(store, username);
  store.state.lockouts.delete(username);
  return null;
}

/** A permanent lockout that, unlike REST, leaves the user's sessions connected (openfire-rest-api.md §12.6 item 10). */
function disable(store: Store, username: string): OpResult {
  getUser(store, username);
  store.state.lockouts.add(username);
  return null;
}

/** Groups where the user is member or admin; the provider returns them unordered, sorted here [ambiguous]. */
function userGroupList(store: Store, username: string): OpResult {
  getUser(store, username);
  return groupsOf(store.state, jidOf(store, username)).sort(byName);
}

/** Every group name, in the provider's order (by name, openfire-rest-api.md §7.6). */
export function groupList(store: Store): string[] {
  return [...store.state.groups.keys()].sort(byName);
}

/** Operations by `type` (exact, case-sensitive); `grouplist` needs no username and is handled by the caller. */
export const operations: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['add', add],
  ['delete', remove],
  ['enable', enable],
  ['disable', disable],
  ['update', update],
  ['add_roster', addRoster],
  ['update_roster', updateRoster],
  ['delete_roster', deleteRoster],
  ['usergrouplist', userGroupList],
]);
