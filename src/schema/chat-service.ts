import type { ChatService as ChatServiceModel, RoomCreationResult } from '../upstream/model.js';
import { builder } from './builder.js';
import { ChatRoom, DEFAULT_SERVICE, findRoom, isPublic, serviceOf } from './chat-room.js';
import { ChatRoomInput, roomSettings } from './chat-room-settings.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { connectionOf, type PageArgs, paginate } from './pagination.js';
import { ownsRoom } from './room-ownership.js';
import { ANYONE, STAFF } from './scopes.js';
import { roomName as validRoomName } from './validate.js';

/** MUC services (REST `/chatservices`) and what concerns a service's rooms as a whole: listing, bulk creation. */
const services = (ctx: Context): Promise<ChatServiceModel[]> => ctx.upstream.call('GET /chatservices', {});

/** Openfire finds services case-insensitively, preferring the exact name (openfire-rest-api.md §7.8). */
async function findService(ctx: Context, name: string): Promise<ChatServiceModel | null> {
  const all = await services(ctx);
  const lower = name.toLowerCase();
  return all.find((s) => s.serviceName === name) ?? all.find((s) => s.serviceName.toLowerCase() === lower) ?? null;
}

const ChatRoomType = builder.enumType('ChatRoomType', {
  description: 'Which rooms a room list shows.',
  values: {
    PUBLIC: { value: 'public', description: 'Rooms with `publicRoom` set (Openfire’s default).' },
    ALL: { value: 'all', description: 'Every room, hidden ones too.' },
  } as const,
});

const ChatRoomConnection = connectionOf('ChatRoom', ChatRoom);

type RoomListArgs = PageArgs & { readonly type?: string | null; readonly search?: string | null };

/** Openfire's room list, sorted by name so pages are stable; it primes the room cache. */
async function listRooms(ctx: Context, service: string, args: RoomListArgs) {
  const search = args.search || null;
  // Openfire node-preps `search` and fails with a 500 on spaces, `@`…: such text can only be in a natural name,
  // so it is matched here instead.
  const nodeSafe = search === null || !/[\s"&'/:<>@]/u.test(search);
  // An end user finds the public rooms (listed and not members-only), and with `type: ALL` the rooms they own too.
  const endUser = ctx.caller.role === 'user';
  const wanted = args.type ?? 'public';
  const type = endUser ? 'all' : wanted;
  const query = { servicename: service, type, search: (nodeSafe && search) || undefined };
  const listed = (await ctx.upstream.call('GET /chatrooms', { query })).filter(
    (room) => nodeSafe || room.naturalName?.toLowerCase().includes(search.toLowerCase()),
  );
  const findable = endUser
    ? await Promise.all(
        listed.map(async (room) => isPublic(room) || (wanted === 'all' && (await ownsRoom(ctx, room.owners)))),
      )
    : null;
  const rooms = listed.filter((_, i) => findable?.[i] ?? true).sort((a, b) => (a.roomName < b.roomName ? -1 : 1));
  for (const room of rooms) ctx.loaders.room.prime({ service, name: room.roomName }, room);
  return paginate(
    rooms.map((room) => ({ ...room, service })),
    args,
  );
}

const listDescription = 'Rooms by name. `search`: part of the room name, or of the natural name (case-insensitive).';

export const ChatService = builder.objectRef<ChatServiceModel>('ChatService').implement({
  authScopes: STAFF,
  description: 'A multi-user chat service: a subdomain such as `conference` that hosts rooms.',
  fields: (t) => ({
    serviceName: t.exposeString('serviceName', { description: 'The subdomain; the `service` of room operations.' }),
    description: t.exposeString('description', { nullable: true }),
    hidden: t.exposeBoolean('hidden', { description: 'Not advertised through service discovery.' }),
    rooms: t.field({
      type: ChatRoomConnection,
      description: listDescription,
      args: {
        type: t.arg({ type: ChatRoomType, defaultValue: 'public' }),
        search: t.arg.string(),
        first: t.arg.int(),
        after: t.arg.string(),
      },
      resolve: (service, args, ctx) => listRooms(ctx, service.serviceName, args),
    }),
  }),
});

type CreationResult = RoomCreationResult & { readonly service: string };

const ChatRoomCreationResult = builder.objectRef<CreationResult>('ChatRoomCreationResult').implement({
  authScopes: STAFF,
  description: 'What became of one room of `createChatRooms`.',
  fields: (t) => ({
    roomName: t.exposeString('roomName'),
    success: t.boolean({ resolve: (r) => r.resultType === 'Success' }),
    message: t.exposeString('message', { nullable: true, description: 'Openfire’s or the gateway’s explanation.' }),
    room: t.field({
      type: ChatRoom,
      nullable: true,
      resolve: (result, _args, ctx) => findRoom(ctx, result.service, result.roomName),
    }),
  }),
});

/**
 * Bulk creation of the rooms that do not exist yet: one list call finds the existing ones (Openfire would overwrite
 * them and still report success), one bulk call creates the rest.
 */
async function createRooms(ctx: Context, service: string, rooms: readonly { roomName: string }[], invite: boolean) {
  const names = rooms.map((r, i) => validRoomName(r.roomName, `rooms[${i}].roomName`).toLowerCase());
  if (new Set(names).size < names.length) throw gatewayError('BAD_USER_INPUT', 'A room name is given twice');
  const settings = rooms.map((r, i) => roomSettings(r, `rooms[${i}].`));
  const listed = (await ctx.upstream.find('GET /chatrooms', { query: { servicename: service, type: 'all' } })) ?? [];
  const existing = new Set(listed.map((r) => r.roomName));
  const domain = await ctx.domain();
  const body = names.flatMap((name, i) => (existing.has(name) ? [] : [{ ...settings[i]?.(domain), roomName: name }]));
  const query = { servicename: service, sendInvitations: invite };
  const results = body.length > 0 ? await ctx.upstream.call('POST /chatrooms/bulk', { query, body }) : null;
  // The bulk call creates rooms and leaves the existing ones alone: what the list said of those still holds.
  for (const room of listed) ctx.loaders.room.prime({ service, name: room.roomName }, room);
  const reported = new Map(
    [...(results?.success ?? []), ...(results?.failure ?? []), ...(results?.other ?? [])].map((r) => [r.roomName, r]),
  );
  return names.map((roomName): CreationResult => {
    const failure = { roomName, resultType: 'Failure', service } as const;
    if (existing.has(roomName)) return { ...failure, message: 'Room exists; not overwritten' };
    return { ...failure, message: 'Openfire reported no result', ...reported.get(roomName) };
  });
}

builder.queryFields((t) => ({
  chatServices: t.field({ type: [ChatService], resolve: (_root, _args, ctx) => services(ctx) }),
  chatService: t.field({
    type: ChatService,
    nullable: true,
    description: 'A service by name (case-insensitive), or null.',
    args: { serviceName: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => findService(ctx, args.serviceName),
  }),
  chatRooms: t.field({
    type: ChatRoomConnection,
    description: `${listDescription} End users find the public rooms (listed, not members-only), with \`type: ALL\` also the rooms they own.`,
    skipTypeScopes: true,
    authScopes: ANYONE,
    args: {
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
      type: t.arg({ type: ChatRoomType, defaultValue: 'public' }),
      search: t.arg.string(),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => listRooms(ctx, serviceOf(args.service), args),
  }),
}));

builder.mutationFields((t) => ({
  createChatService: t.field({
    type: ChatService,
    args: {
      serviceName: t.arg.string({ required: true, description: 'The subdomain: `support` for support.<domain>.' }),
      description: t.arg.string(),
      hidden: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, { serviceName, ...args }, ctx) => {
      // Openfire fails with a bare 500 on a subdomain it cannot build a JID from.
      if (!/^[^\s"&'/:<>@.]+$/u.test(serviceName)) {
        throw gatewayError('BAD_USER_INPUT', '"serviceName" is not a valid subdomain');
      }
      const body = { serviceName, description: args.description ?? null, hidden: args.hidden ?? false };
      await ctx.upstream.call('POST /chatservices', { body });
      const created = await findService(ctx, serviceName);
      if (!created) throw gatewayError('UPSTREAM_ERROR', `Chat service "${serviceName}" was not created`);
      return created;
    },
  }),
  createChatRooms: t.field({
    type: [ChatRoomCreationResult],
    description:
      'Creates several rooms in one call, with one result per room in input order. Rooms that exist are left ' +
      'alone and reported as failures (Openfire would overwrite them).',
    args: {
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
      rooms: t.arg({ type: [ChatRoomInput], required: true }),
      sendInvitations: t.arg.boolean({ defaultValue: false, description: 'Invite the owners, admins and members.' }),
    },
    resolve: (_root, args, ctx) => createRooms(ctx, serviceOf(args.service), args.rooms, args.sendInvitations ?? false),
  }),
}));
