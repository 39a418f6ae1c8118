import { stringify } from 'yaml';
import type { RouteKey } from '../../upstream/routes.js';
import type { Handler, HandlerContext, Reply } from '../http/types.js';
import { openApiDocument } from '../openapi.js';
import type { Store } from '../store.js';

/**
 * `CustomOpenApiResource` (§13): the YAML document needs no auth, the JSON one does (the auth filter sees to that).
 * The security scheme is fixed when the plugin loads, so later changes of `plugin.restapi.httpAuth` do not show;
 * the emulator has no plugin load and takes the value each server's store has when first asked [ambiguous].
 */
const loadedWith = new WeakMap<Store, string>();
const texts = new WeakMap<object, { yaml: string; json: string }>();

function documentText({ store }: HandlerContext): { yaml: string; json: string } {
  let httpAuth = loadedWith.get(store);
  if (httpAuth === undefined) {
    httpAuth = store.property('plugin.restapi.httpAuth') ?? 'basic';
    loadedWith.set(store, httpAuth);
  }
  const doc = openApiDocument(httpAuth);
  let text = texts.get(doc);
  if (!text) {
    // Schemas are shared between operations; written out in full rather than as YAML anchors.
    text = { yaml: stringify(doc, { aliasDuplicateObjects: false }), json: JSON.stringify(doc, null, 2) };
    texts.set(doc, text);
  }
  return text;
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
