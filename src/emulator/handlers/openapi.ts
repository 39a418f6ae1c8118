import { stringify } from 'yaml';
import type { RouteKey } from '../../upstream/routes.js';
import type { Handler, HandlerContext, Reply } from '../http/types.js';
import { openApiDocument } from '../openapi.js';

/**
 * `CustomOpenApiResource` (openfire-rest-api.md §13): the YAML document needs no auth, the JSON one does (the auth
 * filter sees to that). The security scheme follows `plugin.restapi.httpAuth` as it was when the plugin loaded.
 */
function documentText(ctx: HandlerContext): { yaml: string; json: string } {
  const doc = openApiDocument(ctx.httpAuthAtLoad);
  // Schemas are shared between operations; written out in full rather than as YAML anchors.
  return { yaml: stringify(doc, { aliasDuplicateObjects: false }), json: JSON.stringify(doc, null, 2) };
}

const document =
  (format: 'yaml' | 'json'): Handler =>
  (_req, ctx): Reply => ({
    kind: 'raw',
    status: 200,
    contentType: format === 'yaml' ? 'application/yaml' : 'application/json',
    body: documentText(ctx)[format],
  });

export const openapiHandlers = {
  'GET /openapi.yaml': document('yaml'),
  'GET /openapi.json': document('json'),
} satisfies Partial<Record<RouteKey, Handler>>;
