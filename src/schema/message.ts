import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { STAFF_OR_SELF } from './scopes.js';
import { User } from './user.js';
import { nonEmpty, jid as validJid } from './validate.js';

// Broadcast messages and the Monitoring plugin's unread counts (REST `/messages`, `/archive`,
// openfire-rest-api.md §7.15).

/** Unread count of one JID (the REST API counts one JID per call). */
const unread = async (ctx: Context, jid: string): Promise<number> =>
  (await ctx.upstream.call('GET /archive/messages/unread/{jid}', { path: { jid } })).count;

/**
 * The bare JID Openfire counts for (it ignores the resource, and a `/` cannot pass through its path parameter); a
 * plain username would be taken for a domain-only JID and silently count 0, so it is refused.
 */
function bareUserJid(value: string): string {
  const m = /^([^@/]+@[^@/]+)(\/.*)?$/.exec(validJid(value));
  if (!m?.[1]) throw gatewayError('BAD_USER_INPUT', '"jid" must be a user JID (user@domain, optionally /resource)');
  return m[1];
}

builder.queryFields((t) => ({
  unreadMessageCount: t.int({
    description:
      'Archived messages to this JID since its last logout (Monitoring plugin; 0 when the plugin is missing).',
    args: { jid: t.arg.string({ required: true, description: 'A bare or full user JID.' }) },
    resolve: (_root, args, ctx) => unread(ctx, bareUserJid(args.jid)),
  }),
}));

builder.objectFields(User, (t) => ({
  unreadMessageCount: t.int({
    description: 'Archived messages to the user since their last logout (Monitoring plugin; 0 when missing).',
    authScopes: STAFF_OR_SELF,
    resolve: async (user, _args, ctx) => unread(ctx, `${user.username}@${await ctx.domain()}`),
  }),
}));

builder.mutationFields((t) => ({
  broadcastMessage: t.boolean({
    description: 'Sends a server message to every connected session; true when sent.',
    args: { body: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.upstream.call('POST /messages/users', { body: { body: nonEmpty(args.body, 'body') } });
      return true;
    },
  }),
}));
