import type { ChatRoom as ChatRoomModel } from '../upstream/model.js';
import { builder } from './builder.js';
import { ChatRoom, DEFAULT_SERVICE, type RoomNode, serviceOf } from './chat-room.js';
import type { Context } from './context.js';
import { type Affiliation, RoomAffiliation } from './room-affiliation.js';
import { STAFF_OR_SELF, staffOr } from './scopes.js';
import { User } from './user.js';

/**
 * The inverse of room affiliations: the rooms a user owns, administers, belongs to or is banned from, directly or
 * through a group. Openfire has no per-user lookup, so one room list per service (groups expanded) answers it for
 * every user in the request.
 */
const LISTS: ReadonlyArray<readonly [Affiliation, 'owners' | 'admins' | 'members' | 'outcasts']> = [
  ['owner', 'owners'],
  ['admin', 'admins'],
  ['member', 'members'],
  ['outcast', 'outcasts'],
];

interface UserRoom {
  readonly affiliation: Affiliation;
  readonly room: RoomNode;
}

/**
 * A service's rooms with group affiliations expanded (to match users) and as they are (to show, primed into the room
 * cache): two list calls per service, made once per request whatever the number of users asked about.
 */
async function roomsOfService(ctx: Context, servicename: string): Promise<ChatRoomModel[]> {
  const [expanded, plain] = await Promise.all([
    ctx.upstream.find('GET /chatrooms', { query: { servicename, type: 'all', expandGroups: true } }),
    ctx.upstream.find('GET /chatrooms', { query: { servicename, type: 'all' } }),
  ]);
  for (const room of plain ?? []) ctx.loaders.room.prime({ service: servicename, name: room.roomName }, room);
  return expanded ?? [];
}

const UserRoomAffiliation = builder.objectRef<UserRoom>('UserRoomAffiliation').implement({
  description: 'A room and the affiliation a user holds with it.',
  // End users reach only their own (`User.chatRooms` grants `membership`).
  authScopes: staffOr('membership'),
  fields: (t) => ({
    affiliation: t.field({ type: RoomAffiliation, resolve: (r) => r.affiliation }),
    // A room one holds an affiliation with shows its name, subject and occupants, even when members-only.
    room: t.field({ type: ChatRoom, grantScopes: ['roomBasic'], resolve: (r) => r.room }),
  }),
});

builder.objectField(User, 'chatRooms', (t) =>
  t.field({
    type: [UserRoomAffiliation],
    description: 'Rooms of a MUC service where the user holds an affiliation, directly or through a group.',
    authScopes: STAFF_OR_SELF,
    grantScopes: ['membership'],
    args: {
      service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
      affiliation: t.arg({ type: RoomAffiliation, description: 'Only this affiliation.' }),
    },
    resolve: async (user, args, ctx) => {
      const service = serviceOf(args.service);
      const jid = `${user.username}@${await ctx.domain()}`;
      const rooms = await roomsOfService(ctx, service);
      const held = await Promise.all(
        rooms.map(async (expanded) => {
          const holds = LISTS.filter(
            ([a, list]) => (!args.affiliation || args.affiliation === a) && expanded[list].includes(jid),
          );
          if (holds.length === 0) return [];
          const room = await ctx.loaders.room.load({ service, name: expanded.roomName });
          return room ? holds.map(([affiliation]) => ({ affiliation, room: { ...room, service } })) : [];
        }),
      );
      return held.flat();
    },
  }),
);
