import { builder } from './builder.js';
import { ChatRoom, DEFAULT_SERVICE, existingRoom, type RoomNode, roomOwnerOrAdmin, serviceOf } from './chat-room.js';
import { asJid, jidOrUsername } from './chat-room-settings.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { localUser } from './local-user.js';
import { ROOM_OWNER, staffOr } from './scopes.js';
import { User } from './user.js';
import { nonEmpty, roomName as validRoomName } from './validate.js';

/**
 * Room affiliations (REST `/chatrooms/{roomName}/{affiliation}`): who owns, administers, belongs to or is banned
 * from a room, individually or through a group.
 */
export type Affiliation = 'owner' | 'admin' | 'member' | 'outcast';

export const RoomAffiliation = builder.enumType('RoomAffiliation', {
  values: {
    OWNER: { value: 'owner' },
    ADMIN: { value: 'admin', description: 'Room administrator (moderates, manages members).' },
    MEMBER: { value: 'member' },
    OUTCAST: { value: 'outcast', description: 'Banned from the room.' },
  } as const,
});

const Affiliate = builder.objectRef<{ readonly jid: string }>('Affiliate').implement({
  description: 'A JID holding an affiliation with a room.',
  // End users reach the affiliates of rooms they own (the affiliation lists grant `affiliate`).
  authScopes: staffOr('affiliate'),
  fields: (t) => ({
    jid: t.exposeString('jid', { description: 'The bare JID.' }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The local user behind the JID; null for remote or unknown users.',
      // Group JIDs keep a resource even in "bare" form (openfire-rest-api.md §7.9): they are groups, not users.
      resolve: (affiliate, _args, ctx) => (affiliate.jid.includes('/') ? null : localUser(ctx, affiliate.jid)),
    }),
  }),
});

builder.objectFields(ChatRoom, (t) => {
  // Who holds which affiliation: the room's owners, administrators and read keys.
  const people = (list: (room: RoomNode) => readonly string[], description: string) =>
    t.field({
      type: [Affiliate],
      description,
      authScopes: ROOM_OWNER,
      grantScopes: ['affiliate'],
      resolve: (room) => list(room).map((jid) => ({ jid })),
    });
  const groups = (list: (room: RoomNode) => readonly string[], description: string) =>
    t.stringList({ description, authScopes: ROOM_OWNER, resolve: (room) => list(room) });
  return {
    owners: people((r) => r.owners, 'Individual owners (group owners are in `ownerGroups`).'),
    admins: people((r) => r.admins, 'Individual admins.'),
    members: people((r) => r.members, 'Individual members.'),
    outcasts: people((r) => r.outcasts, 'Individually banned JIDs.'),
    ownerGroups: groups((r) => r.ownerGroups, 'Names of groups whose members and admins own the room.'),
    adminGroups: groups((r) => r.adminGroups, 'Names of groups whose members and admins administer the room.'),
    memberGroups: groups((r) => r.memberGroups, 'Names of groups whose members and admins are members.'),
    outcastGroups: groups((r) => r.outcastGroups, 'Names of groups whose members and admins are banned.'),
    affiliationJids: t.stringList({
      description:
        'Openfire’s raw list of one affiliation: bare JIDs, then group JIDs (base32hex group name @ domain / hash).',
      args: { affiliation: t.arg({ type: RoomAffiliation, required: true }) },
      authScopes: ROOM_OWNER,
      resolve: (room, args, ctx) =>
        ctx.upstream.call('GET /chatrooms/{roomName}/{affiliation}', {
          path: { roomName: room.roomName, affiliation: `${args.affiliation}s` },
          query: { servicename: room.service },
        }),
    }),
  };
});

interface ListArgs {
  readonly name: string;
  readonly service?: string | null;
  readonly affiliation: Affiliation;
  readonly sendInvitations?: boolean | null;
}

/** One affiliation list of one room, as the REST routes address it. */
interface List {
  readonly path: { readonly roomName: string; readonly affiliation: string };
  readonly servicename: string;
  readonly sendInvitations: boolean;
}

/** Checks the room arguments, runs a change on the room's list and re-reads the room. */
async function change(ctx: Context, args: ListArgs, run: (list: List) => Promise<unknown>): Promise<RoomNode> {
  const servicename = serviceOf(args.service);
  const roomName = validRoomName(args.name).toLowerCase();
  const path = { roomName, affiliation: `${args.affiliation}s` };
  await run({ path, servicename, sendInvitations: args.sendInvitations ?? false });
  return existingRoom(ctx, servicename, roomName);
}

const grant = (ctx: Context, { path, servicename, sendInvitations }: List, jid: string) =>
  ctx.upstream.call('POST /chatrooms/{roomName}/{affiliation}/{jid}', {
    path: { ...path, jid },
    query: { servicename, sendInvitations },
  });

const revoke = (ctx: Context, { path, servicename }: List, jid: string) =>
  ctx.upstream.call('DELETE /chatrooms/{roomName}/{affiliation}/{jid}', {
    path: { ...path, jid },
    query: { servicename },
  });

/** Usernames become local JIDs first, so Openfire cannot take one for a group of the same name. */
async function targetJid(ctx: Context, value: string): Promise<string> {
  const checked = jidOrUsername(value, 'jid');
  return asJid(checked, await ctx.domain());
}

/** Openfire reads a group name with one `@` as a JID, and an unknown one as a local user: both refused here. */
async function existingGroup(ctx: Context, group: string): Promise<string> {
  if (nonEmpty(group, 'group').split('@').length === 2) {
    throw gatewayError('BAD_USER_INPUT', `"${group}" would be read as a JID`);
  }
  if (await ctx.loaders.group.load(group)) return group;
  throw gatewayError('NOT_FOUND', `No group "${group}"`, 'GroupNotFoundException');
}

/** Adds the missing JIDs before removing the extra ones, so a room never loses its last owner on the way. */
async function setList(ctx: Context, list: List, affiliation: Affiliation, jids: readonly string[]): Promise<void> {
  const given = jids.map((jid, i) => jidOrUsername(jid, `jids[${i}]`));
  const room = await existingRoom(ctx, list.servicename, list.path.roomName);
  const domain = await ctx.domain();
  const wanted = new Set(given.map((jid) => asJid(jid, domain).toLowerCase()));
  const current = room[`${affiliation}s`];
  const held = new Set(current.map((jid) => jid.toLowerCase()));
  await Promise.all([...wanted].filter((jid) => !held.has(jid)).map((jid) => grant(ctx, list, jid)));
  await Promise.all(current.filter((jid) => !wanted.has(jid.toLowerCase())).map((jid) => revoke(ctx, list, jid)));
}

builder.mutationFields((t) => {
  const listArgs = () => ({
    name: t.arg.string({ required: true, description: 'The room.' }),
    service: t.arg.string({ defaultValue: DEFAULT_SERVICE }),
    affiliation: t.arg({ type: RoomAffiliation, required: true }),
  });
  const invite = () => t.arg.boolean({ defaultValue: false, description: 'Invite who was added (not outcasts).' });
  const jid = () => t.arg.string({ required: true, description: 'A JID, or the username of a local user.' });
  const group = () => t.arg.string({ required: true, description: 'A group name.' });
  return {
    addRoomAffiliation: t.field({
      type: ChatRoom,
      description: 'Gives a JID an affiliation, moving it from the one it had. Open to the room’s owners.',
      ...roomOwnerOrAdmin,
      args: { ...listArgs(), jid: jid(), sendInvitations: invite() },
      resolve: (_root, args, ctx) =>
        change(ctx, args, async (list) => grant(ctx, list, await targetJid(ctx, args.jid))),
    }),
    removeRoomAffiliation: t.field({
      type: ChatRoom,
      description:
        'Takes an affiliation from a JID; CONFLICT when the JID does not hold it or is the last owner. Open to the ' +
        'room’s owners.',
      ...roomOwnerOrAdmin,
      args: { ...listArgs(), jid: jid() },
      resolve: (_root, args, ctx) =>
        change(ctx, args, async (list) => revoke(ctx, list, await targetJid(ctx, args.jid))),
    }),
    addRoomGroupAffiliation: t.field({
      type: ChatRoom,
      description: 'Gives the members and admins of a group an affiliation (the group is stored, not its members).',
      args: { ...listArgs(), group: group(), sendInvitations: invite() },
      resolve: (_root, args, ctx) =>
        change(ctx, args, async ({ path, servicename, sendInvitations }) =>
          ctx.upstream.call('POST /chatrooms/{roomName}/{affiliation}/group/{groupname}', {
            path: { ...path, groupname: await existingGroup(ctx, args.group) },
            query: { servicename, sendInvitations },
          }),
        ),
    }),
    removeRoomGroupAffiliation: t.field({
      type: ChatRoom,
      description: 'Takes an affiliation from a group; CONFLICT when the group does not hold it.',
      args: { ...listArgs(), group: group() },
      resolve: (_root, args, ctx) =>
        change(ctx, args, ({ path, servicename }) =>
          ctx.upstream.call('DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}', {
            path: { ...path, groupname: nonEmpty(args.group, 'group') },
            query: { servicename },
          }),
        ),
    }),
    setRoomAffiliations: t.field({
      type: ChatRoom,
      description:
        'Makes the individual JIDs holding an affiliation exactly `jids`, with one call per added or removed JID ' +
        '(Openfire’s list routes fail, plugin issue #163). Group affiliations are left alone. Open to the room’s ' +
        'owners.',
      ...roomOwnerOrAdmin,
      args: {
        ...listArgs(),
        jids: t.arg.stringList({ required: true, description: 'JIDs, or usernames of local users.' }),
        sendInvitations: invite(),
      },
      resolve: (_root, args, ctx) => change(ctx, args, (list) => setList(ctx, list, args.affiliation, args.jids)),
    }),
  };
});
