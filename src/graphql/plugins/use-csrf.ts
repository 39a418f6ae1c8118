import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

/** The header a GET or form-like POST must carry; a browser sends it only after a CORS preflight. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * CSRF prevention: a request a browser could send cross-site without a preflight (GET, or a POST with a form or
 * text body) must carry {@link CSRF_HEADER}, or the plugin refuses it with its own error (HTTP 403). JSON POSTs are
 * preflighted anyway and pass as they are.
 */
export const useCsrf = (): Plugin => useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
