import type { RouteKey } from '../../upstream/routes.js';
import { badRequest, notFound, UnmappedError } from '../errors.js';
import { empty, entity, type Handler } from '../http/types.js';
import type { Store } from '../store.js';

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/** `JiveGlobals.getProperty`: a registered property with only a default has no value (openfire-rest-api.md §7.10). */
function propertyValue(store: Store, key: string): string | null {
  return store.state.properties.get(key) ?? null;
}

/**
 * `JiveProperties.put` [of]: a null value deletes the key as given; otherwise a trailing `.` is cut, then the key is
 * trimmed. Registered default-only properties (null in the store) stay listed.
 */
function setProperty(store: Store, key: string, value: string | null): void {
  const { properties } = store.state;
  if (value === null) {
    if (propertyValue(store, key) !== null) properties.delete(key);
    return;
  }
  properties.set((key.endsWith('.') ? key.slice(0, -1) : key).trim(), value);
}

const propertyNotFound = (message: string, key: string | null) => notFound('PropertyNotFoundException', message, key);

const list: Handler = (_req, ctx) =>
  entity('properties', {
    property: [...ctx.store.state.properties].sort(byKey).map(([key, value]) => ({ key, value })),
  });

const get: Handler = (req, ctx) => {
  const key = req.params.propertyKey ?? '';
  const value = propertyValue(ctx.store, key);
  if (value === null) throw propertyNotFound('Could not find property', key);
  return entity('property', { key, value });
};

// No existence check: POST overwrites (openfire-rest-api.md §7.10); a missing entity or key is an NPE.
const create: Handler = (req, ctx) => {
  const key = req.body?.key;
  if (key === null || key === undefined) throw new UnmappedError('property key is null');
  setProperty(ctx.store, key as string, req.body?.value as string | null);
  return empty(201);
};

// Existence is checked on the path key but reported with the body key (openfire-rest-api.md §7.10); a missing entity is
// an NPE.
const update: Handler = (req, ctx) => {
  const path = req.params.propertyKey ?? '';
  if (req.body === null) throw new UnmappedError('property entity is null');
  const key = req.body.key as string | null;
  if (propertyValue(ctx.store, path) === null) throw propertyNotFound('Could not find property for update', key);
  if (key === null) throw new UnmappedError('property key is null');
  if (key !== path) {
    throw badRequest('IllegalArgumentException', "Path property name and entity property name doesn't match", path);
  }
  setProperty(ctx.store, path, req.body.value as string | null);
  return empty(200);
};

const remove: Handler = (req, ctx) => {
  const key = req.params.propertyKey ?? '';
  if (propertyValue(ctx.store, key) === null) throw propertyNotFound('Could not find property', key);
  ctx.store.state.properties.delete(key);
  return empty(200);
};

export const systemPropertyHandlers = {
  'GET /system/properties': list,
  'GET /system/properties/{propertyKey}': get,
  'POST /system/properties': create,
  'PUT /system/properties/{propertyKey}': update,
  'DELETE /system/properties/{propertyKey}': remove,
} satisfies Partial<Record<RouteKey, Handler>>;
