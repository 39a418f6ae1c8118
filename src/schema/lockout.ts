import { builder } from './builder.js';
import { existingUser, User } from './user.js';

// Openfire keys lockouts by the raw path value (openfire-rest-api.md §7.3), so the user is read first and its stored
// username is used: locking "John" must lock the same account as "john".
builder.mutationFields((t) => ({
  lockUser: t.field({
    type: User,
    description:
      'Locks the user out permanently and closes their sessions. Openfire exposes no lockout state, so the ' +
      'returned user does not show it.',
    args: { username: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const user = await existingUser(ctx, args.username);
      await ctx.upstream.call('POST /lockouts/{username}', { path: { username: user.username } });
      return user;
    },
  }),
  unlockUser: t.field({
    type: User,
    description: 'Lifts a lockout (also fine when there is none). Openfire exposes no lockout state to confirm it.',
    args: { username: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const user = await existingUser(ctx, args.username);
      await ctx.upstream.call('DELETE /lockouts/{username}', { path: { username: user.username } });
      return user;
    },
  }),
}));
