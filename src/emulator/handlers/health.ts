import type { RouteKey } from '../../upstream/routes.js';
import { ContainerError } from '../errors.js';
import { boolQuery } from '../http/params.js';
import { type EmuRequest, empty, type Handler, type Reply } from '../http/types.js';
import { type ConnectionType, connectionTypes, type State } from '../store.js';

/** Health checks answer with an empty 200 or a bare 503 container page (openfire-rest-api.md §7.11). */
function healthy(ready: boolean): Reply {
  if (!ready) throw new ContainerError(503);
  return empty(200);
}

/** WEBADMIN and SOCKET_S2S always report ready; disabled listeners count as ready (openfire-rest-api.md §7.11). */
function listenerReady(state: State, type: ConnectionType, encrypted: boolean): boolean {
  if (type === 'WEBADMIN' || type === 'SOCKET_S2S') return true;
  const mode = `${type}:${encrypted ? 'encrypted' : 'plain'}`;
  return !state.health.connectionsNotReady.some((entry) => entry === type || entry === mode);
}

function allListenersReady(state: State): boolean {
  return connectionTypes.every((type) => listenerReady(state, type, true) && listenerReady(state, type, false));
}

const clusterReady = (state: State): boolean => !state.cluster.enabled || state.health.clusterStarted;

const isConnectionType = (value: string): value is ConnectionType =>
  (connectionTypes as readonly string[]).includes(value);

/**
 * An unknown enum name is a 400, and so is a type without `encrypted` (a null `Boolean` unboxed inside a
 * catch-all); without a type every listener counts, encrypted and plain (openfire-rest-api.md §7.11).
 */
function connectionsReady(req: EmuRequest, state: State): boolean {
  const type = req.query.get('connectionType');
  if (type === null) return allListenersReady(state);
  if (!isConnectionType(type) || req.query.get('encrypted') === null) throw new ContainerError(400);
  return listenerReady(state, type, boolQuery(req, 'encrypted'));
}

export const healthHandlers = {
  'GET /system/liveness': (_req, ctx) => {
    const { health } = ctx.store.state;
    return healthy(!health.deadlock && !health.restartRequired);
  },
  'GET /system/liveness/deadlock': (_req, ctx) => healthy(!ctx.store.state.health.deadlock),
  'GET /system/liveness/properties': (_req, ctx) => healthy(!ctx.store.state.health.restartRequired),
  'GET /system/readiness': (_req, ctx) => {
    const { state } = ctx.store;
    const { health } = state;
    return healthy(health.serverStarted && clusterReady(state) && health.pluginsLoaded && allListenersReady(state));
  },
  'GET /system/readiness/server': (_req, ctx) => healthy(ctx.store.state.health.serverStarted),
  'GET /system/readiness/cluster': (_req, ctx) => healthy(clusterReady(ctx.store.state)),
  'GET /system/readiness/plugins': (_req, ctx) => healthy(ctx.store.state.health.pluginsLoaded),
  'GET /system/readiness/connections': (req, ctx) => healthy(connectionsReady(req, ctx.store.state)),
} satisfies Partial<Record<RouteKey, Handler>>;
