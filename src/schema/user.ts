import type { User as UserModel, UserProperty as UserPropertyModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { forCaller } from './credentials.js';
import { gatewayError } from './errors.js';
import { connectionOf, paginate } from './pagination.js';
import { OPEN_TYPE, STAFF_OR_SELF } from './scopes.js';
import { renameWithRoles } from './user-rename.js';
import { username as validUsername } from './validate.js';

/** Openfire users (REST `/users`); relations to groups, rosters, sessions and vCards are added by those files. */
export const UserProperty = builder.objectRef<UserPropertyModel>('UserProperty').implement({
  // Reached only through `User.properties`, which admits the user's own account.
  ...OPEN_TYPE,
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.string({
      nullable: true,
      description: 'Null for a credential-like key (a password, secret, token…) when the caller may only read.',
      resolve: (p, _args, ctx) => forCaller(ctx, p.value, p.key),
    }),
  }),
});

export const User = builder.objectRef<UserModel>('User').implement({
  description:
    'An Openfire user account. Everyone signed in may read a username, name and JID; the rest is for ' +
    'administrators, read keys, and the user themself.',
  // Any signed-in caller reaches users (contacts, room affiliates…); what is private is one's own account's.
  ...OPEN_TYPE,
  fields: (t) => ({
    username: t.exposeString('username', { description: 'The JID node, lowercase.' }),
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true, authScopes: STAFF_OR_SELF }),
    properties: t.field({ type: [UserProperty], authScopes: STAFF_OR_SELF, resolve: (user) => user.properties }),
    jid: t.string({
      description: 'The bare JID (`username@domain`).',
      resolve: (user, _args, ctx) => jidOf(ctx, user.username),
    }),
  }),
});

const UserConnection = connectionOf('User', User);

const UserPropertyInput = builder.inputType('UserPropertyInput', {
  fields: (t) => ({ key: t.string({ required: true }), value: t.string({ required: true }) }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string(),
    email: t.string(),
    properties: t.field({ type: [UserPropertyInput] }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'Only the fields given change; `properties`, when given, replace all of the user’s properties.',
  fields: (t) => ({
    password: t.string(),
    name: t.string(),
    email: t.string(),
    properties: t.field({ type: [UserPropertyInput] }),
  }),
});

async function jidOf(ctx: Context, username: string): Promise<string> {
  return `${username}@${await ctx.domain()}`;
}

/** The fields of a user an update may change; absent ones are kept. */
export interface UserChanges {
  readonly password?: string | null;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly properties?: ReadonlyArray<{ key: string; value: string }> | null;
}

/** Changes the given fields of a user and reads it back. */
export async function updateUser(ctx: Context, username: string, changes: UserChanges): Promise<UserModel> {
  const current = await existingUser(ctx, username);
  // PUT replaces properties wholesale, so the current ones are sent again when not replaced
  // (openfire-rest-api.md §7.1).
  const body = {
    password: changes.password ?? undefined,
    name: changes.name ?? undefined,
    email: changes.email ?? undefined,
    properties: changes.properties ?? current.properties,
  };
  await ctx.upstream.call('PUT /users/{username}', { path: { username: current.username }, body });
  return existingUser(ctx, current.username);
}

/** A user that must exist for a mutation to make sense. */
export async function existingUser(ctx: Context, username: string): Promise<UserModel> {
  const user = await ctx.loaders.user.load(validUsername(username));
  if (!user) throw gatewayError('NOT_FOUND', `No user "${username}"`, 'UserNotFoundException');
  return user;
}

const contains = (value: string | null, needle: string): boolean => value?.toLowerCase().includes(needle) ?? false;

builder.queryFields((t) => ({
  user: t.field({
    type: User,
    nullable: true,
    description: 'A user by username (case-insensitive), or null.',
    args: { username: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.loaders.user.load(validUsername(args.username)),
  }),
  users: t.field({
    type: UserConnection,
    description:
      'Users ordered by username. `search` and the property filters are Openfire’s; `nameOrEmail` is a ' +
      'case-insensitive substring match on name or email the REST API lacks (done by the gateway).',
    args: {
      search: t.arg.string({ description: 'Case-sensitive substring of the username (Openfire).' }),
      propertyKey: t.arg.string({ description: 'Users having this property (Openfire); `search` is then ignored.' }),
      propertyValue: t.arg.string({ description: 'With `propertyKey`: the property’s exact value.' }),
      nameOrEmail: t.arg.string(),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const query = {
        search: args.search ?? undefined,
        propertyKey: args.propertyKey ?? undefined,
        propertyValue: args.propertyValue ?? undefined,
      };
      let users = await ctx.upstream.call('GET /users', { query });
      for (const user of users) ctx.loaders.user.prime(user.username, user);
      const needle = args.nameOrEmail?.toLowerCase();
      if (needle) users = users.filter((u) => contains(u.name, needle) || contains(u.email, needle));
      return paginate(users, args);
    },
  }),
}));

builder.mutationFields((t) => ({
  createUser: t.field({
    type: User,
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const body = {
        ...input,
        username: validUsername(input.username, 'input.username'),
        properties: input.properties ?? [],
      };
      await ctx.upstream.call('POST /users', { body });
      return existingUser(ctx, input.username);
    },
  }),
  updateUser: t.field({
    type: User,
    description: 'Changes the given fields; the user’s other properties are kept unless `properties` is given.',
    args: { username: t.arg.string({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: (_root, { username, input }, ctx) => updateUser(ctx, username, input),
  }),
  renameUser: t.field({
    type: User,
    description:
      'Renames a user with Openfire’s rename (a new account with the old password, then the old one deleted, ' +
      'openfire-rest-api.md §7.1.1). What moves to the new username: the roster (and the user’s entry in local ' +
      'contacts’ rosters), group memberships with admin status, the vCard, the properties, and the individual ' +
      'room affiliations (owner, admin, member, outcast) in every MUC service; group room affiliations follow the ' +
      'memberships. All or nothing: when a step fails, the steps before it are undone and the error is reported ' +
      'with its code; if the undo fails too, the message and `extensions.notRestored` name what could not be ' +
      'restored. What Openfire cannot keep: the old user’s sessions are closed, a lockout is removed (lock the new ' +
      'user again with `lockUser`), offline messages, privacy lists and PEP data go with the old account, and ' +
      'see `acceptGroupSharingReset` for groups the user administers.',
    args: {
      username: t.arg.string({ required: true }),
      newUsername: t.arg.string({ required: true }),
      acceptGroupSharingReset: t.arg.boolean({
        defaultValue: false,
        description:
          'Keeping the user an admin of a group takes a `PUT /groups`, which rewrites the group’s sharing: a group ' +
          'that reads as not shared (`Group.shared` false) may be shown to everybody, and would end up not shared, ' +
          'even after an undo. Without true, the rename of an admin of such a group is refused (BAD_USER_INPUT) ' +
          'before any change.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const newUsername = validUsername(args.newUsername, 'newUsername');
      const current = await existingUser(ctx, args.username);
      await renameWithRoles(ctx, current, newUsername, {
        acceptGroupSharingReset: args.acceptGroupSharingReset ?? false,
      });
      return existingUser(ctx, newUsername);
    },
  }),
  deleteUser: t.boolean({
    description: 'Deletes a user with its roster, memberships and vCard; true when done.',
    args: { username: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const username = validUsername(args.username);
      await ctx.upstream.call('DELETE /users/{username}', { path: { username } });
      return true;
    },
  }),
}));
