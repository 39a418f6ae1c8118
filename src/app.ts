import { createServerAdapter } from '@whatwg-node/server';

/**
 * The gateway as one fetch handler (`app.fetch(request)` in tests, a node request listener in `main.ts`). This
 * issue's scope is the process liveness route; GraphQL and the legacy service mount here in later issues.
 */
export interface AppDeps {
  /** The Openfire REST API base URL the gateway talks to. */
  readonly upstreamUrl: string;
}

export function createApp(deps: AppDeps) {
  return createServerAdapter((request: Request): Response => {
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
      return Response.json({ status: 'ok', upstream: deps.upstreamUrl });
    }
    return new Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  });
}
