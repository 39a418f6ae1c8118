import type { User } from '../upstream/model.js';
import { localUsername } from '../xmpp/jid.js';
import type { Context } from './context.js';

/** JIDs of the server's own users, as relations (roster items, affiliates, occupants, group members) meet them. */

/** The local user behind a JID, through the request's user loader; `null` for remote JIDs and unknown users. */
export async function localUser(ctx: Context, jid: string): Promise<User | null> {
  const username = localUsername(jid, await ctx.domain());
  return username === null ? null : ctx.loaders.user.load(username);
}
