import type { InputFieldBuilder } from '@pothos/core';
import DataLoader from 'dataloader';
import type { Context } from '../context.js';
import type { ChatRoom as ChatRoomModel, ChatRoomInput as ChatRoomBody } from '../upstream/model.js';
import { builder, type Types } from './builder.js';
import { gatewayError } from './errors.js';
import { roomKey } from './loaders.js';
import { jid as validJid, nonEmpty, roomName as validRoomName, username as validUsername } from './validate.js';

/** A room with the MUC service it lives in (Openfire's room entity does not name it). */
export interface RoomNode extends ChatRoomModel {
  readonly service: string;
}

export const DEFAULT_SERVICE = 'conference';

export const serviceOf = (value: string | null | undefined): string =>
  nonEmpty(value ?? DEFAULT_SERVICE, 'service');

/** Openfire node-preps room names, so lookups are case-insensitive and keyed lowercase. */
const keyOf = (service: string, name: string): string => roomKey(service, validRoomName(name).toLowerCase());

const roomLoaders = (ctx: Context) => ctx.memo('room-loaders', () => new Set<DataLoader<string, unknown>>());

/** A per-request loader of something per room (occupants, history…), cleared with the room by `forgetRoom`. */
export function roomLoader<V>(ctx: Context, kind: string, load: (service: string, room: string) => Promise<V>) {
  return ctx.memo(`room-loader:${kind}`, () => {
    const loader = new DataLoader<string, V>((keys) =>
      Promise.all(keys.map((key) => load(...(key.split('\u0000') as [string, string])))),
    );
    roomLoaders(ctx).add(loader);
    return loader;
  });
}

export const loadFor = <V>(loader: DataLoader<string, V>, room: RoomNode): Promise<V> =>
  loader.load(roomKey(room.service, room.roomName));

/** Drops everything cached about a room after a change. */
export function forgetRoom(ctx: Context, service: string, name: string): void {
  const key = keyOf(service, name);
  ctx.loaders.room.clear(key);
  for (const loader of roomLoaders(ctx)) loader.clear(key);
}

export async function findRoom(ctx: Context, service: string, name: string): Promise<RoomNode | null> {
  const room = await ctx.loaders.room.load(keyOf(service, name));
  return room && { ...room, service };
}

/** A room that must exist for a mutation to make sense. */
export async function existingRoom(ctx: Context, service: string, name: string): Promise<RoomNode> {
  const room = await findRoom(ctx, service, name);
  if (room) return room;
  throw gatewayError('NOT_FOUND', `No chat room "${name}" in service "${service}"`, 'RoomNotFoundException');
}

/** Re-reads a room after a change (the REST API answers room mutations without a body). */
export async function reloadRoom(ctx: Context, service: string, name: string): Promise<RoomNode> {
  forgetRoom(ctx, service, name);
  return existingRoom(ctx, service, name);
}

/** A JID, or the username of a local user (both read by Openfire's `checkAndGetJID`); checked before any call. */
export const jidOrUsername = (value: string, argument: string): string =>
  value.includes('@') ? validJid(value, argument) : validUsername(value, argument);

/** Completes a username to the local user's bare JID. */
export const asJid = (value: string, domain: string): string =>
  value.includes('@') ? value : `${value.toLowerCase()}@${domain}`;

type Role = 'moderator' | 'participant' | 'visitor' | 'none';

const RoomRole = builder.enumType('RoomRole', {
  values: {
    MODERATOR: { value: 'moderator' },
    PARTICIPANT: { value: 'participant' },
    VISITOR: { value: 'visitor' },
    NONE: { value: 'none' },
  } as const,
});

const PrivateMessages = builder.enumType('PrivateMessages', {
  description: 'Who may send private messages in a room.',
  values: {
    ANYONE: { value: 'anyone' },
    PARTICIPANTS: { value: 'participants' },
    MODERATORS: { value: 'moderators' },
    NONE: { value: 'none' },
  } as const,
});

type Flag = { [K in keyof ChatRoomModel]: ChatRoomModel[K] extends boolean ? K : never }[keyof ChatRoomModel];

/** Boolean settings: the default `createChatRoom` uses (a persistent public room) and what they mean. */
const FLAGS: Record<Flag, readonly [boolean, string]> = {
  persistent: [true, 'Kept (and stored) when the last occupant leaves.'],
  publicRoom: [true, 'Listed in service discovery and by `chatRooms(type: PUBLIC)`.'],
  registrationEnabled: [true, 'Users may register with the room (reserve a nickname).'],
  canAnyoneDiscoverJID: [true, 'Every occupant sees the real JIDs of the others (non-anonymous room).'],
  canOccupantsChangeSubject: [false, 'Occupants, not only moderators, may change the subject.'],
  canOccupantsInvite: [false, 'Occupants may invite others.'],
  canChangeNickname: [true, 'Occupants may change their nickname.'],
  logEnabled: [true, 'Openfire logs the conversation.'],
  loginRestrictedToNickname: [false, 'Users may only join with their registered nickname.'],
  membersOnly: [false, 'Only members (and higher affiliations) may join.'],
  moderated: [false, 'Only occupants with voice may speak.'],
};
const flagNames = Object.keys(FLAGS) as Flag[];

export const ChatRoom = builder.objectRef<RoomNode>('ChatRoom').implement({
  description: 'A multi-user chat room (XEP-0045) of an Openfire MUC service.',
  fields: (t) => ({
    roomName: t.exposeString('roomName', { description: 'The node of the room’s JID, lowercase.' }),
    service: t.exposeString('service', { description: 'The MUC service (subdomain) the room lives in.' }),
    jid: t.string({
      description: 'The room’s bare JID (`room@service.domain`).',
      resolve: async (room, _args, ctx) => `${room.roomName}@${room.service.toLowerCase()}.${await ctx.domain()}`,
    }),
    naturalName: t.exposeString('naturalName', { nullable: true, description: 'The display name.' }),
    description: t.exposeString('description', { nullable: true }),
    subject: t.exposeString('subject', { nullable: true }),
    passwordProtected: t.boolean({ resolve: (room) => Boolean(room.password) }),
    password: t.string({
      nullable: true,
      description:
        'The password to join, in clear text: Openfire hands it to every REST caller. Read-only API keys get ' +
        'FORBIDDEN here; ask for `passwordProtected` unless you need the value.',
      resolve: (room, _args, ctx) => {
        if (ctx.role !== 'read') return room.password || null;
        throw gatewayError('FORBIDDEN', 'Room passwords are not shown to read-only callers');
      },
    }),
    creationDate: t.field({ type: 'DateTime', nullable: true, resolve: (room) => room.creationDate }),
    modificationDate: t.field({ type: 'DateTime', nullable: true, resolve: (room) => room.modificationDate }),
    maxUsers: t.exposeInt('maxUsers', { description: 'Most occupants at once; 0 means unlimited.' }),
    ...Object.fromEntries(flagNames.map((f) => [f, t.exposeBoolean(f, { description: FLAGS[f][1] })])),
    broadcastPresenceRoles: t.exposeStringList('broadcastPresenceRoles', {
      description: 'Roles (moderator, participant, visitor) whose presence is broadcast to the room.',
    }),
    allowPM: t.exposeString('allowPM', {
      nullable: true,
      description: 'Who may send private messages: anyone, participants, moderators, none; null before plugin 1.9.0.',
    }),
  }),
});

const LISTS = ['owners', 'admins', 'members', 'outcasts'] as const;
const GROUP_LISTS = ['ownerGroups', 'adminGroups', 'memberGroups', 'outcastGroups'] as const;

const listDescription = (list: string): string =>
  `JIDs, or usernames of local users${list === 'owners' ? '; none: the `admin` user owns the room' : ''}.`;

/** Room settings as input; `create` adds the defaults of a persistent public room. */
function settingsFields(t: InputFieldBuilder<Types, 'InputObject'>, create: boolean) {
  const d = <T>(value: T): T | undefined => (create ? value : undefined);
  const flag = (f: Flag) => t.boolean({ defaultValue: d(FLAGS[f][0]), description: FLAGS[f][1] });
  return {
    naturalName: t.string({ description: 'The display name.' }),
    description: t.string(),
    password: t.string({ description: 'Needed to join; an empty string means none.' }),
    subject: t.string({ description: 'Set as a message from the room; cannot be removed, only replaced.' }),
    maxUsers: t.int({ defaultValue: d(30), description: 'Most occupants at once; 0 means unlimited.' }),
    ...Object.fromEntries(flagNames.map((f) => [f, flag(f)])),
    allowPM: t.field({ type: PrivateMessages, defaultValue: d('anyone' as const) }),
    broadcastPresenceRoles: t.field({
      type: [RoomRole],
      defaultValue: d<Role[]>(['moderator', 'participant', 'visitor']),
      description: 'Roles whose presence is broadcast; an empty list broadcasts none.',
    }),
    ...Object.fromEntries(LISTS.map((l) => [l, t.stringList({ description: listDescription(l) })])),
    ...Object.fromEntries(GROUP_LISTS.map((l) => [l, t.stringList({ description: 'Group names.' })])),
  };
}

export const ChatRoomInput = builder.inputType('ChatRoomInput', {
  description: 'A new room. Left-out settings take the defaults shown (Openfire itself would take false and 0).',
  fields: (t) => ({ roomName: t.string({ required: true }), ...settingsFields(t, true) }),
});

const ChatRoomChanges = builder.inputType('ChatRoomChanges', {
  description: 'Settings to change; left out or null keeps the current value. A list, when given, replaces it.',
  fields: (t) => settingsFields(t, false),
});

/**
 * Checks room settings (null means left out) before any upstream call; the body they give completes usernames to
 * JIDs once the domain is known, since Openfire reads `jane` in these lists as a domain-only JID (§7.8).
 */
export function roomSettings(input: object, prefix: string): (domain: string) => Omit<ChatRoomBody, 'roomName'> {
  const given: Record<string, unknown> = Object.fromEntries(Object.entries(input).filter(([, v]) => v != null));
  if (typeof given.maxUsers === 'number' && given.maxUsers < 0) {
    throw gatewayError('BAD_USER_INPUT', `"${prefix}maxUsers" must not be negative`);
  }
  const check = (list: string, valid: (v: string, arg: string) => string) =>
    (given[list] as string[] | undefined)?.forEach((v, i) => valid(v, `${prefix}${list}[${i}]`));
  for (const list of LISTS) check(list, jidOrUsername);
  for (const list of GROUP_LISTS) check(list, nonEmpty);
  return (domain) => {
    const jids = LISTS.filter((l) => given[l]).map((l) => [l, (given[l] as string[]).map((v) => asJid(v, domain))]);
    return { ...given, ...Object.fromEntries(jids) };
  };
}

const serviceDescription = 'The MUC service (subdomain). Openfire creates a missing one when a room is written to it.';

builder.queryFields((t) => ({
  chatRoom: t.field({
    type: ChatRoom,
    nullable: true,
    description: 'A room by name (case-insensitive), or null when it or its service does not exist.',
    args: { name: t.arg.string({ required: true }), service: t.arg.string({ defaultValue: DEFAULT_SERVICE }) },
    resolve: (_root, args, ctx) => findRoom(ctx, serviceOf(args.service), args.name),
  }),
}));

builder.mutationFields((t) => ({
  createChatRoom: t.field({
    type: ChatRoom,
    description: 'Creates a room; CONFLICT when it exists (Openfire would silently overwrite it).',
    args: {
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE, description: serviceDescription }),
      input: t.arg({ type: ChatRoomInput, required: true }),
      sendInvitations: t.arg.boolean({ defaultValue: false, description: 'Invite the owners, admins and members.' }),
    },
    resolve: async (_root, { input, ...args }, ctx) => {
      const service = serviceOf(args.service);
      const roomName = validRoomName(input.roomName, 'input.roomName').toLowerCase();
      const settings = roomSettings(input, 'input.');
      if (await findRoom(ctx, service, roomName)) throw gatewayError('CONFLICT', `Chat room "${roomName}" exists`);
      const query = { servicename: service, sendInvitations: args.sendInvitations ?? false };
      await ctx.upstream.call('POST /chatrooms', { query, body: { ...settings(await ctx.domain()), roomName } });
      return reloadRoom(ctx, service, roomName);
    },
  }),
  updateChatRoom: t.field({
    type: ChatRoom,
    description: 'Changes the given settings and keeps the rest (Openfire replaces whole rooms, so this merges).',
    args: {
      name: t.arg.string({ required: true }),
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
      changes: t.arg({ type: ChatRoomChanges, required: true }),
      sendInvitations: t.arg.boolean({ defaultValue: false, description: 'Invite newly affiliated users.' }),
    },
    resolve: async (_root, args, ctx) => {
      const service = serviceOf(args.service);
      const changes = roomSettings(args.changes, 'changes.');
      // PUT creates a missing room, so it must exist first; modificationDate is left for Openfire to set.
      const { service: _s, modificationDate: _m, ...current } = await existingRoom(ctx, service, args.name);
      const body = { ...current, ...changes(await ctx.domain()), roomName: current.roomName };
      const query = { servicename: service, sendInvitations: args.sendInvitations ?? false };
      const path = { roomName: current.roomName };
      await ctx.upstream.call('PUT /chatrooms/{roomName}', { path, query, body });
      return reloadRoom(ctx, service, current.roomName);
    },
  }),
  deleteChatRoom: t.boolean({
    description: 'Destroys a room (its occupants are kicked); true when done.',
    args: { name: t.arg.string({ required: true }), service: t.arg.string({ defaultValue: DEFAULT_SERVICE }) },
    resolve: async (_root, args, ctx) => {
      const service = serviceOf(args.service);
      const roomName = validRoomName(args.name);
      const query = { servicename: service };
      await ctx.upstream.call('DELETE /chatrooms/{roomName}', { path: { roomName }, query });
      forgetRoom(ctx, service, roomName);
      return true;
    },
  }),
}));
