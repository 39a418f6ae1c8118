import { secretMatcher } from '../common/secrets.js';
import type { Metrics } from '../observability/metrics.js';

/** `GET /metrics`: Prometheus text; with a token, only for `Authorization: Bearer <token>` (compared in constant time). */
export function metricsEndpoint(metrics: Metrics, token: string | null): (request: Request) => Promise<Response> {
  const isToken = token === null ? null : secretMatcher(token);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
    if (isToken) {
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization')?.trim() ?? '')?.[1];
      if (bearer === undefined || !isToken(bearer)) {
        return new Response('Send the metrics token as "Authorization: Bearer <token>".\n', {
          status: 401,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' },
        });
      }
    }
    const body = await metrics.registry.metrics();
    return new Response(request.method === 'HEAD' ? null : body, {
      headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
    });
  };
}
