import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** The header a GET or form-like POST must carry; a browser sends it only after a CORS preflight. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * CSRF prevention: a request a browser could send cross-site without a preflight (GET, or a POST with a form or
 * text body) must carry {@link CSRF_HEADER}. JSON POSTs are preflighted anyway and pass as they are.
 */
export function useCsrf(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }).onRequestParse;
  if (!check) throw new Error('@graphql-yoga/plugin-csrf-prevention no longer checks in onRequestParse');
  return {
    onRequestParse(payload) {
      try {
        return check(payload);
      } catch {
        // The plugin's own message names no header; this one tells the client what to send.
        throw createGraphQLError(
          `GET and form-like POST requests need the ${CSRF_HEADER} header (any value): CSRF_PREVENTION is on`,
          {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 403 } },
          },
        );
      }
    },
  };
}
