import {
  type LiveOccupant as LiveOccupantModel,
  type OccupantEvent as OccupantEventModel,
  occupantsView,
  roomOccupantsTopic,
} from '../live/topics/room-occupants.js';
import { builder } from './builder.js';
import { DEFAULT_SERVICE, findRoom, isPublic, serviceOf } from './chat-room.js';
import { gatewayError } from './errors.js';
import { delivered, stream } from './live.js';
import { ownsRoom } from './room-ownership.js';
import { ANYONE, OPEN_TYPE } from './scopes.js';

/** A room's occupants, live: one `GET /chatrooms/{room}/occupants` per poll interval for all who watch the room. */
const LiveOccupant = builder.objectRef<LiveOccupantModel>('LiveOccupant').implement({
  description: 'Someone in a room, as an occupant event carries it.',
  ...OPEN_TYPE,
  fields: (t) => ({
    nickname: t.exposeString('nickname'),
    role: t.exposeString('role', { description: 'moderator, participant or visitor.' }),
    affiliation: t.exposeString('affiliation', { description: 'owner, admin, member, outcast or none.' }),
    jid: t.exposeString('jid', {
      nullable: true,
      description:
        'The real full JID: for administrators, read keys and the room’s owners; null for other end users ' +
        '(and before plugin 1.3.10, which does not report it).',
    }),
  }),
});

const OccupantEventKind = builder.enumType('OccupantEventKind', {
  values: {
    JOINED: { description: 'Entered the room (or was there when the subscription began).' },
    LEFT: { description: 'Left the room; the occupant as last seen.' },
    CHANGED: { description: 'Their role or affiliation changed.' },
  } as const,
});

const OccupantEvent = builder.objectRef<OccupantEventModel>('OccupantEvent').implement({
  description: 'A change between two polls of a room’s occupants.',
  ...OPEN_TYPE,
  fields: (t) => ({
    kind: t.field({ type: OccupantEventKind, resolve: (event) => event.kind }),
    occupant: t.field({ type: LiveOccupant, resolve: (event) => event.occupant }),
  }),
});

builder.subscriptionFields((t) => ({
  roomOccupants: t.field({
    type: OccupantEvent,
    description:
      'First a JOINED event for each occupant present, then who joins, changes and leaves. End users may watch ' +
      'public rooms and rooms they own. The stream completes when the room is destroyed.',
    skipTypeScopes: true,
    authScopes: ANYONE,
    args: {
      room: t.arg.string({ required: true, description: 'The room’s name (case-insensitive).' }),
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
    },
    subscribe: async (_root, args, ctx) => {
      const service = serviceOf(args.service);
      const room = await findRoom(ctx, service, args.room);
      const staff = ctx.caller.role !== 'user';
      const owner = !staff && room !== null && (await ownsRoom(ctx, room.owners));
      // An end user learns nothing of a room they may not see, not even that it exists.
      if (room === null || !(staff || owner || isPublic(room))) {
        throw gatewayError('NOT_FOUND', `No chat room "${args.room}" in service "${service}"`, 'RoomNotFoundException');
      }
      const topic = roomOccupantsTopic({ service, room: room.roomName });
      return stream(ctx, topic, occupantsView(staff || owner));
    },
    resolve: delivered,
  }),
}));
