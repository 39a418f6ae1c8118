import type { ChatRoom as ChatRoomModel } from '../upstream/model.js';
import { builder } from './builder.js';
import { ChatRoomChanges, ChatRoomInput, FLAGS, flagNames, roomSettings } from './chat-room-settings.js';
import type { Context } from './context.js';
import { forCaller } from './credentials.js';
import { gatewayError } from './errors.js';
import { nonEmpty, roomName as validRoomName } from './validate.js';

/** A room with the MUC service it lives in (Openfire's room entity does not name it). */
export interface RoomNode extends ChatRoomModel {
  readonly service: string;
}

export const DEFAULT_SERVICE = 'conference';

export const serviceOf = (value: string | null | undefined): string => nonEmpty(value ?? DEFAULT_SERVICE, 'service');

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
        'The password to join, in clear text: Openfire hands it to every REST caller. Null without one, and for ' +
        'callers who may only read; ask for `passwordProtected` unless you need the value.',
      resolve: (room, _args, ctx) => forCaller(ctx, room.password || null, 'password'),
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
      return existingRoom(ctx, service, roomName);
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
