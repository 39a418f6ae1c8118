import { XMLValidator } from 'fast-xml-parser';
import type { User as UserModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { STAFF_OR_SELF } from './scopes.js';
import { existingUser, User } from './user.js';

/** Only well-formedness is checked here; whether the document is a vCard is Openfire's call (a 400 otherwise). */
function wellFormed(xml: string): string {
  const result = XMLValidator.validate(xml);
  if (result !== true) {
    throw gatewayError('BAD_USER_INPUT', `"vcard" is not well-formed XML (line ${result.err.line}: ${result.err.msg})`);
  }
  return xml;
}

builder.objectField(User, 'vcard', (t) =>
  t.string({
    nullable: true,
    description: 'The user’s vCard as raw XML (`<vCard xmlns="vcard-temp">…`), or null when there is none.',
    authScopes: STAFF_OR_SELF,
    resolve: (user, _args, ctx) => ctx.loaders.vcard.load(user.username),
  }),
);

// The user is checked first: Openfire stores vCards under the raw path value without checking the user
// (openfire-rest-api.md §7.5).

/** Creates or replaces a user's vCard; returns the user. */
export async function putVCard(ctx: Context, username: string, vcard: string): Promise<UserModel> {
  const body = wellFormed(vcard);
  const user = await existingUser(ctx, username);
  await ctx.upstream.call('PUT /users/{username}/vcard', { path: { username: user.username }, body });
  return user;
}

/** Deletes a user's vCard, also when there is none. */
export async function deleteVCard(ctx: Context, username: string): Promise<true> {
  const user = await existingUser(ctx, username);
  await ctx.upstream.call('DELETE /users/{username}/vcard', { path: { username: user.username } });
  return true;
}

builder.mutationFields((t) => ({
  setVCard: t.field({
    type: User,
    description: 'Creates or replaces the user’s vCard (raw vCard XML); returns the user, whose `vcard` is re-read.',
    args: { username: t.arg.string({ required: true }), vcard: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => putVCard(ctx, args.username, args.vcard),
  }),
  deleteVCard: t.boolean({
    description: 'Deletes the user’s vCard; true when done, also when there was none.',
    args: { username: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => deleteVCard(ctx, args.username),
  }),
}));
