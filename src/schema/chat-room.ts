import type { RoomKey } from '../request/loaders.js';
import type { ChatRoom as ChatRoomModel } from '../upstream/model.js';
import { builder } from './builder.js';
import { ChatRoomChanges, ChatRoomInput, FLAGS, flagNames, roomSettings } from './chat-room-settings.js';
import type { Context } from './context.js';
import { forCaller } from './credentials.js';
import { gatewayError } from './errors.js';
import { ownsRoom } from './room-ownership.js';
import { ANYONE, decided, ROOM_OWNER, STAFF } from './scopes.js';
import { nonEmpty, roomName as validRoomName } from './validate.js';

/** A room with the MUC service it lives in (Openfire's room entity does not name it). */
export interface RoomNode extends ChatRoomModel {
  readonly service: string;
}

export const DEFAULT_SERVICE = 'conference';

export const serviceOf = (value: string | null | undefined): string => nonEmpty(value ?? DEFAULT_SERVICE, 'service');

/** The room a mutation's arguments name, for the `roomOwner` scope. */
export const roomKeyOf = (args: { readonly name: string; readonly service?: string | null }): RoomKey => ({
  service: serviceOf(args.service),
  name: validRoomName(args.name),
});

/** Administrators, and end users who own the room the field's `name` and `service` arguments name. */
export const roomOwnerOrAdmin = {
  skipTypeScopes: true,
  authScopes: decided(
    'admin; end users owning the room',
    (_root: unknown, args: { readonly name: string; readonly service?: string | null }) => ({
      admin: true,
      roomOwner: roomKeyOf(args),
    }),
  ),
} as const;

/** The room-scoped REST arguments of a room: its name in the path, its service in the query. */
export const roomArgs = (room: Pick<RoomNode, 'service' | 'roomName'>) => ({
  path: { roomName: room.roomName },
  query: { servicename: room.service },
});

export async function findRoom(ctx: Context, service: string, name: string): Promise<RoomNode | null> {
  const room = await ctx.loaders.room.load({ service, name: validRoomName(name) });
  return room && { ...room, service };
}

/** A room that must exist for a mutation to make sense. */
export async function existingRoom(ctx: Context, service: string, name: string): Promise<RoomNode> {
  const room = await findRoom(ctx, service, name);
  if (room) return room;
  throw gatewayError('NOT_FOUND', `No chat room "${name}" in service "${service}"`, 'RoomNotFoundException');
}

/**
 * Who may see a room: administrators and read keys any; an end user a public room (listed, not members-only), one
 * they own, and one they hold an affiliation with (`roomBasic`, granted by `User.chatRooms`). The room's settings
 * and affiliations are for its owners (`roomOwner`, granted here).
 */
const roomViewers = decided(
  'admin, read; end users on public rooms, rooms they own, and with `roomBasic`',
  async (room: RoomNode, ctx: Context) => {
    if (ctx.caller.role !== 'user') return STAFF;
    if (isPublic(room) || (await ownsRoom(ctx, room.owners))) return true;
    return { $granted: 'roomBasic' };
  },
);

const ownerGrants = decided('`roomOwner` to the end users who own the room', async (room: RoomNode, ctx: Context) =>
  (await ownsRoom(ctx, room.owners)) ? ['roomOwner'] : [],
);

/** Listed in the room directory and open to anyone: what end users may find. */
export const isPublic = (room: ChatRoomModel): boolean => room.publicRoom && !room.membersOnly;

export const ChatRoom = builder.objectRef<RoomNode>('ChatRoom').implement({
  description:
    'A multi-user chat room (XEP-0045) of an Openfire MUC service. End users see the name, subject, description ' +
    'and occupants of public rooms and of rooms they belong to, and everything of rooms they own.',
  authScopes: roomViewers,
  grantScopes: ownerGrants,
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
        'The password to join, in clear text: Openfire hands it to every REST caller. Null without one, and for ' +
        'callers who may only read; ask for `passwordProtected` unless you need the value.',
      authScopes: ROOM_OWNER,
      resolve: (room, _args, ctx) => forCaller(ctx, room.password || null, 'password'),
    }),
    creationDate: t.field({
      type: 'DateTime',
      nullable: true,
      authScopes: ROOM_OWNER,
      resolve: (room) => room.creationDate,
    }),
    modificationDate: t.field({
      type: 'DateTime',
      nullable: true,
      authScopes: ROOM_OWNER,
      resolve: (room) => room.modificationDate,
    }),
    maxUsers: t.exposeInt('maxUsers', {
      description: 'Most occupants at once; 0 means unlimited.',
      authScopes: ROOM_OWNER,
    }),
    ...Object.fromEntries(
      flagNames.map((f) => [f, t.exposeBoolean(f, { description: FLAGS[f][1], authScopes: ROOM_OWNER })]),
    ),
    broadcastPresenceRoles: t.exposeStringList('broadcastPresenceRoles', {
      authScopes: ROOM_OWNER,
      description: 'Roles (moderator, participant, visitor) whose presence is broadcast to the room.',
    }),
    allowPM: t.exposeString('allowPM', {
      authScopes: ROOM_OWNER,
      nullable: true,
      description: 'Who may send private messages: anyone, participants, moderators, none; null before plugin 1.9.0.',
    }),
  }),
});

const serviceDescription = 'The MUC service (subdomain). Openfire creates a missing one when a room is written to it.';

builder.queryFields((t) => ({
  chatRoom: t.field({
    type: ChatRoom,
    nullable: true,
    description:
      'A room by name (case-insensitive), or null when it or its service does not exist; for an end user also ' +
      'null when it is neither public nor theirs.',
    skipTypeScopes: true,
    authScopes: ANYONE,
    args: { name: t.arg.string({ required: true }), service: t.arg.string({ defaultValue: DEFAULT_SERVICE }) },
    resolve: async (_root, args, ctx) => {
      const room = await findRoom(ctx, serviceOf(args.service), args.name);
      if (!room || ctx.caller.role !== 'user') return room;
      return isPublic(room) || (await ownsRoom(ctx, room.owners)) ? room : null;
    },
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
      return existingRoom(ctx, service, roomName);
    },
  }),
  updateChatRoom: t.field({
    type: ChatRoom,
    description:
      'Changes the given settings and keeps the rest (Openfire replaces whole rooms, so this merges). Open to ' +
      'administrators and to end users who own the room.',
    ...roomOwnerOrAdmin,
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
      return existingRoom(ctx, service, current.roomName);
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
      return true;
    },
  }),
}));
