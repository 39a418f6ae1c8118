import { sessionCountsTopic, sessionCountsView } from '../live/topics/session-counts.js';
import { type SessionEvent as SessionEventModel, sessionEventsView, sessionsTopic } from '../live/topics/sessions.js';
import type { SessionCounts as SessionCountsModel, Session as SessionModel } from '../upstream/model.js';
import { builder, type Types } from './builder.js';
import { delivered, stream } from './live.js';
import { connectionOf, paginate } from './pagination.js';
import { STAFF, STAFF_OR_SELF, staffOr } from './scopes.js';
import { User } from './user.js';
import { username as validUsername } from './validate.js';

/** Openfire reports anonymous sessions under this name; no account can have it (usernames are lowercase). */
const ANONYMOUS = 'Anonymous';

/**
 * Client sessions (REST `/sessions`, openfire-rest-api.md §7.14) and the session statistics
 * (openfire-rest-api.md §7.12).
 */
/** A session's own fields, shared by `Session` and the relation-free `LiveSession` of session events. */
const sessionFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, SessionModel>) => ({
  sessionId: t.exposeString('sessionId', { description: 'The session’s full JID.' }),
  username: t.exposeString('username', { description: '`Anonymous` for anonymous sessions.' }),
  resource: t.exposeString('resource', { nullable: true }),
  node: t.exposeString('node', { nullable: true, description: '`Local` or `Remote` (another cluster node).' }),
  status: t.exposeString('sessionStatus', {
    nullable: true,
    description: '`Closed`, `Connected`, `Authenticated` or `Unknown`.',
  }),
  presenceStatus: t.exposeString('presenceStatus', {
    nullable: true,
    description: '`Online`, `Away`, `Available to Chat`, `Do Not Disturb`, `Extended Away`; null without presence.',
  }),
  presenceMessage: t.exposeString('presenceMessage', { nullable: true, description: 'The status text.' }),
  priority: t.exposeInt('priority', { description: 'Presence priority; 0 without presence.' }),
  hostAddress: t.exposeString('hostAddress', { nullable: true, description: 'The client’s IP address.' }),
  hostName: t.exposeString('hostName', { nullable: true, description: 'Null when the lookup failed.' }),
  creationDate: t.expose('creationDate', { type: 'DateTime', nullable: true }),
  lastActionDate: t.expose('lastActionDate', { type: 'DateTime', nullable: true }),
  secure: t.exposeBoolean('secure', { description: 'Whether the connection is encrypted.' }),
});

export const Session = builder.objectRef<SessionModel>('Session').implement({
  description: 'A client connection to Openfire, on this or another cluster node.',
  // End users reach only their own sessions (`User.sessions` grants `ownSession`).
  authScopes: staffOr('ownSession'),
  fields: (t) => ({
    ...sessionFields(t),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The session’s account; null for anonymous sessions.',
      resolve: (session, _args, ctx) =>
        session.username === ANONYMOUS ? null : ctx.loaders.user.load(session.username),
    }),
  }),
});

const LiveSession = builder.objectRef<SessionModel>('LiveSession').implement({
  description: 'A session as a session event carries it: as the poll read it, without relations.',
  authScopes: STAFF,
  fields: sessionFields,
});

const SessionEventKind = builder.enumType('SessionEventKind', {
  values: {
    STARTED: { description: 'A session opened (or was first seen).' },
    CHANGED: {
      description: 'Its presence, priority, status, node or address changed (`lastActionDate` alone does not count).',
    },
    ENDED: { description: 'It closed; the session as last seen.' },
  } as const,
});

const SessionEvent = builder.objectRef<SessionEventModel>('SessionEvent').implement({
  description: 'A change between two polls of Openfire’s session list.',
  authScopes: STAFF,
  fields: (t) => ({
    kind: t.field({ type: SessionEventKind, resolve: (event) => event.kind }),
    session: t.field({ type: LiveSession, resolve: (event) => event.session }),
  }),
});

const SessionConnection = connectionOf('Session', Session);

const SessionCounts = builder.objectRef<SessionCountsModel>('SessionCounts').implement({
  authScopes: STAFF,
  description: 'How many client sessions are open.',
  fields: (t) => ({
    local: t.exposeInt('localSessions', { description: 'User sessions on the node the gateway talks to.' }),
    cluster: t.exposeInt('clusterSessions', { description: 'User sessions on every cluster node.' }),
  }),
});

builder.objectFields(User, (t) => ({
  sessions: t.field({
    type: [Session],
    description: 'The user’s client sessions.',
    authScopes: STAFF_OR_SELF,
    grantScopes: ['ownSession'],
    resolve: (user, _args, ctx) => ctx.loaders.sessions.load(user.username),
  }),
  online: t.boolean({
    description: 'Whether the user has at least one client session.',
    authScopes: STAFF_OR_SELF,
    resolve: async (user, _args, ctx) => (await ctx.loaders.sessions.load(user.username)).length > 0,
  }),
}));

builder.queryFields((t) => ({
  sessions: t.field({
    type: SessionConnection,
    description: 'Client sessions, all or of one user.',
    args: {
      username: t.arg.string({ description: 'Exactly as Openfire stores it (the REST API matches case-sensitively).' }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      if (args.username !== null && args.username !== undefined) {
        return paginate(await ctx.loaders.sessions.load(validUsername(args.username)), args);
      }
      const sessions = await ctx.upstream.call('GET /sessions', {});
      const byUser = new Map<string, SessionModel[]>();
      for (const s of sessions) byUser.set(s.username, [...(byUser.get(s.username) ?? []), s]);
      for (const [username, own] of byUser) ctx.loaders.sessions.prime(username, own);
      return paginate(sessions, args);
    },
  }),
  sessionCounts: t.field({
    type: SessionCounts,
    description: 'Open client sessions, on this node and cluster-wide.',
    resolve: (_root, _args, ctx) => ctx.upstream.call('GET /system/statistics/sessions', {}),
  }),
}));

builder.subscriptionFields((t) => ({
  sessionEvents: t.field({
    type: SessionEvent,
    description:
      'Sessions starting, changing and ending, as polls of `GET /sessions` find them (every `SUBSCRIPTION_POLL_MS`).',
    args: {
      current: t.arg.boolean({
        defaultValue: false,
        description: 'First a STARTED event for each session open now, so a list can be built from the stream alone.',
      }),
    },
    subscribe: (_root, args, ctx) => stream(ctx, sessionsTopic, sessionEventsView(args.current ?? false)),
    resolve: delivered,
  }),
  sessionCounts: t.field({
    type: SessionCounts,
    description: 'The session counts now, then whenever they change.',
    subscribe: (_root, _args, ctx) => stream(ctx, sessionCountsTopic, sessionCountsView),
    resolve: delivered,
  }),
}));

builder.mutationFields((t) => ({
  kickSessions: t.boolean({
    description: 'Closes every session of the user (a `not-authorized` stream error); true, even when there was none.',
    args: { username: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const username = validUsername(args.username);
      await ctx.upstream.call('DELETE /sessions/{username}', { path: { username } });
      return true;
    },
  }),
}));
