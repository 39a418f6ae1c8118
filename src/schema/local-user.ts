import type { Context } from '../context.js';
import type { User } from '../upstream/model.js';

/** JIDs of the server's own users, as relations (roster items, affiliates, occupants, group members) meet them. */

/** The username behind a bare or full JID of the local domain; `null` for remote or domain-only JIDs. */
export function localUsername(jid: string, domain: string): string | null {
  const bare = (jid.split('/')[0] ?? '').toLowerCase();
  const at = bare.indexOf('@');
  return at > 0 && bare.slice(at + 1) === domain.toLowerCase() ? bare.slice(0, at) : null;
}

/** The local user behind a JID, through the request's user loader; `null` for remote JIDs and unknown users. */
export async function localUser(ctx: Context, jid: string): Promise<User | null> {
  const username = localUsername(jid, await ctx.domain());
  return username === null ? null : ctx.loaders.user.load(username);
}
