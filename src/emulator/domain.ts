/**
 * Openfire's own behaviour (UserManager, GroupManager, LockOutManager, listeners), shared by the REST handlers and
 * the legacy userservice so both faces of the emulated server change state the same way.
 */
import { nodeprep } from '../xmpp/jid.js';
import type { GroupRecord, State, Store, UserRecord } from './store.js';

/** Looks a user up the way `UserManager.getUser` does (nodeprep, so case-insensitive); throws for invalid names. */
export function findUser(store: Store, username: string): UserRecord | undefined {
  return store.state.users.get(nodeprep(username));
}

export interface NewUser {
  username: string;
  password: string;
  name: string | null;
  email: string | null;
  properties?: Record<string, string>;
}

/** Openfire stores whitespace-only names and emails as null [of]. */
export const blankToNull = (s: string | null): string | null => (s === null || s.trim() === '' ? null : s);

/** `UserManager.createUser`: the caller has checked that the user does not exist and the name is valid. */
export function createUser(store: Store, input: NewUser, now = Date.now()): UserRecord {
  const user: UserRecord = {
    username: nodeprep(input.username),
    name: blankToNull(input.name),
    email: blankToNull(input.email),
    password: input.password,
    properties: { ...input.properties },
    creationDate: now,
    modificationDate: now,
  };
  store.state.users.set(user.username, user);
  return user;
}

/** A server admin's JID, who replaces a deleted sole room owner (openfire-rest-api.md §7.1). */
export function serverAdminJid(store: Store): string {
  const first = (store.property('admin.authorizedJIDs') ?? '').split(',')[0]?.trim();
  return first ? first : `admin@${store.domain}`;
}

/** Closes every session of a user, recording the `not-authorized` stream error sent to each. */
export function kickSessions(store: Store, username: string): void {
  const { state } = store;
  for (const session of state.sessions.filter((s) => s.username === username)) {
    state.outbox.push({ kind: 'kick', to: session.sessionId, body: 'not-authorized', at: Date.now() });
  }
  state.sessions = state.sessions.filter((s) => s.username !== username);
}

function removeFromGroups(state: State, jid: string): void {
  for (const group of state.groups.values()) {
    group.members = group.members.filter((m) => m !== jid);
    group.admins = group.admins.filter((a) => a !== jid);
  }
}

function removeFromRooms(store: Store, jid: string): void {
  const replacement = serverAdminJid(store);
  for (const service of store.state.services.values()) {
    for (const room of service.rooms.values()) {
      if (!(jid in room.affiliations)) continue;
      const soleOwner =
        room.affiliations[jid] === 'owner' &&
        Object.values(room.affiliations).filter((a) => a === 'owner').length === 1;
      delete room.affiliations[jid];
      if (soleOwner) room.affiliations[replacement] = 'owner';
    }
  }
}

/**
 * `UserManager.deleteUser` and its listeners: roster (and the user in other rosters), group memberships, vCard,
 * room affiliations (a sole owner is replaced by a server admin) and sessions go with the user [of].
 */
export function deleteUser(store: Store, user: UserRecord): void {
  const { state } = store;
  const jid = `${user.username}@${store.domain}`;
  state.users.delete(user.username);
  state.rosters.delete(user.username);
  for (const roster of state.rosters.values()) roster.delete(jid);
  state.vcards.delete(user.username);
  removeFromGroups(state, jid);
  removeFromRooms(store, jid);
  kickSessions(store, user.username);
}

/**
 * The values of the group property `sharedRoster.showInRoster` the admin console offers: `nobody`, `everybody`,
 * `onlyGroup` (the group's own members and admins, plus those of the groups in `sharedRoster.groupList`) and
 * `spefgroups` (the members and admins of the groups in `groupList`).
 */
export type ShowInRoster = 'everybody' | 'onlyGroup' | 'spefgroups' | 'nobody';

/**
 * A group as Openfire creates it, with the shared-roster properties the REST API and legacy service set. `spefgroups`
 * is only a choice of the admin console's form: Openfire stores it as `onlyGroup` with the group list (group-edit.jsp:
 * "'spefgroups' isn't actually saved. That's represented by 'onlyGroups' combined with a 'groupList'"), and
 * `Group.getSharedWith` reads any other stored value as `nobody`, as the emulator's roster does. `everybody` and
 * `nobody` get an empty list, as the console writes them.
 */
export function newGroup(
  name: string,
  description: string | null,
  showInRoster: ShowInRoster,
  groupList: readonly string[] = [],
): GroupRecord {
  const withList = showInRoster === 'spefgroups' || showInRoster === 'onlyGroup';
  return {
    name,
    description,
    members: [],
    admins: [],
    properties: {
      'sharedRoster.showInRoster': showInRoster === 'spefgroups' ? 'onlyGroup' : showInRoster,
      'sharedRoster.displayName': name,
      'sharedRoster.groupList': withList ? groupList.join(',') : '',
    },
  };
}

/** `group.getMembers().add(jid)`: membership is one row per JID, so an admin becomes a member. */
export function addMember(group: GroupRecord, jid: string): void {
  group.admins = group.admins.filter((a) => a !== jid);
  if (!group.members.includes(jid)) group.members.push(jid);
}

/** `group.getAdmins().add(jid)`: a member becomes an admin. */
export function addAdmin(group: GroupRecord, jid: string): void {
  group.members = group.members.filter((m) => m !== jid);
  if (!group.admins.includes(jid)) group.admins.push(jid);
}

/** `group.getMembers().remove(jid)`: only the members collection; an admin stays admin. */
export function removeMember(group: GroupRecord, jid: string): void {
  group.members = group.members.filter((m) => m !== jid);
}

/** Names of the groups where a JID is member or admin. */
export function groupsOf(state: State, jid: string): string[] {
  return [...state.groups.values()].filter((g) => g.members.includes(jid) || g.admins.includes(jid)).map((g) => g.name);
}
