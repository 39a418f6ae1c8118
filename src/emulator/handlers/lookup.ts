import { InvalidJidError } from '../../xmpp/jid.js';
import { findUser } from '../domain.js';
import { groupNotFound, UnmappedError, userNotFound } from '../errors.js';
import type { GroupRecord, Store, UserRecord } from '../store.js';

/**
 * `getAndCheckUser`: 404 `Could not get user` for unknown users; a name that is not a valid JID node makes the JID
 * constructor throw, which nobody maps (an unmapped 500, openfire-rest-api.md §6).
 */
export function getAndCheckUser(store: Store, username: string): UserRecord {
  let user: UserRecord | undefined;
  try {
    user = findUser(store, username);
  } catch (error) {
    if (error instanceof InvalidJidError) throw new UnmappedError(error.message);
    throw error;
  }
  if (!user) throw userNotFound(username);
  return user;
}

/** Group names are matched exactly (case-sensitive on the embedded database, openfire-rest-api.md §7.6). */
export function getAndCheckGroup(store: Store, name: string): GroupRecord {
  const group = store.state.groups.get(name);
  if (!group) throw groupNotFound(name);
  return group;
}

/** Runs a JID operation, turning an invalid JID into the unmapped 500 the plugin produces. */
export function jidOrUnmapped<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InvalidJidError) throw new UnmappedError(error.message);
    throw error;
  }
}
