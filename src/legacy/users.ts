import { isGone } from '../request/undo.js';
import type { UserUpdate } from '../upstream/model.js';
import { groupNames, type LegacyParams } from './arguments.js';
import { LegacyError } from './errors.js';
import { joinGroups, leaveGroups } from './memberships.js';
import type { Command, Operation } from './operation.js';

/**
 * The user in a REST path; a name that normalised to nothing has no JID node, so it is not found
 * (openfire-rest-api.md §12.4).
 */
export function userPath(op: Operation): { readonly username: string } {
  if (op.username === '') throw new LegacyError('UserNotFoundException');
  return { username: op.username };
}

/**
 * The fields a request sets: each parameter when present. An empty password is refused, in `update` as `add` and
 * Openfire's `createUser` refuse it, where the original stored it.
 */
function fields(params: LegacyParams): Omit<UserUpdate, 'properties'> {
  const password = params.get('password');
  const name = params.get('name');
  const email = params.get('email');
  if (password === '') throw new LegacyError('IllegalArgumentException');
  return { ...(password !== null && { password }), ...(name !== null && { name }), ...(email !== null && { email }) };
}

/**
 * `POST /users`; with `groups`, the memberships come first and the user last, so a failure never has to delete the
 * user: Openfire's deletion would also erase what already named its JID (roster items, admin rows, room
 * affiliations). Memberships need no existing user (openfire-rest-api.md §7.2, §7.6); a lookup first keeps an existing
 * user's groups untouched. Any failure undoes the group changes (openfire-rest-api.md §12.6 item 8).
 */
export const add: Command = {
  needsUser: true,
  async run(op) {
    const { username, params } = op;
    const set = fields(params);
    // Openfire's createUser refuses an empty name or a missing password before looking for an existing user.
    if (username === '' || set.password === undefined) throw new LegacyError('IllegalArgumentException');
    const groups = groupNames(params.get('groups'));
    if (groups.length > 0) {
      if (await userExists(op)) throw new LegacyError('UserAlreadyExistsException');
      await joinGroups(op, groups, true);
    }
    await op.call('POST /users', { body: { ...set, username, password: set.password, properties: [] } });
    return 'ok';
  },
};

async function userExists(op: Operation): Promise<boolean> {
  try {
    await op.call('GET /users/{username}', { path: { username: op.username } });
    return true;
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
}

export const remove: Command = {
  needsUser: true,
  async run(op) {
    await op.call('DELETE /users/{username}', { path: userPath(op) });
    return 'ok';
  },
};

export const enable: Command = {
  needsUser: true,
  async run(op) {
    await op.call('DELETE /lockouts/{username}', { path: userPath(op) });
    return 'ok';
  },
};

/**
 * REST's lockout also closes the user's sessions, which the original's `disable` did not (openfire-rest-api.md §12.6
 * item 10).
 */
export const disable: Command = {
  needsUser: true,
  async run(op) {
    await op.call('POST /lockouts/{username}', { path: userPath(op) });
    return 'ok';
  },
};

/**
 * Present fields are set; with `groups` (even empty) the user joins the listed groups (created when missing) and
 * leaves the member list of every other group. Group changes come first and the field update last, so a failure
 * never needs the old password back; `PUT /users` re-sends the properties it would otherwise wipe
 * (openfire-rest-api.md §12.7).
 */
export const update: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    const set = fields(op.params);
    const groupsParam = op.params.get('groups');
    const wanted = groupsParam === null ? null : groupNames(groupsParam);
    const changesFields = Object.keys(set).length > 0;
    const [user, current] = await Promise.all([
      changesFields || wanted === null ? op.call('GET /users/{username}', { path }) : null,
      wanted === null ? null : op.call('GET /users/{username}/groups', { path }),
    ]);
    if (wanted !== null && current !== null) {
      await joinGroups(
        op,
        wanted.filter((name) => !current.includes(name)),
      );
      await leaveGroups(
        op,
        current.filter((name) => !wanted.includes(name)),
      );
    }
    if (changesFields && user)
      await op.call('PUT /users/{username}', { path, body: { ...set, properties: user.properties } });
    return 'ok';
  },
};
