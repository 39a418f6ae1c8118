import type { User as UserModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { existingUser, User } from './user.js';
import { nonEmpty, username as validUsername } from './validate.js';

/** A user's group memberships (REST `/users/{username}/groups`, openfire-rest-api.md §5.2). */
async function checkGroupsExist(ctx: Context, names: readonly string[]): Promise<void> {
  const groups = await Promise.all(names.map((name) => ctx.loaders.group.load(name)));
  const missing = names.filter((_name, i) => !groups[i]).map((name) => `"${name}"`);
  if (missing.length > 0) throw gatewayError('NOT_FOUND', `No group ${missing.join(', ')}`, 'GroupNotFoundException');
}

/**
 * A membership change: names validated before any call, the user (and, when asked, every group) checked to exist,
 * then `send`. Returns the user, whose `groups` are read again.
 */
async function changeMembership(
  ctx: Context,
  args: { username: string; groups: readonly string[]; argument: string; checkGroups: boolean },
  send: (username: string, groups: string[]) => Promise<void>,
): Promise<UserModel> {
  const names = args.groups.map((name) => nonEmpty(name, args.argument));
  // Validated here as well, so that a bad username throws before the group lookups start.
  const user = existingUser(ctx, validUsername(args.username));
  await Promise.all([user, args.checkGroups && checkGroupsExist(ctx, names)]);
  await send((await user).username, names);
  return user;
}

// Groups are checked first where Openfire misbehaves: adding to a missing group is an unmapped 500, and the list
// removal has left the groups before a missing one when it fails (openfire-rest-api.md §7.2).
builder.mutationFields((t) => ({
  addUserToGroup: t.field({
    type: User,
    description: 'Makes the user a member of the group (an admin becomes a member).',
    args: { username: t.arg.string({ required: true }), group: t.arg.string({ required: true }) },
    resolve: (_root, { username, group }, ctx) => {
      const change = { username, groups: [group], argument: 'group', checkGroups: true };
      return changeMembership(ctx, change, (user, [groupName = '']) =>
        ctx.upstream.call('POST /users/{username}/groups/{groupName}', { path: { username: user, groupName } }),
      );
    },
  }),
  addUserToGroups: t.field({
    type: User,
    description: 'Makes the user a member of every group listed; nothing changes when one is missing.',
    args: { username: t.arg.string({ required: true }), groups: t.arg.stringList({ required: true }) },
    resolve: (_root, { username, groups }, ctx) =>
      changeMembership(ctx, { username, groups, argument: 'groups', checkGroups: true }, (user, names) =>
        ctx.upstream.call('POST /users/{username}/groups', { path: { username: user }, body: names }),
      ),
  }),
  removeUserFromGroup: t.field({
    type: User,
    description: 'Removes the user from the group’s members (an admin stays admin).',
    args: { username: t.arg.string({ required: true }), group: t.arg.string({ required: true }) },
    resolve: (_root, { username, group }, ctx) => {
      const change = { username, groups: [group], argument: 'group', checkGroups: false };
      return changeMembership(ctx, change, (user, [groupName = '']) =>
        ctx.upstream.call('DELETE /users/{username}/groups/{groupName}', { path: { username: user, groupName } }),
      );
    },
  }),
  removeUserFromGroups: t.field({
    type: User,
    description: 'Removes the user from the members of every group listed; nothing changes when one is missing.',
    args: { username: t.arg.string({ required: true }), groups: t.arg.stringList({ required: true }) },
    resolve: (_root, { username, groups }, ctx) =>
      changeMembership(ctx, { username, groups, argument: 'groups', checkGroups: true }, (user, names) =>
        ctx.upstream.call('DELETE /users/{username}/groups', { path: { username: user }, body: names }),
      ),
  }),
}));
