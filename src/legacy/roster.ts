import { UpstreamError } from '../upstream/errors.js';
import type { RosterItem } from '../upstream/model.js';
import { itemJid, rosterGroups, subscription } from './arguments.js';
import { LegacyError } from './errors.js';
import type { Command, Operation } from './operation.js';
import { userPath } from './users.js';

/**
 * `item_jid` as a bare JID. An invalid one is an `IllegalArgumentException`, but the original looked the user up
 * first, so for an unknown user the answer is `UserNotFoundException` (one lookup, on this error path only).
 */
async function itemOf(op: Operation, path: { readonly username: string }, userChecked = false): Promise<string> {
  try {
    return itemJid(op.params.get('item_jid'));
  } catch (error) {
    if (!userChecked) await op.call('GET /users/{username}', { path });
    throw error;
  }
}

/**
 * REST creates roster items for users that do not exist (openfire-rest-api.md §7.4), so the user is looked up first.
 */
export const addRoster: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    await op.call('GET /users/{username}', { path });
    const jid = await itemOf(op, path, true);
    await op.call('POST /users/{username}/roster', {
      path,
      body: {
        jid,
        nickname: op.params.get('name'),
        subscriptionType: subscription(op.params.get('subscription')) ?? 0,
        groups: rosterGroups(op.params.get('groups')),
      },
    });
    return 'ok';
  },
};

/**
 * Only what the request names changes: an absent `name`, `groups` or `subscription` leaves the nickname, groups or
 * subscription as they are (the original cleared them and reset the subscription to none, openfire-rest-api.md §12.6
 * item 9); `name=` and `groups=` clear. REST always applies a subscription, so an absent one is read first. REST also
 * sets the nickname before it refuses a shared group's name (openfire-rest-api.md §7.4): with both, the groups go in a
 * first PUT (refused whole) and the nickname in a second, whose failure puts the old groups and subscription back.
 */
export const updateRoster: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    const jid = await itemOf(op, path);
    const name = op.params.get('name');
    const groups = op.params.get('groups') === null ? null : rosterGroups(op.params.get('groups'));
    const given = subscription(op.params.get('subscription'));
    const both = name !== null && groups !== null;
    const put = (
      body: Pick<RosterItem, 'subscriptionType'> & { nickname: string | null; groups: readonly string[] | null },
    ) =>
      op.call('PUT /users/{username}/roster/{rosterJid}', {
        path: { ...path, rosterJid: jid },
        body: { jid, ...body },
      });
    if (!both) {
      const subscriptionType = given ?? (await currentItem(op, path, jid)).subscriptionType;
      await put({ nickname: name, groups, subscriptionType });
      return 'ok';
    }
    const item = await currentItem(op, path, jid);
    const subscriptionType = given ?? item.subscriptionType;
    await put({ nickname: null, groups, subscriptionType });
    op.undo.push(() => put({ nickname: null, groups: item.groups, subscriptionType: item.subscriptionType }));
    await put({ nickname: name, groups: null, subscriptionType });
    return 'ok';
  },
};

/** The item as it is; REST answers an unknown user's roster with an empty list, and the original said not found. */
async function currentItem(op: Operation, path: { readonly username: string }, jid: string): Promise<RosterItem> {
  const item = (await op.call('GET /users/{username}/roster', { path })).find((entry) => entry.jid === jid);
  if (!item) throw new LegacyError('UserNotFoundException');
  return item;
}

/** A missing item is not an error (openfire-rest-api.md §12.4); a missing user is. */
export const deleteRoster: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    const rosterJid = await itemOf(op, path);
    try {
      await op.call('DELETE /users/{username}/roster/{rosterJid}', { path: { ...path, rosterJid } });
    } catch (error) {
      if (!(error instanceof UpstreamError && error.exception === 'RosterItemNotFound')) throw error;
    }
    return 'ok';
  },
};
