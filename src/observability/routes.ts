import { LEGACY_PATHS } from '../legacy/endpoint.js';

/** The `route` of logs and metrics: a fixed set, whatever paths clients try. */
export type RouteLabel = '/graphql' | '/graphiql' | '/userservice' | '/healthz' | '/readyz' | '/metrics' | 'other';

const EXACT: ReadonlyMap<string, RouteLabel> = new Map([
  ['/graphql', '/graphql'],
  ['/healthz', '/healthz'],
  ['/readyz', '/readyz'],
  ['/metrics', '/metrics'],
]);

export function routeLabel(pathname: string): RouteLabel {
  const exact = EXACT.get(pathname);
  if (exact) return exact;
  if (LEGACY_PATHS.has(pathname)) return '/userservice';
  return pathname.startsWith('/graphiql/') ? '/graphiql' : 'other';
}
