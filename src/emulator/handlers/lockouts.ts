import type { RouteKey } from '../../upstream/routes.js';
import { kickSessions } from '../domain.js';
import { empty, type Handler } from '../http/types.js';
import { getAndCheckUser } from './lookup.js';

/**
 * A permanent lockout, then every session gets a `not-authorized` stream error (openfire-rest-api.md §7.3). Lockout and
 * sessions are keyed by the raw path value, while the existence check is case-insensitive.
 */
const lockOut: Handler = (req, ctx) => {
  const username = req.params.username ?? '';
  getAndCheckUser(ctx.store, username);
  ctx.store.state.lockouts.add(username);
  kickSessions(ctx.store, username);
  return empty(201);
};

/** 200 also when the user was not locked out (openfire-rest-api.md §7.3). */
const unlock: Handler = (req, ctx) => {
  const username = req.params.username ?? '';
  getAndCheckUser(ctx.store, username);
  ctx.store.state.lockouts.delete(username);
  return empty(200);
};

export const lockoutHandlers = {
  'POST /lockouts/{username}': lockOut,
  'DELETE /lockouts/{username}': unlock,
} satisfies Partial<Record<RouteKey, Handler>>;
