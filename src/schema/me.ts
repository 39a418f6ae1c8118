import type { User as UserModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { connectionOf, paginate } from './pagination.js';
import { addItem, deleteItem, RosterItem, updateItem } from './roster.js';
import { ANYONE, decided, END_USER, OPEN_TYPE, STAFF } from './scopes.js';
import { User, updateUser } from './user.js';
import { deleteVCard, putVCard } from './vcard.js';

/**
 * What a signed-in end user may do for themself (docs/auth.md): read their own account with its groups, roster,
 * vCard, properties, sessions and rooms (`me`: `User`'s private fields open on one's own account), look others up in a directory of
 * usernames and names, and change their profile, vCard, password and personal roster items. Each field acts on the
 * caller's own username, taken from their token, never from an argument.
 */

/** The caller's username: only end users have one, so the other scopes never reach a self-service resolver. */
function own(ctx: Context): string {
  const { username } = ctx.caller;
  if (ctx.caller.role !== 'user' || !username) throw gatewayError('FORBIDDEN', 'This is for signed-in end users.');
  return username;
}

const DirectoryEntry = builder.objectRef<Pick<UserModel, 'username' | 'name'>>('DirectoryEntry').implement({
  description: 'Someone in the directory: a username and display name, nothing else.',
  ...OPEN_TYPE,
  fields: (t) => ({
    username: t.exposeString('username'),
    name: t.exposeString('name', { nullable: true }),
  }),
});

const DirectoryConnection = connectionOf('Directory', DirectoryEntry);

builder.queryFields((t) => ({
  me: t.field({
    type: User,
    nullable: true,
    description:
      'The signed-in end user’s own account, with everything they may see of it; null for callers who are not ' +
      'an end user (API keys, forwarded credentials).',
    skipTypeScopes: true,
    authScopes: ANYONE,
    resolve: (_root, _args, ctx) => {
      const { username } = ctx.caller;
      return username ? ctx.loaders.user.load(username) : null;
    },
  }),
  directory: t.field({
    type: DirectoryConnection,
    description:
      'Usernames and names of the server’s users, in username order; `search` is a case-sensitive part of the ' +
      'username (as Openfire matches it). Off for end users with `AUTH_USER_DIRECTORY=false`.',
    args: { search: t.arg.string(), first: t.arg.int(), after: t.arg.string() },
    skipTypeScopes: true,
    authScopes: decided(
      'admin, read; end users unless `AUTH_USER_DIRECTORY=false`',
      (_root: unknown, _args: unknown, ctx: Context) => (ctx.userPolicy.directory ? ANYONE : STAFF),
    ),
    resolve: async (_root, args, ctx) => {
      const users = await ctx.upstream.call('GET /users', { query: { search: args.search ?? undefined } });
      return paginate(
        users.map(({ username, name }) => ({ username, name })),
        args,
      );
    },
  }),
}));

const UpdateMeInput = builder.inputType('UpdateMeInput', {
  description: 'The fields of one’s own profile; only those given change.',
  fields: (t) => ({ name: t.string(), email: t.string() }),
});

const AddMyContactInput = builder.inputType('AddMyContactInput', {
  description:
    'A contact for one’s own roster. Its subscription starts at NONE: whether a contact sees one’s presence is ' +
    'for the contact to agree to, over XMPP, not for the gateway to set.',
  fields: (t) => ({
    jid: t.string({ required: true, description: 'The contact’s JID; a resource is dropped.' }),
    nickname: t.string(),
    groups: t.stringList(),
  }),
});

const UpdateMyContactInput = builder.inputType('UpdateMyContactInput', {
  description: 'Only the fields given change; `groups: []` clears the groups. The subscription is kept.',
  fields: (t) => ({ nickname: t.string(), groups: t.stringList() }),
});

/** Self-service mutations: end users only (administrators use the mutations that name a user). */
const selfService = { skipTypeScopes: true, authScopes: END_USER } as const;

builder.mutationFields((t) => ({
  updateMe: t.field({
    type: User,
    description: 'Changes one’s own name and e-mail address.',
    ...selfService,
    args: { input: t.arg({ type: UpdateMeInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateUser(ctx, own(ctx), { name: input.name, email: input.email }),
  }),
  changeMyPassword: t.boolean({
    description: 'Sets one’s own Openfire password; true when done. Off with `AUTH_USER_PASSWORD_CHANGE=false`.',
    skipTypeScopes: true,
    authScopes: decided(
      'end users unless `AUTH_USER_PASSWORD_CHANGE=false`',
      (_root: unknown, _args: unknown, ctx: Context) => (ctx.userPolicy.passwordChange ? END_USER : false),
    ),
    args: { password: t.arg.string({ required: true }) },
    resolve: async (_root, { password }, ctx) => {
      if (password === '') throw gatewayError('BAD_USER_INPUT', '"password" must not be empty');
      await updateUser(ctx, own(ctx), { password });
      return true;
    },
  }),
  setMyVCard: t.field({
    type: User,
    description: 'Creates or replaces one’s own vCard (raw vCard XML).',
    ...selfService,
    args: { vcard: t.arg.string({ required: true }) },
    resolve: (_root, { vcard }, ctx) => putVCard(ctx, own(ctx), vcard),
  }),
  deleteMyVCard: t.boolean({
    description: 'Deletes one’s own vCard; true when done, also when there was none.',
    ...selfService,
    resolve: (_root, _args, ctx) => deleteVCard(ctx, own(ctx)),
  }),
  addMyContact: t.field({
    type: RosterItem,
    description: 'Adds a contact to one’s own roster.',
    ...selfService,
    grantScopes: ['contact'],
    args: { input: t.arg({ type: AddMyContactInput, required: true }) },
    resolve: (_root, { input }, ctx) => addItem(ctx, own(ctx), { ...input, subscription: undefined }),
  }),
  updateMyContact: t.field({
    type: RosterItem,
    description:
      'Changes the nickname or groups of a contact of one’s own roster. Contacts that come from a shared group ' +
      'cannot be changed (Openfire answers SharedGroupException).',
    ...selfService,
    grantScopes: ['contact'],
    args: { jid: t.arg.string({ required: true }), input: t.arg({ type: UpdateMyContactInput, required: true }) },
    resolve: (_root, { jid, input }, ctx) => updateItem(ctx, own(ctx), jid, { ...input, subscription: undefined }),
  }),
  deleteMyContact: t.field({
    type: [RosterItem],
    description:
      'Removes a contact from one’s own roster and returns the rest. Contacts that come from a shared group stay ' +
      '(Openfire answers SharedGroupException).',
    ...selfService,
    grantScopes: ['contact'],
    args: { jid: t.arg.string({ required: true }) },
    resolve: (_root, { jid }, ctx) => deleteItem(ctx, own(ctx), jid),
  }),
}));
