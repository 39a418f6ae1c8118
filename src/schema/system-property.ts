import type { SystemProperty as SystemPropertyModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { forCaller } from './credentials.js';
import { gatewayError } from './errors.js';
import { STAFF } from './scopes.js';
import { nonEmpty } from './validate.js';

/** Openfire system properties (REST `/system/properties`, openfire-rest-api.md §7.10). */
export const SystemProperty = builder.objectRef<SystemPropertyModel>('SystemProperty').implement({
  authScopes: STAFF,
  description: 'An Openfire system property. Openfire lists every property, sensitive values (secrets) included.',
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.string({
      nullable: true,
      description:
        'Null for a registered property that only has a default (listed, but not found by key), and for ' +
        'credential-like properties (secrets, passwords, tokens, keys) when the caller may only read.',
      resolve: (p, _args, ctx) => forCaller(ctx, p.value, p.key),
    }),
  }),
});

/** A property by key through the request's loader; `null` when Openfire has no value for it. */
async function findProperty(ctx: Context, key: string): Promise<SystemPropertyModel | null> {
  const value = await ctx.loaders.property.load(key);
  return value === null ? null : { key, value };
}

/** Re-reads a property after a change (the REST API answers writes without a body; the write emptied the caches). */
async function reloadProperty(ctx: Context, key: string): Promise<SystemPropertyModel> {
  const property = await findProperty(ctx, key);
  if (!property) throw gatewayError('NOT_FOUND', `No system property "${key}"`, 'PropertyNotFoundException');
  return property;
}

/**
 * The key Openfire stores on POST: one trailing `.` cut, then trimmed (`JiveProperties.put`,
 * openfire-rest-api.md §7.10).
 */
const storedKey = (key: string): string => (key.endsWith('.') ? key.slice(0, -1) : key).trim();

builder.queryFields((t) => ({
  systemProperty: t.field({
    type: SystemProperty,
    nullable: true,
    description: 'A system property by its exact key, or null when it has no value.',
    args: { key: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => findProperty(ctx, nonEmpty(args.key, 'key')),
  }),
  systemProperties: t.field({
    type: [SystemProperty],
    description: 'All system properties, sorted by key; `prefix` keeps the keys starting with it (by the gateway).',
    args: { prefix: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const properties = await ctx.upstream.call('GET /system/properties', {});
      for (const p of properties) ctx.loaders.property.prime(p.key, p.value);
      const { prefix } = args;
      return prefix ? properties.filter((p) => p.key.startsWith(prefix)) : properties;
    },
  }),
}));

builder.mutationFields((t) => ({
  setSystemProperty: t.field({
    type: SystemProperty,
    description:
      'Creates or overwrites a property. Openfire stores the key without one trailing "." and trimmed; the ' +
      'property is returned under that key.',
    args: { key: t.arg.string({ required: true }), value: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const key = nonEmpty(storedKey(args.key), 'key');
      await ctx.upstream.call('POST /system/properties', { body: { key, value: args.value } });
      return reloadProperty(ctx, key);
    },
  }),
  updateSystemProperty: t.field({
    type: SystemProperty,
    description: 'Changes the value of an existing property; NOT_FOUND when it has none.',
    args: { key: t.arg.string({ required: true }), value: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const key = nonEmpty(args.key, 'key');
      // Openfire checks existence itself and answers 404 PropertyNotFoundException, so no lookup first.
      await ctx.upstream.call('PUT /system/properties/{propertyKey}', {
        path: { propertyKey: key },
        body: { key, value: args.value },
      });
      return reloadProperty(ctx, key);
    },
  }),
  deleteSystemProperty: t.boolean({
    description: 'Deletes a property; true when done, NOT_FOUND when it has no value.',
    args: { key: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const key = nonEmpty(args.key, 'key');
      await ctx.upstream.call('DELETE /system/properties/{propertyKey}', { path: { propertyKey: key } });
      return true;
    },
  }),
}));
