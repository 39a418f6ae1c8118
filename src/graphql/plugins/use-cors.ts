import type { Plugin } from 'graphql-yoga';
import { CSRF_HEADER } from './use-csrf.js';

/**
 * Request headers a browser frontend may send: its credential, the body type, a correlation id, the CSRF header, and
 * the stream token of GraphQL over SSE's single-connection mode.
 */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'x-request-id',
  CSRF_HEADER,
  'x-graphql-event-stream-token',
].join(', ');

/**
 * CORS for `/graphql` with an allowlist of origins (yoga's own reflects any origin by default). Preflights are
 * answered here, before any GraphQL handling, so they never reach Openfire. Credentials travel in the
 * `Authorization` header, not in cookies, so `access-control-allow-credentials` is never sent.
 */
export function useCors(origins: readonly string[]): Plugin {
  const allowed = new Set(origins);
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method === 'OPTIONS')
        endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'content-length': '0' } }));
    },
    onResponse({ request, response }) {
      if (allowed.size === 0) return;
      // The answer depends on the origin whenever one may be allowed: caches must keep them apart.
      response.headers.append('vary', 'Origin');
      const origin = request.headers.get('origin');
      if (origin === null || !allowed.has(origin)) return;
      response.headers.set('access-control-allow-origin', origin);
      if (request.method === 'OPTIONS') {
        // PUT and DELETE reserve and stop streams of GraphQL over SSE's single-connection mode.
        response.headers.set('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
        response.headers.set('access-control-allow-headers', ALLOWED_HEADERS);
        response.headers.set('access-control-max-age', '600');
      } else {
        // WWW-Authenticate tells a frontend why its token was refused (an expired token: sign in again).
        response.headers.set('access-control-expose-headers', 'x-request-id, www-authenticate');
      }
    },
  };
}
