import { groupList, userGroupList } from './groups.js';
import type { Command } from './operation.js';
import { addRoster, deleteRoster, updateRoster } from './roster.js';
import { add, disable, enable, remove, update } from './users.js';

/** The ten legacy types (exact, case-sensitive, openfire-rest-api.md §12.2 step 8), each a short list of REST calls. */
export const commands: ReadonlyMap<string, Command> = new Map([
  ['add', add],
  ['delete', remove],
  ['update', update],
  ['enable', enable],
  ['disable', disable],
  ['add_roster', addRoster],
  ['update_roster', updateRoster],
  ['delete_roster', deleteRoster],
  ['grouplist', groupList],
  ['usergrouplist', userGroupList],
]);
