import SchemaBuilder from '@pothos/core';
import { Kind } from 'graphql';
import type { Context } from './context.js';

/**
 * The schema builder: plugins, defaults, scalars and the root types only; every domain type lives in its own file.
 * Fields are non-null unless declared `nullable`, so nullability is always a deliberate choice.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: number } };
}>({ defaultFieldNullability: false });

/** The builder's type parameters, for helpers that take refs. */
export type Types = typeof builder.$inferSchemaTypes;

builder.queryType({ description: 'Read Openfire: users, groups, rosters, chat rooms, system state.' });
builder.mutationType({ description: 'Change Openfire; every mutation returns the changed object where there is one.' });

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC, e.g. 2022-02-07T15:09:51.517Z.',
  serialize: (epochMs) => new Date(epochMs).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 string');
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be an ISO-8601 string');
    const date = new Date(ast.value);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 string');
    return date;
  },
});
