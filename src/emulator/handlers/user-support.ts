/**
 * Pieces shared by the user, user-group, roster and vCard handlers: local-user JID reduction and Openfire's
 * shared-group roster rules (RosterManager, Roster, RosterItem).
 */

import { InvalidJidError, localJid, parseJid } from '../../xmpp/jid.js';
import { ServiceError } from '../errors.js';
import type { GroupRecord, RosterItemRecord, State, Store } from '../store.js';
import { jidOrUnmapped } from './lookup.js';

/**
 * A path value that may be `user@domain`: reduced to its node on the local domain, a mapped 500 for any other
 * domain (openfire-rest-api.md §7.2, §7.5); without `@` the value is returned as is.
 */
export function localUsername(store: Store, value: string, exception: string): string {
  if (!value.includes('@')) return value;
  const jid = jidOrUnmapped(() => parseJid(value));
  if (jid.domain !== store.domain) {
    throw new ServiceError(500, exception, 'This service cannot be used for non-local users.', value);
  }
  return jid.node ?? value;
}

/** The node of a bare JID on the local domain, or null. */
export function localNode(store: Store, bareJid: string): string | null {
  const at = bareJid.indexOf('@');
  return at !== -1 && bareJid.slice(at + 1) === store.domain ? bareJid.slice(0, at) : null;
}

/** A user's personal roster (keyed by the raw username, openfire-rest-api.md §7.4), created on first write. */
export function rosterOf(state: State, username: string): Map<string, RosterItemRecord> {
  let roster = state.rosters.get(username);
  if (!roster) {
    roster = new Map();
    state.rosters.set(username, roster);
  }
  return roster;
}

const SHOW = 'sharedRoster.showInRoster';

/** `Roster.createRosterItem`: a roster group named like the display name of a shown shared group is refused [of]. */
export function sharedGroupClash(state: State, groups: readonly string[]): boolean {
  return [...state.groups.values()].some((group) => {
    const show = group.properties[SHOW];
    const name = group.properties['sharedRoster.displayName'];
    return show !== undefined && show !== 'nobody' && name !== undefined && groups.includes(name);
  });
}

const contains = (group: GroupRecord, jid: string): boolean =>
  group.members.includes(jid) || group.admins.includes(jid);

function groupList(state: State, group: GroupRecord): GroupRecord[] {
  const names = (group.properties['sharedRoster.groupList'] ?? '').split(',').map((name) => name.trim());
  return names.flatMap((name) => state.groups.get(name) ?? []);
}

/**
 * `RosterManager.getSharedGroups`: `everybody` groups to every user; `onlyGroup` ones to the members and admins of the
 * group and of the groups in its `groupList` (how Openfire stores the console's `spefgroups`, see `newGroup`). Any
 * other value, `nobody` or a stored `spefgroups`, shows the group to nobody (`Group.getSharedWith`).
 */
function visibleGroups(state: State, jid: string): GroupRecord[] {
  return [...state.groups.values()].filter((group) => {
    const show = group.properties[SHOW];
    if (show === 'everybody') return true;
    return show === 'onlyGroup' && (contains(group, jid) || groupList(state, group).some((g) => contains(g, jid)));
  });
}

/** `UserNameManager.getUserName`: a local user's name or node, a remote JID as is; null for a missing local user. */
function contactName(store: Store, jid: string): string | null {
  const node = localNode(store, jid);
  if (node === null) return jid;
  const user = store.state.users.get(node);
  return user ? user.name || node : null;
}

/**
 * The roster items a user gets from shared groups [of]: every other member or admin of a visible group, `both`
 * when the contact sees the user too, else `to`; members that are missing local users are skipped, as Openfire
 * logs and drops them. A name that is not a valid node has no shared contacts.
 */
export function impliedContacts(store: Store, username: string): Map<string, RosterItemRecord> {
  const items = new Map<string, RosterItemRecord>();
  let self: string;
  try {
    self = localJid(username, store.domain);
  } catch (error) {
    if (error instanceof InvalidJidError) return items;
    throw error;
  }
  for (const group of visibleGroups(store.state, self)) {
    for (const jid of [...group.members, ...group.admins]) {
      const nickname = jid === self || items.has(jid) ? null : contactName(store, jid);
      if (nickname === null) continue;
      const mutual = visibleGroups(store.state, jid).some((g) => contains(g, self));
      items.set(jid, { jid, nickname, subscription: mutual ? 3 : 1, groups: [] });
    }
  }
  return items;
}

/** `Roster.getRosterItem`: a personal item, else one implied by shared groups. */
export function findRosterItem(store: Store, username: string, jid: string): RosterItemRecord | undefined {
  return store.state.rosters.get(username)?.get(jid) ?? impliedContacts(store, username).get(jid);
}

/**
 * Removing an item sends `unsubscribe`/`unsubscribed` as its subscription implies; a local contact's own item loses
 * the mirrored directions (subscriptions are a bit set: to = 1 ↔ from = 2) [of].
 */
export function cancelSubscriptions(store: Store, ownerJid: string, item: RosterItemRecord): void {
  const node = localNode(store, item.jid);
  const theirs =
    node !== null && store.state.users.has(node) ? store.state.rosters.get(node)?.get(ownerJid) : undefined;
  if (!theirs || item.subscription <= 0 || theirs.subscription <= 0) return;
  const mirrored = ((item.subscription & 1) << 1) | ((item.subscription & 2) >> 1);
  theirs.subscription &= ~mirrored;
}
