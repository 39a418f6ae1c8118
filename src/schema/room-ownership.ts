import type { RoomKey } from '../request/loaders.js';
import type { Context } from './context.js';

/** The bare JID of the signed-in end user, or null for other callers. */
export async function callerJid(ctx: Context): Promise<string | null> {
  const { username } = ctx.caller;
  return ctx.caller.role === 'user' && username ? `${username}@${await ctx.domain()}` : null;
}

/** Whether the signed-in end user is an individual owner of a room (its owners list as Openfire reports it). */
export async function ownsRoom(ctx: Context, owners: readonly string[]): Promise<boolean> {
  const jid = await callerJid(ctx);
  return jid !== null && owners.some((owner) => owner.toLowerCase() === jid);
}

/** The same, for a room known by its key (a mutation's arguments): the room is read through the request's loader. */
export async function ownsRoomByKey(ctx: Context, key: RoomKey): Promise<boolean> {
  if (ctx.caller.role !== 'user') return false;
  const room = await ctx.loaders.room.load(key);
  return room !== null && ownsRoom(ctx, room.owners);
}
