import type { RouteKey } from '../../upstream/routes.js';
import { kickSessions } from '../domain.js';
import { empty, entity, type Handler } from '../http/types.js';

/**
 * Session records carry exactly the entity's fields; null presence fields are left out (openfire-rest-api.md §7.14).
 */
const all: Handler = (_req, ctx) => entity('sessions', { sessions: ctx.store.state.sessions });

// The raw path value, no stringprep: case-sensitive, and an unknown user is an empty list, not a 404
// (openfire-rest-api.md §7.14).
const ofUser: Handler = (req, ctx) => {
  const username = req.params.username ?? '';
  const sessions = ctx.store.state.sessions.filter((s) => s.username === username);
  return entity('sessions', { sessions });
};

const kick: Handler = (req, ctx) => {
  kickSessions(ctx.store, req.params.username ?? '');
  return empty(200);
};

/** Root `sessions` like the session list, but counts (openfire-rest-api.md §7.12). */
const counts: Handler = (_req, ctx) => {
  const { sessions } = ctx.store.state;
  return entity('sessionCounts', {
    localSessions: sessions.filter((s) => s.node === 'Local').length,
    clusterSessions: sessions.length,
  });
};

export const sessionHandlers = {
  'GET /sessions': all,
  'GET /sessions/{username}': ofUser,
  'DELETE /sessions/{username}': kick,
  'GET /system/statistics/sessions': counts,
} satisfies Partial<Record<RouteKey, Handler>>;
