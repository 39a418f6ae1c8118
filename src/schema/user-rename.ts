import { createGraphQLError } from 'graphql-yoga';
import { atomically, IncompleteRollback, UndoLog } from '../request/undo.js';
import type { Group as GroupModel, User as UserModel } from '../upstream/model.js';
import { nodeprep } from '../xmpp/jid.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';

/**
 * `renameUser`: Openfire's rename (`PUT /users/{old}` with a new `username`, JustMarriedController.changeName) plus
 * what it drops (openfire-rest-api.md §7.1.1): it copies group memberships as plain memberships, so a group admin
 * becomes a member, and it deletes the old user, whose individual room affiliations go with the account
 * (openfire-rest-api.md §7.1). The gateway reads those roles first, carries them to the new JID, and undoes
 * everything when a step fails.
 */

type Affiliation = 'owner' | 'admin' | 'member' | 'outcast';

const AFFILIATIONS: readonly Affiliation[] = ['owner', 'admin', 'member', 'outcast'];

/** An individual affiliation of the old JID with a room, and what the new JID held there before (usually nothing). */
interface RoomRole {
  readonly service: string;
  readonly roomName: string;
  readonly affiliation: Affiliation;
  readonly newJidHeld: Affiliation | null;
}

/** What the rename will change, read before any write. */
interface Plan {
  readonly oldJid: string;
  readonly newJid: string;
  readonly rooms: readonly RoomRole[];
  /** Groups where the old JID is an admin, as read. */
  readonly adminGroups: readonly GroupModel[];
}

export interface RenameOptions {
  /** The caller accepts that groups the user administers, when they read as not shared, end up not shared. */
  readonly acceptGroupSharingReset: boolean;
}

const codeOf = (error: unknown): unknown => (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
const exceptionOf = (error: unknown): unknown =>
  (error as { extensions?: { exception?: unknown } } | null)?.extensions?.exception;

/**
 * How a step reaches Openfire: forward steps through the request's upstream (budget, deadline, coded errors), undo
 * steps as essential calls, which run even after the client has gone or the deadline has passed.
 */
type Send = Context['upstream']['call'];

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

async function readPlan(ctx: Context, user: UserModel, newUsername: string, options: RenameOptions): Promise<Plan> {
  const [taken, domain, services, groupNames] = await Promise.all([
    ctx.loaders.user.load(newUsername),
    ctx.domain(),
    ctx.upstream.call('GET /chatservices', {}),
    ctx.upstream.call('GET /users/{username}/groups', { path: { username: user.username } }),
  ]);
  // Checked here rather than left to Openfire's 409, because the room roles are granted before the rename.
  if (taken) throw gatewayError('CONFLICT', `User "${newUsername}" already exists`, 'UserAlreadyExistsException');
  const oldJid = `${user.username}@${domain}`;
  const newJid = `${nodeprep(newUsername)}@${domain}`;
  const [groups, roomLists] = await Promise.all([
    Promise.all(groupNames.map((name) => ctx.loaders.group.load(name))),
    // Not expanded: only individual affiliations are lost; group affiliations follow the copied memberships.
    Promise.all(
      services.map(async ({ serviceName }) => ({
        service: serviceName,
        rooms: await ctx.upstream.call('GET /chatrooms', { query: { servicename: serviceName, type: 'all' } }),
      })),
    ),
  ]);
  // A group deleted since the user's groups were listed has nothing to keep.
  const adminGroups = groups.flatMap((group) => (group?.admins.some((jid) => same(jid, oldJid)) ? [group] : []));
  const unshared = adminGroups.filter((group) => !group.shared);
  if (unshared.length > 0 && !options.acceptGroupSharingReset) throw sharingWouldReset(user.username, unshared);
  const rooms = roomLists.flatMap(({ service, rooms }) =>
    rooms.flatMap((room) => {
      const held = (jid: string) => AFFILIATIONS.find((a) => room[`${a}s`].some((j) => same(j, jid))) ?? null;
      const affiliation = held(oldJid);
      return affiliation ? [{ service, roomName: room.roomName, affiliation, newJidHeld: held(newJid) }] : [];
    }),
  );
  return { oldJid, newJid, rooms, adminGroups };
}

/** Keeping an admin needs `PUT /groups`, which resets a sharing the REST API cannot see (openfire-rest-api.md §7.6). */
const sharingWouldReset = (username: string, groups: readonly GroupModel[]) =>
  gatewayError(
    'BAD_USER_INPUT',
    `"${username}" is an admin of ${groups.map((g) => `"${g.name}"`).join(', ')}, which read(s) as not shared. ` +
      'Keeping the admin status after the rename takes a PUT /groups, which would stop showing such a group in ' +
      'rosters if it is shared with everybody (the REST API cannot tell). Pass `acceptGroupSharingReset: true` to ' +
      'accept that these groups end up not shared, or make the user a plain member of them first.',
  );

const grant = (send: Send, role: RoomRole, affiliation: Affiliation, jid: string) =>
  send('POST /chatrooms/{roomName}/{affiliation}/{jid}', {
    path: { roomName: role.roomName, affiliation: `${affiliation}s`, jid },
    query: { servicename: role.service, sendInvitations: false },
  });

const revoke = (send: Send, role: RoomRole, affiliation: Affiliation, jid: string) =>
  send('DELETE /chatrooms/{roomName}/{affiliation}/{jid}', {
    path: { roomName: role.roomName, affiliation: `${affiliation}s`, jid },
    query: { servicename: role.service },
  });

const putGroup = (send: Send, group: GroupModel, members: readonly string[], admins: readonly string[]) =>
  send('PUT /groups/{groupName}', {
    path: { groupName: group.name },
    body: { name: group.name, description: group.description, shared: group.shared, members, admins },
  });

/** Runs every write, lets the others finish when one fails (each registers its undo), then fails with the first. */
async function all(writes: ReadonlyArray<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const roomLabel = (role: RoomRole) => `room "${role.roomName}" of service "${role.service}"`;

/**
 * The steps, all or nothing:
 * 1. The new JID gets the old one's room affiliations before the rename. Openfire deletes the old user, and where it
 *    was a room's sole owner a server admin becomes owner in its place (openfire-rest-api.md §7.1); with the new JID
 *    already an owner, nothing is replaced. Undo: take the grant back, unless the rename went through (its undo
 *    renames back, and the new JID's affiliations go with the deleted user).
 * 2. The rename (`PUT /users/{old}`, properties sent again since the body's replace the copied ones). Undo, in this
 *    order: the old JID's room affiliations granted again (before renaming back, for the same sole-owner reason),
 *    the rename back, then the groups the old JID administered written back as read.
 * 3. Admin status, where the old JID was an admin: `PUT /groups/{name}` with the new JID moved from the members
 *    (where Openfire put it) to the admins. Its undo is the rename's: the rename back copies the membership and
 *    the groups are written back as read.
 */
async function carryOut(ctx: Context, user: UserModel, newUsername: string, plan: Plan, undo: UndoLog) {
  const { oldJid, newJid } = plan;
  const forward: Send = (route, args) => ctx.upstream.call(route, args);
  const back: Send = (route, args) => ctx.upstream.essential(route, args);
  let renamed = false;
  let renamedBack = false;
  await all(
    plan.rooms
      .filter((role) => role.newJidHeld !== role.affiliation)
      .map(async (role) => {
        await grant(forward, role, role.affiliation, newJid);
        undo.push(
          async () => {
            if (renamed) return;
            if (role.newJidHeld === null) await revoke(back, role, role.affiliation, newJid);
            else await grant(back, role, role.newJidHeld, newJid);
          },
          `the affiliation of ${newJid} with ${roomLabel(role)}`,
        );
      }),
  );

  await ctx.upstream.call('PUT /users/{username}', {
    path: { username: user.username },
    body: { username: newUsername, properties: user.properties },
  });
  renamed = true;
  // Pushed in reverse: the log runs newest first.
  for (const group of plan.adminGroups) {
    undo.push(async () => {
      if (!renamedBack) throw new Error('not attempted, since the user was not renamed back');
      await putGroup(back, group, group.members, group.admins);
    }, `the admin status of ${oldJid} in group "${group.name}"`);
  }
  undo.push(
    async () => {
      await back('PUT /users/{username}', {
        path: { username: nodeprep(newUsername) },
        body: { username: user.username, properties: user.properties },
      });
      renamedBack = true;
    },
    `the username "${user.username}" (the user is still "${nodeprep(newUsername)}")`,
  );
  for (const role of plan.rooms) {
    undo.push(
      () => grant(back, role, role.affiliation, oldJid),
      `the ${role.affiliation} affiliation of ${oldJid} with ${roomLabel(role)}`,
    );
  }

  await all(
    plan.adminGroups.map((group) =>
      putGroup(
        forward,
        group,
        group.members.filter((jid) => !same(jid, newJid)),
        group.admins.map((jid) => (same(jid, oldJid) ? newJid : jid)),
      ),
    ),
  );
}

/** What the caller sees when the undo did not complete: the original failure's code, and what was not restored. */
function incomplete(error: IncompleteRollback) {
  const { original, failures } = error;
  const code = codeOf(original);
  const exception = exceptionOf(original);
  const message = original instanceof Error ? original.message : String(original);
  const notRestored = failures.map((f) => (f instanceof Error ? f.message : String(f)));
  return createGraphQLError(
    `${message}. The rename was undone only in part, so Openfire now holds part of it; not restored: ` +
      `${notRestored.join('; ')}`,
    {
      extensions: {
        code: typeof code === 'string' ? code : 'UPSTREAM_ERROR',
        ...(typeof exception === 'string' && { exception }),
        notRestored,
      },
    },
  );
}

/**
 * Renames `user` to `newUsername` with its group admin status and room affiliations (see `carryOut`); nothing is
 * written when a check fails, and a failed step undoes the steps before it.
 */
export async function renameWithRoles(
  ctx: Context,
  user: UserModel,
  newUsername: string,
  options: RenameOptions,
): Promise<void> {
  const plan = await readPlan(ctx, user, newUsername, options);
  const undo = new UndoLog();
  try {
    await atomically(undo, () => carryOut(ctx, user, newUsername, plan, undo));
  } catch (error) {
    throw error instanceof IncompleteRollback ? incomplete(error) : error;
  }
}
