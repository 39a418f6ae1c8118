import type { RouteKey } from '../../upstream/routes.js';
import { memberJid } from '../../xmpp/jid.js';
import { addMember, groupsOf, removeMember } from '../domain.js';
import { badRequest, UnmappedError } from '../errors.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import type { GroupRecord, Store } from '../store.js';
import { getAndCheckGroup, getAndCheckUser, jidOrUnmapped } from './lookup.js';
import { localUsername } from './user-support.js';

/**
 * The user as a group member: with `@` a JID as given (remote too), else a local JID; no existence check
 * (openfire-rest-api.md §7.2).
 */
const userJid = (req: EmuRequest, store: Store): string =>
  jidOrUnmapped(() => memberJid(req.params.username ?? '', store.domain));

/**
 * `getGroup`, falling back to the plugin's auto-create, which is broken (openfire-rest-api.md §7.2): `""` fails its
 * name check, any other name dereferences the null member list of `new GroupEntity(name, "")` before the group exists.
 */
function groupOrAutoCreate(store: Store, name: string): GroupRecord {
  const group = store.state.groups.get(name);
  if (group) return group;
  if (name === '') throw badRequest('IllegalArgumentException', 'Could not create new group', 'groups');
  throw new UnmappedError(`auto-creating group ${name} fails on its null member list`);
}

/**
 * The body's group names; a null entity is a no-op (`null`), a missing list an NPE (openfire-rest-api.md §7.2). §7.2
 * states this for POST only; DELETE is taken to guard its entity the same way.
 */
function groupNames(req: EmuRequest): string[] | null {
  if (req.body === null) return null;
  const names = req.body.groupnames as string[] | null;
  if (names === null) throw new UnmappedError('group name list is null');
  return names;
}

// Openfire's group lookup for a user has no defined order; names are sorted so the reply is stable.
const listGroups: Handler = (req, ctx) => {
  const username = localUsername(ctx.store, req.params.username ?? '', 'GroupNotFoundException');
  const user = getAndCheckUser(ctx.store, username);
  const names = groupsOf(ctx.store.state, `${user.username}@${ctx.store.domain}`).sort();
  return entity('userGroups', { groupnames: names });
};

/** Every group is resolved before anyone is added, so a missing group changes nothing. */
const addToGroups: Handler = (req, ctx) => {
  const groups = (groupNames(req) ?? []).map((name) => groupOrAutoCreate(ctx.store, name));
  for (const group of groups) addMember(group, userJid(req, ctx.store));
  return empty(201);
};

const addToGroup: Handler = (req, ctx) => {
  addMember(groupOrAutoCreate(ctx.store, req.params.groupName ?? ''), userJid(req, ctx.store));
  return empty(201);
};

/**
 * Only the members collection changes, an admin stays admin; a non-member is a silent success
 * (openfire-rest-api.md §7.2).
 */
const removeFromGroup: Handler = (req, ctx) => {
  removeMember(getAndCheckGroup(ctx.store, req.params.groupName ?? ''), userJid(req, ctx.store));
  return empty(200);
};

// Groups before a missing one have already been left when the 404 is raised (openfire-rest-api.md §7.2).
const removeFromGroups: Handler = (req, ctx) => {
  for (const name of groupNames(req) ?? []) removeMember(getAndCheckGroup(ctx.store, name), userJid(req, ctx.store));
  return empty(200);
};

export const userGroupHandlers = {
  'GET /users/{username}/groups': listGroups,
  'POST /users/{username}/groups': addToGroups,
  'POST /users/{username}/groups/{groupName}': addToGroup,
  'DELETE /users/{username}/groups/{groupName}': removeFromGroup,
  'DELETE /users/{username}/groups': removeFromGroups,
} satisfies Partial<Record<RouteKey, Handler>>;
