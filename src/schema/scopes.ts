import type { Context } from './context.js';

/**
 * The scope maps the schema uses, named once (docs/auth.md has the table): what administrators, read keys and end
 * users may use. Object types state one of them; fields narrow it.
 */

/** Every signed-in caller: administrators, read keys and end users. */
export const ANYONE = { admin: true, read: true, user: true } as const;

/**
 * An object type that every signed-in caller may read (ANYONE), declared in the type's extensions rather than as
 * its Pothos `authScopes`. Operations only run for a caller, and every caller has one of the three roles (`Role`,
 * src/request/caller.ts), so that type scope could never fail; but Pothos runs a type's scopes on each field of
 * each object, which cost an org chart two closures per field and kept graphql-jit from reading plain fields
 * inline (docs/benchmarks.md, Big answers). The type's fields still narrow it with their own scopes; the scope
 * table of docs/auth.md shows it as ANYONE.
 */
export const OPEN_TYPE = { extensions: { scopes: 'ANYONE' } } as const;

/** Whether a type's extensions declare it `OPEN_TYPE`. */
export const isOpenType = (extensions: Readonly<Record<string, unknown>> | null | undefined): boolean =>
  extensions?.scopes === OPEN_TYPE.extensions.scopes;

/** Administrators and read keys only. */
export const STAFF = { admin: true, read: true } as const;

/** Administrators and read keys, and end users where the scope was granted (`self`, `roomOwner`…). */
export const staffOr = <G extends string>(granted: G) => ({ admin: true, read: true, $granted: granted }) as const;

/** A room's settings and affiliations: administrators, read keys and the room's owners (granted per room). */
export const ROOM_OWNER = staffOr('roomOwner');

/** End users only (their self-service fields). */
export const END_USER = { user: true } as const;

/**
 * A scope decided per request (on the caller's policy or the room a mutation names), with the words the scope
 * table of docs/auth.md shows for it: a function cannot be read back, so it carries its own description.
 */
export function decided<F extends (...args: never[]) => unknown>(label: string, decide: F): F & { label: string } {
  return Object.assign(decide, { label });
}

/** Whether a user object is the signed-in end user's own account. */
export const isSelf = (ctx: Context, user: { readonly username: string }): boolean =>
  ctx.caller.role === 'user' && ctx.caller.username === user.username.toLowerCase();

/**
 * A user's private fields: administrators, read keys, and the end user on their own account. Decided by each field
 * on its user object rather than granted by the `User` type: a type grant costs every field of every user in a list
 * a cache entry keyed by its path, about a tenth of an org chart's CPU.
 */
export const STAFF_OR_SELF = decided(
  'admin, read, the end user on their own account',
  (user: { readonly username: string }, _args: unknown, ctx: Context) => isSelf(ctx, user) || STAFF,
);
