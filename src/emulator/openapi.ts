/**
 * The plugin's OpenAPI document (openfire-rest-api.md §13), generated from the shared route table and the entity
 * catalog rather than written per endpoint. swagger-core scans the resource classes once, at plugin load.
 */
import {
  type EntityName,
  type RouteKey,
  type RouteSpec,
  routeKeys,
  routes,
  splitRouteKey,
} from '../upstream/routes.js';
import { affiliationLists, catalog } from './entities/catalog.js';
import type { EntitySchema, Field } from './entities/schema.js';

/** The plugin release the emulator stands in for (openfire-rest-api.md §0). */
const PLUGIN_VERSION = '1.12.0';

type Json = Record<string, unknown>;

const TAGS: ReadonlyArray<readonly [name: string, description: string]> = [
  ['Users', 'Managing Openfire users, their group memberships, rosters, lockouts and vCards.'],
  ['User Group', 'Managing Openfire user groupings.'],
  ['Chat room', 'Managing Multi-User chat rooms and their affiliations.'],
  ['Chat service', 'Managing Multi-User chat services.'],
  ['System', 'Managing Openfire system configuration and health.'],
  ['Statistics', 'Access server-wide statistics.'],
  ['Clustering', 'Reporting the status of Openfire clustering.'],
  ['Client Sessions', 'Managing live client sessions.'],
  ['Message', 'Sending (chat) messages to users.'],
  ['Message Archive', 'Server-sided storage of chat messages.'],
  ['Security Audit Log', 'Inspecting the security audit log.'],
  ['UserService (deprecated)', 'The query-string interface of the former User Service plugin, kept for compatibility.'],
];

/** Tag of each resource class, by path prefix; the longest matching prefix wins. */
const TAG_BY_PREFIX: ReadonlyArray<readonly [prefix: string, tag: string]> = [
  ['/system/statistics', 'Statistics'],
  ['/chatservices', 'Chat service'],
  ['/chatrooms', 'Chat room'],
  ['/userservice', 'UserService (deprecated)'],
  ['/lockouts', 'Users'],
  ['/users', 'Users'],
  ['/groups', 'User Group'],
  ['/system', 'System'],
  ['/clustering', 'Clustering'],
  ['/sessions', 'Client Sessions'],
  ['/messages', 'Message'],
  ['/archive', 'Message Archive'],
  ['/logs', 'Security Audit Log'],
];

/**
 * Query parameter types and defaults (openfire-rest-api.md §5.8, §5.10, §5.13); unlisted parameters are plain strings.
 */
const QUERY_SCHEMAS: Readonly<Record<string, Json>> = {
  servicename: { type: 'string', default: 'conference' },
  type: { type: 'string', default: 'public' },
  expandGroups: { type: 'boolean', default: false },
  sendInvitations: { type: 'boolean', default: false },
  encrypted: { type: 'boolean' },
  offset: { type: 'integer', format: 'int32', default: 0 },
  limit: { type: 'integer', format: 'int32', default: 100 },
  startTime: { type: 'integer', format: 'int64', default: 0 },
  endTime: { type: 'integer', format: 'int64', default: 0 },
};

/**
 * Creations answer 201; these POSTs (and the affiliation PUT) do not follow that rule
 * (openfire-rest-api.md §5.8, §5.9, §5.14).
 */
const STATUS_EXCEPTIONS: Partial<Record<RouteKey, string>> = {
  'POST /chatrooms/bulk': '200',
  'POST /chatrooms/{roomName}/invite/{jid}': '200',
  'POST /chatrooms/{roomName}/invite': '200',
  'POST /userservice': '200',
  'PUT /chatrooms/{roomName}/{affiliation}': '201',
};

const HIDDEN = new Set<RouteKey>(['GET /openapi.yaml', 'GET /openapi.json']);

const schemaName = (schema: EntitySchema): string => schema.javaClass.slice(schema.javaClass.lastIndexOf('.') + 1);
const ref = (schema: EntitySchema): Json => ({ $ref: `#/components/schemas/${schemaName(schema)}` });

const SCALARS: Readonly<Record<string, Json>> = {
  string: { type: 'string' },
  int: { type: 'integer', format: 'int32' },
  long: { type: 'integer', format: 'int64' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date-time' },
};

/** Adds a schema and every entity it nests to the components, keyed by Java class name. */
function collect(schema: EntitySchema, into: Map<string, Json>): void {
  const name = schemaName(schema);
  if (into.has(name)) return;
  const properties: Json = {};
  into.set(name, { type: 'object', properties, xml: { name: schema.root } });
  for (const [key, field] of Object.entries(schema.fields)) {
    properties[field.kind === 'list' ? field.json : key] = fieldSchema(field, into);
  }
}

function fieldSchema(field: Field, into: Map<string, Json>): Json {
  if (field.kind !== 'list') {
    return field.attribute ? { ...SCALARS[field.kind], xml: { attribute: true } } : { ...SCALARS[field.kind] };
  }
  let items: Json;
  if (field.of === 'string') {
    items = { type: 'string', xml: { name: field.item } };
  } else {
    collect(field.of, into);
    items = { ...ref(field.of), xml: { name: field.item } };
  }
  const array: Json = { type: 'array', items };
  return field.wrapper ? { ...array, xml: { name: field.wrapper, wrapped: true } } : array;
}

/** The media types and schema of a route's body or response (`vcard` is raw XML, `affiliations` one of four lists). */
function content(entity: EntityName | 'vcard'): Json {
  if (entity === 'vcard') return { 'application/xml': { schema: { type: 'string' } } };
  const schema = entity === 'affiliations' ? { oneOf: Object.values(affiliationLists).map(ref) } : ref(catalog[entity]);
  return { 'application/xml': { schema }, 'application/json': { schema } };
}

function successStatus(key: RouteKey, method: string): string {
  return STATUS_EXCEPTIONS[key] ?? (method === 'POST' ? '201' : '200');
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** `GET /users/{username}` → `getUsersByUsername`: unique and stable, as operation ids must be. */
function operationId(method: string, template: string): string {
  const words = template
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      return param ? `By${capitalise(param)}` : segment.split(/[-_.]/).map(capitalise).join('');
    });
  return method.toLowerCase() + words.join('');
}

function parameters(spec: RouteSpec, template: string): Json[] {
  const oneOf: Readonly<Record<string, readonly string[]>> = spec.oneOf ?? {};
  const path = [...template.matchAll(/\{(\w+)\}/g)].map(([placeholder, name]) => {
    if (name === undefined) throw new Error(`${placeholder} in ${template}: the name group always takes part`);
    const values = oneOf[name];
    const schema = values ? { type: 'string', enum: [...values] } : { type: 'string' };
    return { name, in: 'path', required: true, schema };
  });
  const query = (spec.query ?? []).map((name) => ({
    name,
    in: 'query',
    schema: QUERY_SCHEMAS[name] ?? { type: 'string' },
  }));
  return [...path, ...query];
}

function operation(key: RouteKey, method: string, template: string): Json {
  const spec: RouteSpec = routes[key];
  const tag = TAG_BY_PREFIX.find(([prefix]) => template === prefix || template.startsWith(`${prefix}/`))?.[1];
  const op: Json = { tags: [tag], operationId: operationId(method, template) };
  if (spec.auth === 'legacy') op.deprecated = true;
  const params = parameters(spec, template);
  if (params.length > 0) op.parameters = params;
  if (spec.body) op.requestBody = { content: content(spec.body) };
  const success: Json = { description: 'Success' };
  // Health checks answer by status alone; only the hidden documentation routes respond with `yaml`/`json`.
  if (spec.response === 'status') op.responses = { '200': success, '503': { description: 'Not healthy' } };
  else {
    if (spec.response) success.content = content(spec.response as EntityName | 'vcard');
    op.responses = { [successStatus(key, method)]: success };
  }
  return op;
}

function components(): Json {
  const schemas = new Map<string, Json>();
  for (const schema of [...Object.values(catalog), ...Object.values(affiliationLists)]) collect(schema, schemas);
  return Object.fromEntries([...schemas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * `basic` → HTTP Basic with an admin account; anything else → the shared secret in `Authorization`
 * (openfire-rest-api.md §13).
 */
function securityScheme(httpAuth: string): [string, Json] {
  return httpAuth === 'basic'
    ? ['Admin Console account', { type: 'http', scheme: 'basic' }]
    : ['Secret key auth', { type: 'apiKey', in: 'header', name: 'Authorization' }];
}

function build(httpAuth: string): Json {
  const paths: Record<string, Json> = {};
  for (const key of routeKeys.filter((k) => !HIDDEN.has(k))) {
    const { method, template } = splitRouteKey(key);
    const path = `/restapi/v1${template}`;
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(key, method, template) };
  }
  const [schemeName, scheme] = securityScheme(httpAuth);
  return {
    openapi: '3.0.1',
    info: {
      title: 'Openfire REST API',
      description: 'This is the documentation for a REST API of the Openfire Real-time communication server.',
      contact: { name: 'Ignite Realtime Foundation', url: 'https://www.igniterealtime.org' },
      license: { name: 'Apache 2.0', url: 'http://www.apache.org/licenses/LICENSE-2.0.html' },
      version: PLUGIN_VERSION,
    },
    servers: [{ url: '/plugins' }],
    security: [{ [schemeName]: [] }],
    tags: TAGS.map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas: components(), securitySchemes: { [schemeName]: scheme } },
  };
}

const documents = new Map<'basic' | 'secret', Json>();

/** The document for the `plugin.restapi.httpAuth` value the plugin was loaded with; built once per auth mode. */
export function openApiDocument(httpAuth: string): Json {
  const mode = httpAuth === 'basic' ? 'basic' : 'secret';
  let doc = documents.get(mode);
  if (!doc) {
    doc = build(mode);
    documents.set(mode, doc);
  }
  return doc;
}
