/**
 * The gateway's own routes, in one table: the router (src/app.ts) dispatches on them and logs and metrics use them
 * as the `route` label, a fixed set whatever paths clients try.
 */
export type AppRoute = '/graphql' | '/graphiql' | '/userservice' | '/healthz' | '/readyz' | '/metrics';

/** Where old clients call the legacy interface: the original plugin, the REST plugin's documented and real paths. */
export const LEGACY_PATHS: readonly string[] = [
  '/userservice',
  '/plugins/userService/userservice',
  '/plugins/restapi/userservice',
  '/plugins/restapi/v1/userservice',
];

const EXACT: ReadonlyMap<string, AppRoute> = new Map<string, AppRoute>([
  ['/graphql', '/graphql'],
  ['/healthz', '/healthz'],
  ['/readyz', '/readyz'],
  ['/metrics', '/metrics'],
  ...LEGACY_PATHS.map((path) => [path, '/userservice'] as const),
]);

/** The route a path belongs to; `other` when it is none of the gateway's. */
export function routeOf(pathname: string): AppRoute | 'other' {
  const exact = EXACT.get(pathname);
  if (exact) return exact;
  return pathname.startsWith('/graphiql/') ? '/graphiql' : 'other';
}
