import type { RouteKey } from '../../upstream/routes.js';
import { InvalidJidError, memberJid } from '../../xmpp/jid.js';
import { addAdmin, addMember, newGroup } from '../domain.js';
import { badRequest, conflict, UnmappedError } from '../errors.js';
import { bodyFormat } from '../http/negotiate.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import type { GroupRecord } from '../store.js';
import { getAndCheckGroup } from './lookup.js';

const SHOW_IN_ROSTER = 'sharedRoster.showInRoster';

/** What POST and PUT take from a group entity, validated before anything is written. */
interface GroupInput {
  description: string | null;
  shared: boolean;
  members: string[];
  admins: string[];
}

/** The list view never computes `shared` and leaves out admins and members (openfire-rest-api.md §7.6). */
function listView(group: GroupRecord): Record<string, unknown> {
  return { name: group.name, description: group.description, shared: false };
}

function detailView(group: GroupRecord): Record<string, unknown> {
  return {
    name: group.name,
    description: group.description,
    admins: group.admins,
    members: group.members,
    // Only `onlyGroup` counts as shared; `everybody` reports false (openfire-rest-api.md §7.6).
    shared: group.properties[SHOW_IN_ROSTER] === 'onlyGroup',
  };
}

/**
 * `shared` is a Boolean the controller unboxes: absent means false, an explicit JSON `null` is an NPE
 * (openfire-rest-api.md §7.6).
 */
function sharedOf(req: EmuRequest, body: Record<string, unknown>): boolean {
  if (body.shared === null && bodyFormat(req.headers['content-type']) === 'json') {
    const raw = JSON.parse(req.rawBody) as Record<string, unknown>;
    if ('shared' in raw) throw new UnmappedError('shared is null');
  }
  return body.shared === true;
}

function jids(values: unknown, kind: 'member' | 'admin', groupName: string, domain: string): string[] {
  if (values === null) throw new UnmappedError(`${kind}s is null`);
  return (values as string[]).map((value) => {
    try {
      return memberJid(value, domain);
    } catch (error) {
      if (error instanceof InvalidJidError) {
        throw badRequest('IllegalArgumentException', `Cannot parse a ${kind} value as a JID: ${value}`, groupName);
      }
      throw error;
    }
  });
}

function readInput(req: EmuRequest, body: Record<string, unknown>, domain: string): GroupInput {
  const name = body.name as string;
  return {
    description: body.description as string | null,
    shared: sharedOf(req, body),
    members: jids(body.members, 'member', name, domain),
    admins: jids(body.admins, 'admin', name, domain),
  };
}

/**
 * Members first, then admins: membership is exclusive, so a JID in both lists ends up admin
 * (openfire-rest-api.md §7.6). `showInRoster` becomes `onlyGroup` or `nobody` whatever it was (`everybody` too), while
 * `displayName` and `groupList` stay as they were (GroupController.java, updateGroup).
 */
function apply(group: GroupRecord, input: GroupInput): void {
  group.description = input.description;
  group.properties[SHOW_IN_ROSTER] = input.shared ? 'onlyGroup' : 'nobody';
  group.members = [];
  group.admins = [];
  for (const jid of input.members) addMember(group, jid);
  for (const jid of input.admins) addAdmin(group, jid);
}

/**
 * The entity and its name; a body without `name` reaches `getName().isEmpty()` and fails with an NPE
 * (openfire-rest-api.md §7.6).
 */
function named(body: Record<string, unknown> | null, message: string): { body: Record<string, unknown>; name: string } {
  if (body !== null && body.name === null) throw new UnmappedError('name is null');
  if (body === null || body.name === '') throw badRequest('IllegalArgumentException', message, 'groups');
  return { body, name: body.name as string };
}

const byName = (a: GroupRecord, b: GroupRecord): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const list: Handler = (_req, ctx) =>
  entity('groups', { groups: [...ctx.store.state.groups.values()].sort(byName).map(listView) });

// openfire-rest-api.md §7.6 does not order entity validation against creation; validating first keeps a failed POST
// from leaving a group.
const create: Handler = (req, ctx) => {
  const { body, name } = named(req.body, 'Could not create new group');
  const input = readInput(req, body, ctx.store.domain);
  const { groups } = ctx.store.state;
  if (groups.has(name) || name.trim() === '') {
    throw conflict('GroupAlreadyExistsException', 'Could not create a group', name);
  }
  const group = newGroup(name, input.description, input.shared ? 'onlyGroup' : 'nobody');
  apply(group, input);
  groups.set(name, group);
  return empty(201);
};

const get: Handler = (req, ctx) => entity('group', detailView(getAndCheckGroup(ctx.store, req.params.groupName ?? '')));

const update: Handler = (req, ctx) => {
  const path = req.params.groupName ?? '';
  const { body, name } = named(req.body, 'Could not update new group');
  if (name !== path) {
    const message = 'Could not update the group. The group name is different to the payload group name.';
    throw badRequest('IllegalArgumentException', message, `${path} != ${name}`);
  }
  const group = getAndCheckGroup(ctx.store, path);
  // Plain replacement; upstream's admin→member move in one PUT can drop the JID [ambiguous, openfire-rest-api.md §7.6].
  apply(group, readInput(req, body, ctx.store.domain));
  return empty(200);
};

const remove: Handler = (req, ctx) => {
  const group = getAndCheckGroup(ctx.store, req.params.groupName ?? '');
  ctx.store.state.groups.delete(group.name);
  return empty(200);
};

export const groupHandlers = {
  'GET /groups': list,
  'POST /groups': create,
  'GET /groups/{groupName}': get,
  'PUT /groups/{groupName}': update,
  'DELETE /groups/{groupName}': remove,
} satisfies Partial<Record<RouteKey, Handler>>;
