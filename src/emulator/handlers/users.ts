import type { RouteKey } from '../../upstream/routes.js';
import { addMember, blankToNull, createUser, deleteUser, findUser } from '../domain.js';
import { badRequest, conflict, notFound, UnmappedError } from '../errors.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import type { Store, UserRecord } from '../store.js';
import { getAndCheckUser, jidOrUnmapped } from './lookup.js';
import { localNode, rosterOf, sharedGroupClash } from './user-support.js';

/**
 * `UserEntity`: `name` is `""` when unset, `email` omitted, `properties` always present, no password
 * (openfire-rest-api.md §7.1).
 */
function userEntity(user: UserRecord): Record<string, unknown> {
  return {
    username: user.username,
    name: user.name ?? '',
    email: user.email,
    properties: Object.entries(user.properties).map(([key, value]) => ({ key, value })),
  };
}

const byUsername = (a: UserRecord, b: UserRecord): number =>
  a.username < b.username ? -1 : a.username > b.username ? 1 : 0;

/**
 * `propertyKey` wins over `search`; `search` is a case-sensitive substring of the username (openfire-rest-api.md §7.1).
 */
function selectUsers(req: EmuRequest, users: UserRecord[]): UserRecord[] {
  const key = req.query.get('propertyKey');
  if (key !== null) {
    const value = req.query.get('propertyValue');
    return users.filter((u) => Object.hasOwn(u.properties, key) && (value === null || u.properties[key] === value));
  }
  const search = req.query.get('search');
  return search === null ? users : users.filter((u) => u.username.includes(search));
}

// DefaultUserProvider lists by username; the property query has no ORDER BY, so it uses the same order
// (openfire-rest-api.md §7.1).
const listUsers: Handler = (req, ctx) => {
  const users = selectUsers(req, [...ctx.store.state.users.values()].sort(byUsername));
  return entity('users', { users: users.map(userEntity) });
};

const getUser: Handler = (req, ctx) =>
  entity('user', userEntity(getAndCheckUser(ctx.store, req.params.username ?? '')));

interface PropertyInput {
  key: string | null;
  value: string | null;
}

/** `addProperties`: the body's list replaces every property, absent means none; Openfire's map rejects nulls (NPE). */
function replaceProperties(user: UserRecord, list: unknown): void {
  const entries = ((list as PropertyInput[] | null) ?? []).map(({ key, value }) => {
    if (key === null || value === null) throw new UnmappedError('user property key or value is null');
    return [key, value] as const;
  });
  user.properties = Object.fromEntries(entries);
}

const text = (value: unknown): string | null => value as string | null;

/**
 * Openfire's `createUser` refuses an empty username or password and a name that fails nodeprep
 * (openfire-rest-api.md §7.1).
 */
function checkedCreate(store: Store, username: string, password: string, name: string | null, email: string | null) {
  if (username === '' || password === '') throw new UnmappedError('Null or empty username or password.');
  if (jidOrUnmapped(() => findUser(store, username))) {
    throw conflict('UserAlreadyExistsException', 'Could not create new user', username);
  }
  return createUser(store, { username, password, name, email });
}

const create: Handler = (req, ctx) => {
  const body = req.body;
  if (body === null || body.username === '') {
    throw badRequest('IllegalArgumentException', 'Could not create new user', 'users');
  }
  const username = text(body.username);
  if (username === null) throw new UnmappedError('username is null');
  const password = text(body.password);
  if (password === null) {
    throw badRequest('PasswordIsNull', 'Could not create new user, because password is null', username);
  }
  const user = checkedCreate(ctx.store, username, password, text(body.name), text(body.email));
  replaceProperties(user, body.properties);
  return empty(201);
};

const rosterConflict = (renamed: UserRecord) =>
  conflict('UserAlreadyExistsException', 'Could not create roster item for user ', renamed.username);

// Two spaces before "because", as upstream writes it (openfire-rest-api.md §7.1.1).
const sharedContactMessage = (username: string): string =>
  `Could not create roster item for user ${username}  because it is a contact from a shared group.`;

/** Adds the new user to a local contact's roster where the contact had the old one (openfire-rest-api.md §7.1.1). */
function mirrorInContactRoster(store: Store, contactJid: string, oldJid: string, renamed: UserRecord): void {
  const node = localNode(store, contactJid);
  const roster = node !== null && store.state.users.has(node) ? store.state.rosters.get(node) : undefined;
  const entry = roster?.get(oldJid);
  if (!roster || !entry) return;
  const newJid = `${renamed.username}@${store.domain}`;
  if (roster.has(newJid)) throw rosterConflict(renamed);
  if (sharedGroupClash(store.state, entry.groups)) {
    throw notFound('UserNotFoundException', sharedContactMessage(renamed.username), renamed.username);
  }
  roster.set(newJid, { ...entry, jid: newJid, groups: [...entry.groups] });
}

/** `copyRoster`: personal items only; shared-group items follow from the copied group memberships. */
function copyRoster(store: Store, old: UserRecord, renamed: UserRecord): void {
  const target = rosterOf(store.state, renamed.username);
  const oldJid = `${old.username}@${store.domain}`;
  for (const item of store.state.rosters.get(old.username)?.values() ?? []) {
    if (target.has(item.jid)) throw rosterConflict(renamed);
    if (sharedGroupClash(store.state, item.groups)) {
      const message = 'Could not create roster item, because it is a contact from a shared group';
      throw badRequest('UserAlreadyExistsException', message, renamed.username);
    }
    target.set(item.jid, { ...item, groups: [...item.groups] });
    mirrorInContactRoster(store, item.jid, oldJid, renamed);
  }
}

/**
 * `JustMarriedController.changeName` (openfire-rest-api.md §7.1.1): the old user is found by trimmed lowercase name,
 * the new one gets the old password, non-empty body name/email or the old ones, roster, groups (as member) and vCard;
 * then the old user is deleted, unlocked and kicked. Copied properties are not modelled: the caller replaces them
 * anyway.
 */
function rename(store: Store, oldName: string, newName: string, body: Record<string, unknown>): UserRecord {
  const old = store.state.users.get(oldName.trim().toLowerCase());
  if (!old) throw notFound('UserNotFoundException', 'Could not find user', oldName);
  const name = text(body.name) || old.name;
  const renamed = checkedCreate(store, newName, old.password, name, text(body.email) || old.email);
  renamed.creationDate = old.creationDate;
  copyRoster(store, old, renamed);
  const oldJid = `${old.username}@${store.domain}`;
  const newJid = `${renamed.username}@${store.domain}`;
  for (const group of store.state.groups.values()) {
    if (group.members.includes(oldJid) || group.admins.includes(oldJid)) addMember(group, newJid);
  }
  const vcard = store.state.vcards.get(old.username);
  if (vcard !== undefined) store.state.vcards.set(renamed.username, vcard);
  deleteUser(store, old);
  store.state.lockouts.delete(old.username);
  return renamed;
}

/**
 * Fields apply only when present, properties are replaced; a null entity changes nothing and a body username
 * differing in any way (even case) is a rename (openfire-rest-api.md §7.1).
 */
const update: Handler = (req, ctx) => {
  const path = req.params.username ?? '';
  const body = req.body;
  if (body === null) return empty(200);
  const newName = text(body.username);
  if (newName !== null && newName !== path) {
    replaceProperties(rename(ctx.store, path, newName, body), body.properties);
    return empty(200);
  }
  const user = getAndCheckUser(ctx.store, path);
  if (body.password !== null) user.password = body.password as string;
  if (body.name !== null) user.name = blankToNull(text(body.name));
  if (body.email !== null) user.email = blankToNull(text(body.email));
  user.modificationDate = Date.now();
  replaceProperties(user, body.properties);
  return empty(200);
};

const remove: Handler = (req, ctx) => {
  deleteUser(ctx.store, getAndCheckUser(ctx.store, req.params.username ?? ''));
  return empty(200);
};

export const userHandlers = {
  'GET /users': listUsers,
  'POST /users': create,
  'GET /users/{username}': getUser,
  'PUT /users/{username}': update,
  'DELETE /users/{username}': remove,
} satisfies Partial<Record<RouteKey, Handler>>;
