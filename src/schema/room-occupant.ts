import type {
  Occupant as OccupantModel,
  Participant as ParticipantModel,
  RoomMessage as RoomMessageModel,
} from '../upstream/model.js';
import { builder } from './builder.js';
import { ChatRoom, DEFAULT_SERVICE, type RoomNode, roomArgs, serviceOf } from './chat-room.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { localUser } from './local-user.js';
import { ownsRoom } from './room-ownership.js';
import { decided, ROOM_OWNER, staffOr } from './scopes.js';
import { User } from './user.js';
import { nonEmpty, roomName as validRoomName } from './validate.js';

/** Who is in a room now, what was said (the room's in-memory history), and invitations to join. */
const nicknameOf = (roomJid: string | null): string | null => {
  const slash = roomJid?.indexOf('/') ?? -1;
  return roomJid && slash >= 0 ? roomJid.slice(slash + 1) : null;
};

const describe = {
  jid: 'The occupant’s room JID (`room@service.domain/nickname`).',
  nickname: 'The resource of the room JID.',
  role: 'moderator, participant or visitor.',
  affiliation: 'owner, admin, member, outcast or none.',
};

export const Participant = builder.objectRef<ParticipantModel>('Participant').implement({
  description: 'An occupant whose role is participant, as Openfire lists them (without real JID).',
  // Reached through `ChatRoom.participants`, which is for the room's owners (it grants `roomContent`).
  authScopes: staffOr('roomContent'),
  fields: (t) => ({
    jid: t.exposeString('jid', { description: describe.jid }),
    nickname: t.string({ nullable: true, description: describe.nickname, resolve: (p) => nicknameOf(p.jid) }),
    role: t.exposeString('role', { description: describe.role }),
    affiliation: t.exposeString('affiliation', { description: describe.affiliation }),
  }),
});

export const Occupant = builder.objectRef<OccupantModel>('Occupant').implement({
  description: 'Someone in the room now. End users who do not own the room see nicknames and roles, not who it is.',
  authScopes: staffOr('occupant'),
  fields: (t) => ({
    jid: t.exposeString('jid', { description: describe.jid }),
    nickname: t.string({ nullable: true, description: describe.nickname, resolve: (o) => nicknameOf(o.jid) }),
    role: t.exposeString('role', { description: describe.role }),
    affiliation: t.exposeString('affiliation', { description: describe.affiliation }),
    userAddress: t.exposeString('userAddress', {
      nullable: true,
      description: 'The real full JID; null before plugin 1.3.10.',
      authScopes: staffOr('occupantIdentity'),
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The local user behind `userAddress`; null for remote users.',
      authScopes: staffOr('occupantIdentity'),
      resolve: (o, _args, ctx) => (o.userAddress ? localUser(ctx, o.userAddress) : null),
    }),
  }),
});

export const RoomMessage = builder.objectRef<RoomMessageModel>('RoomMessage').implement({
  description: 'A message of the room’s history, as Openfire replays it to new occupants.',
  // Reached through `ChatRoom.history`, which is for the room's owners (it grants `roomContent`).
  authScopes: staffOr('roomContent'),
  fields: (t) => ({
    from: t.exposeString('from', { nullable: true, description: 'The sender’s room JID.' }),
    nickname: t.string({ nullable: true, description: 'The sender’s nickname.', resolve: (m) => nicknameOf(m.from) }),
    to: t.exposeString('to', { nullable: true }),
    type: t.exposeString('type', { nullable: true, description: 'Usually groupchat.' }),
    body: t.exposeString('body', { nullable: true }),
    delayStamp: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was sent.',
      resolve: (m) => m.delayStamp,
    }),
    delayFrom: t.exposeString('delayFrom', { nullable: true, description: 'Who stamped the delay.' }),
  }),
});

builder.objectFields(ChatRoom, (t) => ({
  occupants: t.field({
    type: [Occupant],
    description: 'Everyone in the room now.',
    // Nicknames and roles for whoever may see the room; who they are for its owners too.
    grantScopes: decided(
      '`occupant`, and `occupantIdentity` to the room’s owners',
      async (room: RoomNode, _args: unknown, ctx: Context) =>
        (await ownsRoom(ctx, room.owners)) ? ['occupant', 'occupantIdentity'] : ['occupant'],
    ),
    resolve: (room, _args, ctx) => ctx.upstream.call('GET /chatrooms/{roomName}/occupants', roomArgs(room)),
  }),
  participants: t.field({
    type: [Participant],
    description: 'The occupants whose role is participant (moderators and visitors left out).',
    authScopes: ROOM_OWNER,
    grantScopes: ['roomContent'],
    resolve: (room, _args, ctx) => ctx.upstream.call('GET /chatrooms/{roomName}/participants', roomArgs(room)),
  }),
  history: t.field({
    type: [RoomMessage],
    description: 'The history Openfire keeps in memory for new occupants, oldest first.',
    authScopes: ROOM_OWNER,
    grantScopes: ['roomContent'],
    args: { last: t.arg.int({ description: 'Only the newest `last` messages.' }) },
    resolve: async (room, { last }, ctx) => {
      if (typeof last === 'number' && last < 0) throw gatewayError('BAD_USER_INPUT', '"last" must not be negative');
      const messages = await ctx.upstream.call('GET /chatrooms/{roomName}/chathistory', roomArgs(room));
      return typeof last === 'number' ? messages.slice(Math.max(0, messages.length - last)) : messages;
    },
  }),
}));

builder.mutationFields((t) => ({
  inviteToChatRoom: t.boolean({
    description: 'Has the room invite a JID; a group name invites its members and admins. True once sent.',
    args: {
      name: t.arg.string({ required: true }),
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
      jid: t.arg.string({ required: true, description: 'A JID, a local username or a group name.' }),
      reason: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const path = { roomName: validRoomName(args.name), jid: nonEmpty(args.jid, 'jid') };
      const query = { servicename: serviceOf(args.service) };
      const body = { reason: args.reason };
      await ctx.upstream.call('POST /chatrooms/{roomName}/invite/{jid}', { path, query, body });
      return true;
    },
  }),
  inviteManyToChatRoom: t.boolean({
    description: 'Has the room invite several JIDs, local usernames or groups (members and admins). True once sent.',
    args: {
      name: t.arg.string({ required: true }),
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
      jids: t.arg.stringList({ required: true }),
      reason: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const path = { roomName: validRoomName(args.name) };
      if (args.jids.length === 0) throw gatewayError('BAD_USER_INPUT', '"jids" must not be empty');
      const body = { reason: args.reason, jidsToInvite: args.jids.map((jid, i) => nonEmpty(jid, `jids[${i}]`)) };
      const query = { servicename: serviceOf(args.service) };
      await ctx.upstream.call('POST /chatrooms/{roomName}/invite', { path, query, body });
      return true;
    },
  }),
}));
