import { isGone } from '../request/undo.js';
import { UpstreamError } from '../upstream/errors.js';
import { mapLimited } from './limited.js';
import type { Operation } from './operation.js';

/**
 * Group memberships for `add` and `update` in the fewest calls: a missing group is created with the user already
 * in it (one `POST /groups`, non-shared with the properties the legacy service gave it, openfire-rest-api.md §12.7),
 * and the user joins the groups that existed in one `POST /users/{u}/groups`. With `mayBeListed` (`add`: a JID can be
 * named in groups before its user exists), existing groups are read first and those already listing the JID are left as
 * they are, so an undo never removes an entry that was there before, and an admin is not demoted to member.
 */
export async function joinGroups(op: Operation, names: readonly string[], mayBeListed = false): Promise<void> {
  if (names.length === 0) return;
  const { username } = op;
  const created = await mapLimited(names, (name) => createWithMember(op, name));
  let existing = names.filter((_, i) => !created[i]);
  if (mayBeListed && existing.length > 0) existing = await notListing(op, existing);
  if (existing.length === 0) return;
  // Registered first: a call that fails halfway has joined some groups, and leaving a group one is not in is a no-op.
  op.undo.push(() => op.call('DELETE /users/{username}/groups', { path: { username }, body: existing }));
  await op.call('POST /users/{username}/groups', { path: { username }, body: existing });
}

/** The groups, of those named, that list the user's JID neither as member nor as admin. */
async function notListing(op: Operation, names: readonly string[]): Promise<string[]> {
  const jid = `${op.username}@${await op.domain()}`;
  const unlisted = await mapLimited(names, async (groupName) => {
    const group = await op.call('GET /groups/{groupName}', { path: { groupName } });
    return group.members.includes(jid) || group.admins.includes(jid) ? null : groupName;
  });
  return unlisted.filter((name) => name !== null);
}

/** A group deleted meanwhile has nothing to restore. */
function unlessGone(error: unknown): null {
  if (isGone(error)) return null;
  throw error;
}

/** Creates the group with the user as its member; `false` when it already exists (409). */
async function createWithMember(op: Operation, name: string): Promise<boolean> {
  try {
    await op.call('POST /groups', { body: { name, shared: false, members: [op.username], admins: [] } });
  } catch (error) {
    if (error instanceof UpstreamError && error.code === 'CONFLICT') return false;
    throw error;
  }
  op.undo.push(() => op.call('DELETE /groups/{groupName}', { path: { groupName: name } }));
  return true;
}

/**
 * Takes the user out of groups' member lists in one call (admin rows stay, as in the original,
 * openfire-rest-api.md §12.4 update). The undo re-adds it as a member only where it is now in neither list, so an admin
 * is never downgraded.
 */
export async function leaveGroups(op: Operation, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const { username } = op;
  op.undo.push(async () => {
    const jid = `${username}@${await op.domain()}`;
    const groups = await mapLimited(names, (groupName) =>
      op.call('GET /groups/{groupName}', { path: { groupName } }).catch(unlessGone),
    );
    const left = groups.flatMap((g) =>
      g !== null && !g.members.includes(jid) && !g.admins.includes(jid) ? [g.name] : [],
    );
    if (left.length > 0) await op.call('POST /users/{username}/groups', { path: { username }, body: left });
  });
  await op.call('DELETE /users/{username}/groups', { path: { username }, body: names });
}
