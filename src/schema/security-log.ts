import { securityLogTopic, securityLogView } from '../live/topics/security-log.js';
import type { SecurityLogEntry as EntryModel } from '../upstream/model.js';
import { builder, type Types } from './builder.js';
import { forCaller } from './credentials.js';
import { gatewayError } from './errors.js';
import { delivered, stream } from './live.js';
import { connectionOf, offsetAfter, pageOf } from './pagination.js';
import { STAFF } from './scopes.js';
import { User } from './user.js';
import { username as validUsername } from './validate.js';

/**
 * Openfire's security audit log (REST `GET /logs/security`, openfire-rest-api.md §7.15): the one list the REST API
 * pages itself (offset/limit, newest first), so pages are fetched, not cut from a whole list.
 */
/** An entry's own fields, shared by `SecurityLogEntry` and the relation-free entries of the live log. */
const entryFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, EntryModel>) => ({
  logId: t.exposeID('logId'),
  username: t.exposeString('username', { description: 'Who acted.' }),
  timestamp: t.expose('timestamp', { type: 'DateTime', description: 'When, to the second.' }),
  summary: t.string({
    nullable: true,
    description: 'What was done. Null for a caller who may only read when it names a credential-like property.',
    resolve: (entry, _args, ctx) => forCaller(ctx, entry.summary),
  }),
  node: t.exposeString('node', { nullable: true, description: 'The cluster node it happened on.' }),
  details: t.string({
    nullable: true,
    description:
      'The change, e.g. `ldap.host = …` for a system property set in the admin console. Null for a caller who ' +
      'may only read when it names a credential-like property (its value would be there in clear text).',
    resolve: (entry, _args, ctx) => forCaller(ctx, entry.details),
  }),
});

const SecurityLogEntry = builder.objectRef<EntryModel>('SecurityLogEntry').implement({
  authScopes: STAFF,
  description: 'An administrative action recorded by Openfire’s security audit log.',
  fields: (t) => ({
    ...entryFields(t),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The acting account; null when it no longer exists.',
      resolve: (entry, _args, ctx) => ctx.loaders.user.load(entry.username),
    }),
  }),
});

const LiveSecurityLogEntry = builder.objectRef<EntryModel>('LiveSecurityLogEntry').implement({
  authScopes: { admin: true },
  description: 'A security audit log entry as the live log carries it: as the poll read it, without relations.',
  fields: entryFields,
});

const SecurityLogConnection = connectionOf(
  'SecurityLog',
  SecurityLogEntry,
  'All entries matching, when known: Openfire reports no total, so it is known on the last page only ' +
    '(null before; counting would mean fetching the whole log).',
);

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** Epoch seconds for Openfire, where 0 means unbounded, so instants before 1970-01-01T00:00:01Z cannot be sent. */
function epochSeconds(date: Date | null | undefined, argument: string): number | undefined {
  if (!date) return undefined;
  const seconds = Math.floor(date.getTime() / 1000);
  if (seconds < 1) throw gatewayError('BAD_USER_INPUT', `"${argument}" must be 1970-01-01T00:00:01Z or later`);
  return seconds;
}

builder.queryFields((t) => ({
  securityAuditLogs: t.field({
    type: SecurityLogConnection,
    description:
      'Security audit log entries, newest first, paged by Openfire (by offset: entries logged between two page ' +
      'requests shift the next page).',
    args: {
      username: t.arg.string({ description: 'Only entries of this user (exact).' }),
      from: t.arg({ type: 'DateTime', description: 'Entries at or after this instant (to the second).' }),
      to: t.arg({ type: 'DateTime', description: 'Entries at or before this instant (to the second).' }),
      first: t.arg.int({ description: `Page size, ${DEFAULT_PAGE} by default, at most ${MAX_PAGE}.` }),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? DEFAULT_PAGE;
      if (first < 0 || first > MAX_PAGE) {
        throw gatewayError('BAD_USER_INPUT', `"first" must be between 0 and ${MAX_PAGE}`);
      }
      const startTime = epochSeconds(args.from, 'from');
      const endTime = epochSeconds(args.to, 'to');
      if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
        throw gatewayError('BAD_USER_INPUT', '"from" must not be after "to"');
      }
      const offset = args.after ? offsetAfter(args.after) : 0;
      const username = args.username === null || args.username === undefined ? undefined : validUsername(args.username);
      // One entry more than asked tells whether there is a next page.
      const entries = await ctx.upstream.call('GET /logs/security', {
        query: { username, offset, limit: first + 1, startTime, endTime },
      });
      const nodes = entries.slice(0, first);
      const hasNextPage = entries.length > first;
      const pastEnd = nodes.length === 0 && offset > 0;
      return pageOf(nodes, offset, hasNextPage, hasNextPage || pastEnd ? null : offset + nodes.length);
    },
  }),
}));

builder.subscriptionFields((t) => ({
  securityAuditLog: t.field({
    type: LiveSecurityLogEntry,
    description:
      'Entries logged after the subscription began, oldest first, as polls of `GET /logs/security` find them. ' +
      'Openfire logs what is done in its admin console; changes made through the REST API (and so through this ' +
      'gateway) are not logged by Openfire.',
    skipTypeScopes: true,
    authScopes: { admin: true },
    subscribe: (_root, _args, ctx) => stream(ctx, securityLogTopic, securityLogView),
    resolve: delivered,
  }),
}));
