import type { Group as GroupModel, GroupSummary } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { connectionOf, paginate } from './pagination.js';
import { STAFF, STAFF_OR_SELF, staffOr } from './scopes.js';
import { User } from './user.js';
import { nonEmpty, jid as validJid } from './validate.js';

/**
 * A group as a resolver sees it: the name, plus what has been read so far. `GET /groups` gives summaries and
 * `GET /users/{username}/groups` only names, so the detail is fetched only when a field needs it.
 */
export interface GroupRef {
  readonly name: string;
  readonly summary?: GroupSummary;
  readonly detail?: GroupModel;
}

type MemberList = 'members' | 'admins';

export const notFound = (name: string) => gatewayError('NOT_FOUND', `No group "${name}"`, 'GroupNotFoundException');

async function detailOf(ctx: Context, ref: GroupRef): Promise<GroupModel> {
  const detail = ref.detail ?? (await ctx.loaders.group.load(ref.name));
  if (!detail) throw notFound(ref.name);
  return detail;
}

export const Group = builder.objectRef<GroupRef>('Group').implement({
  // End users see the names and descriptions of their own groups (`User.groups` grants `ownGroup`), not who is in
  // them.
  authScopes: staffOr('ownGroup'),
  description: 'An Openfire user group; members and admins are bare JIDs, possibly of other domains.',
  fields: (t) => {
    const jids = (role: MemberList, description: string) =>
      t.stringList({
        description,
        authScopes: STAFF,
        resolve: async (ref, _args, ctx) => [...(await detailOf(ctx, ref))[role]],
      });
    const users = (role: MemberList, description: string) =>
      t.field({
        type: [User],
        description,
        authScopes: STAFF,
        resolve: async (ref, _args, ctx) => {
          const people = await ctx.loaders.groupPeople.load(ref.name);
          if (!people) throw notFound(ref.name);
          return people[role];
        },
      });
    return {
      name: t.exposeString('name'),
      description: t.string({
        nullable: true,
        resolve: async (ref, _args, ctx) => (ref.summary ?? (await detailOf(ctx, ref))).description,
      }),
      shared: t.boolean({
        description:
          'True when the group is shown in its own members’ rosters (`sharedRoster.showInRoster` = `onlyGroup`, ' +
          'also with a list of other groups it is shown to). False for a group shown to nobody, and also for one ' +
          'shown to everybody: Openfire’s REST API reports only `onlyGroup` (openfire-rest-api.md §7.6), so ' +
          '`updateGroup` asks for `shared` on a group that reads false. Read from the group itself, since ' +
          'Openfire’s group list always reports false.',
        authScopes: STAFF,
        resolve: async (ref, _args, ctx) => (await detailOf(ctx, ref)).shared,
      }),
      memberJids: jids('members', 'Every member JID, remote ones included.'),
      adminJids: jids('admins', 'Every admin JID, remote ones included.'),
      members: users('members', 'Members that are local users; remote and unknown JIDs are only in `memberJids`.'),
      admins: users('admins', 'Admins that are local users; remote and unknown JIDs are only in `adminJids`.'),
    };
  },
});

const GroupConnection = connectionOf('Group', Group);

builder.objectField(User, 'groups', (t) =>
  t.field({
    type: [Group],
    description: 'Groups the user is a member or admin of.',
    authScopes: STAFF_OR_SELF,
    grantScopes: ['ownGroup'],
    resolve: async (user, _args, ctx) => {
      const names = (await ctx.loaders.userGroups.load(user.username)) ?? [];
      return names.map((name) => ({ name }));
    },
  }),
);

const jidList = (values: readonly string[] | null | undefined, argument: string): string[] | undefined =>
  values?.map((value) => validJid(value, argument));

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    shared: t.boolean({ description: 'Show the group in its members’ rosters. Defaults to false.' }),
    members: t.stringList({ description: 'Usernames or JIDs (other domains allowed).' }),
    admins: t.stringList({ description: 'Usernames or JIDs; a value in both lists ends up admin.' }),
  }),
});

const UpdateGroupInput = builder.inputType('UpdateGroupInput', {
  description: 'Only the fields given change; `members` and `admins`, when given, replace the lists.',
  fields: (t) => ({
    description: t.string(),
    shared: t.boolean({
      description:
        'true: shown in its own members’ rosters (`showInRoster` = `onlyGroup`; a list of other groups it is ' +
        'shown to is kept); false: shown to nobody. When omitted, a group that reads as shared stays shared, and ' +
        'the update of a group that reads as not shared is refused (BAD_USER_INPUT) before any change: it may be ' +
        'shown to everybody, which the REST API neither reports nor keeps, since Openfire rewrites the sharing on ' +
        'every update. Pass false to accept that such a group ends up not shared.',
    }),
    members: t.stringList(),
    admins: t.stringList(),
  }),
});

/**
 * A group that reads as not shared may be shown to everybody: `GET /groups/{name}` reports only `onlyGroup`, and
 * `PUT` rewrites `showInRoster` to `onlyGroup` or `nobody` (openfire-rest-api.md §7.6), so any update would silently
 * take the group out of every roster. The caller has to say what the group should become.
 */
export const sharingUnknown = (name: string) =>
  gatewayError(
    'BAD_USER_INPUT',
    `Group "${name}" reads as not shared, but Openfire's REST API reports only sharing with the group's own ` +
      'members: a group shown to everybody reads the same, and any update through the REST API would stop ' +
      'showing it in rosters. Pass `shared: false` to accept that the group ends up not shared, or `shared: true` ' +
      'to show it to its own members.',
  );

/** Reads a group again after a change (the REST API answers without a body; the write emptied the caches). */
async function reloadGroup(ctx: Context, name: string): Promise<GroupRef> {
  return { name, detail: await detailOf(ctx, { name }) };
}

builder.queryFields((t) => ({
  group: t.field({
    type: Group,
    nullable: true,
    description: 'A group by its exact (case-sensitive) name, or null.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const detail = await ctx.loaders.group.load(nonEmpty(args.name, 'name'));
      return detail && { name: detail.name, detail };
    },
  }),
  groups: t.field({
    type: GroupConnection,
    description: 'Groups ordered by name.',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const summaries = await ctx.upstream.call('GET /groups', {});
      return paginate(
        summaries.map((summary) => ({ name: summary.name, summary })),
        args,
      );
    },
  }),
}));

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: Group,
    args: { input: t.arg({ type: CreateGroupInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const body = {
        name: nonEmpty(input.name, 'input.name'),
        description: input.description,
        shared: input.shared ?? false,
        members: jidList(input.members, 'input.members'),
        admins: jidList(input.admins, 'input.admins'),
      };
      await ctx.upstream.call('POST /groups', { body });
      return reloadGroup(ctx, input.name);
    },
  }),
  updateGroup: t.field({
    type: Group,
    description:
      'Changes the given fields of a group (Openfire’s PUT replaces the whole group, so the others are sent again). ' +
      'Openfire also rewrites the group’s sharing on every update: see `UpdateGroupInput.shared`.',
    args: { name: t.arg.string({ required: true }), input: t.arg({ type: UpdateGroupInput, required: true }) },
    resolve: async (_root, { name, input }, ctx) => {
      const members = jidList(input.members, 'input.members');
      const admins = jidList(input.admins, 'input.admins');
      const current = await detailOf(ctx, { name: nonEmpty(name, 'name') });
      if (input.shared == null && !current.shared) throw sharingUnknown(name);
      // PUT replaces everything (absent description → none, lists replaced), so current values are sent again.
      const body = {
        name,
        description: input.description === undefined ? current.description : input.description,
        shared: input.shared ?? current.shared,
        members: members ?? current.members,
        admins: admins ?? current.admins,
      };
      await ctx.upstream.call('PUT /groups/{groupName}', { path: { groupName: name }, body });
      return reloadGroup(ctx, name);
    },
  }),
  deleteGroup: t.boolean({
    description: 'Deletes a group; true when done.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.upstream.call('DELETE /groups/{groupName}', { path: { groupName: nonEmpty(args.name, 'name') } });
      return true;
    },
  }),
}));
