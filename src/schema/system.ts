import type { RouteKey, routes } from '../upstream/routes.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { STAFF } from './scopes.js';

/**
 * Openfire's liveness and readiness checks (REST `/system/liveness…`, `/system/readiness…`,
 * openfire-rest-api.md §7.11). Each field is its own upstream call, made only when selected and at most once per
 * request. The plain checks are the routes the table marks as answered by status alone, but the parameterised
 * connections check.
 */
type Check = Exclude<
  { [K in RouteKey]: (typeof routes)[K] extends { response: 'status' } ? K : never }[RouteKey],
  'GET /system/readiness/connections'
>;

const check = (ctx: Context, route: Check): Promise<boolean> => ctx.upstream.call(route, {});

const ConnectionType = builder.enumType('ConnectionType', {
  description: 'Kinds of Openfire connection listeners.',
  values: ['SOCKET_S2S', 'SOCKET_C2S', 'BOSH_C2S', 'WEBADMIN', 'COMPONENT', 'CONNECTION_MANAGER'] as const,
});

const HealthChecks = builder.objectRef<object>('HealthChecks').implement({
  authScopes: STAFF,
  description: 'The single checks behind liveness and readiness; true means healthy.',
  fields: (t) => ({
    noDeadlock: t.boolean({
      description: 'No JVM thread deadlock.',
      resolve: (_root, _args, ctx) => check(ctx, 'GET /system/liveness/deadlock'),
    }),
    noRestartRequired: t.boolean({
      description: 'No system property change waits for a restart.',
      resolve: (_root, _args, ctx) => check(ctx, 'GET /system/liveness/properties'),
    }),
    serverStarted: t.boolean({ resolve: (_root, _args, ctx) => check(ctx, 'GET /system/readiness/server') }),
    clusterReady: t.boolean({
      description: 'Clustering is disabled or has started.',
      resolve: (_root, _args, ctx) => check(ctx, 'GET /system/readiness/cluster'),
    }),
    pluginsLoaded: t.boolean({
      description: 'The plugin manager finished its initial load.',
      resolve: (_root, _args, ctx) => check(ctx, 'GET /system/readiness/plugins'),
    }),
    connectionsReady: t.boolean({
      description:
        'Connection listeners are ready (disabled ones count as ready): all of them, encrypted and plain, or ' +
        'those of one type and mode.',
      args: {
        connectionType: t.arg({ type: ConnectionType }),
        encrypted: t.arg.boolean({ description: 'Required with `connectionType`, meaningless without it.' }),
      },
      resolve: (_root, { connectionType, encrypted }, ctx) => {
        // Openfire answers 400 for a type without `encrypted` and ignores `encrypted` alone
        // (openfire-rest-api.md §7.11).
        const typed = connectionType !== null && connectionType !== undefined;
        if (typed !== (encrypted !== null && encrypted !== undefined)) {
          throw gatewayError('BAD_USER_INPUT', '"connectionType" and "encrypted" go together: give both or neither');
        }
        const query = typed ? { connectionType, encrypted: encrypted === true } : {};
        return ctx.upstream.call('GET /system/readiness/connections', { query });
      },
    }),
  }),
});

const Health = builder.objectRef<object>('Health').implement({
  authScopes: STAFF,
  description: 'Whether Openfire is alive and ready, as its health endpoints report.',
  fields: (t) => ({
    liveness: t.boolean({
      description: 'Alive: no thread deadlock and no property change waiting for a restart.',
      resolve: (_root, _args, ctx) => check(ctx, 'GET /system/liveness'),
    }),
    readiness: t.boolean({
      description: 'Ready: server started, cluster ready, plugins loaded and every connection listener ready.',
      resolve: (_root, _args, ctx) => check(ctx, 'GET /system/readiness'),
    }),
    checks: t.field({ type: HealthChecks, resolve: () => ({}) }),
  }),
});

builder.queryFields((t) => ({
  health: t.field({ type: Health, description: 'Openfire’s liveness and readiness checks.', resolve: () => ({}) }),
}));
