import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { Kind } from 'graphql';
import type { RoomKey } from '../request/loaders.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { ownsRoomByKey } from './room-ownership.js';

/**
 * The schema builder: plugins, defaults, scalars and the root types only; every domain type lives in its own file.
 * Fields are non-null unless declared `nullable`, so nullability is always a deliberate choice.
 *
 * Who may use what is declared on the schema (@pothos/plugin-scope-auth, docs/auth.md): every object type and
 * both root types state their scopes (`OPEN_TYPE` for a type every signed-in caller may read), fields narrow
 * them, and a check that fails answers FORBIDDEN before the field's resolver runs, so before any upstream call.
 * The scopes:
 * - `admin`, `read`, `user`: the caller's role (API key, token role, forwarded credential = admin);
 * - `roomOwner`: an end user who owns the room named by a mutation's arguments;
 * - a user's private fields decide on the user object itself (`STAFF_OR_SELF`: the user object is the caller);
 * - granted scopes (`$granted`), handed from a field to the object it returns, or by a type to its own fields:
 *   `contact`, `ownSession`, `membership`, `roomBasic` (a public room, or one the
 *   caller belongs to), `roomOwner` (a room the caller owns), `affiliate`, `occupant`, `occupantIdentity`.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: number } };
  AuthScopes: { admin: boolean; read: boolean; user: boolean; roomOwner: RoomKey };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin],
  scopeAuth: {
    // A subscription is refused when it is opened, not event by event.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      admin: ctx.caller.role === 'admin',
      read: ctx.caller.role === 'read',
      user: ctx.caller.role === 'user',
      roomOwner: (key) => ownsRoomByKey(ctx, key),
    }),
    cacheKey: (value) => JSON.stringify(value),
    unauthorizedError: (_parent, ctx, info) => {
      const { role } = ctx.caller;
      const readOnly = role === 'read' && info.operation.operation === 'mutation';
      const hint = readOnly ? ' This caller may only read; changes need an admin key or role.' : '';
      const who = role === 'user' ? 'end users' : `${role} callers`;
      return gatewayError('FORBIDDEN', `${info.parentType.name}.${info.fieldName} is not open to ${who}.${hint}`);
    },
  },
});

/** The builder's type parameters, for helpers that take refs. */
export type Types = typeof builder.$inferSchemaTypes;

builder.queryType({
  description: 'Read Openfire: users, groups, rosters, chat rooms, system state.',
  // Administrators and read keys by default; the fields open to end users say so themselves.
  authScopes: { admin: true, read: true },
});
builder.mutationType({
  description: 'Change Openfire; every mutation returns the changed object where there is one.',
  // Administrators by default; the self-service mutations of end users say so themselves.
  authScopes: { admin: true },
});

builder.subscriptionType({
  description:
    'Live data: each subscription is fed by a poll of Openfire shared by everyone who watches the same thing ' +
    '(docs/graphql.md, Subscriptions).',
  // Administrators and read keys by default; presence and room occupants say which end users they serve.
  authScopes: { admin: true, read: true },
});

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
