import type { Command } from './operation.js';
import { userPath } from './users.js';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every group name, sorted (the provider's order, openfire-rest-api.md §7.6); needs no user. */
export const groupList: Command = {
  needsUser: false,
  async run(op) {
    return (await op.call('GET /groups', {})).map((group) => group.name).sort(byName);
  },
};

/** Groups where the user is member or admin, sorted: Openfire returns them unordered. */
export const userGroupList: Command = {
  needsUser: true,
  async run(op) {
    return [...(await op.call('GET /users/{username}/groups', { path: userPath(op) }))].sort(byName);
  },
};
