import { UpstreamError } from '../upstream/errors.js';
import { itemJid, rosterGroups, subscription } from './arguments.js';
import { LegacyError } from './errors.js';
import type { Command } from './operation.js';
import { userPath } from './users.js';

/** REST creates roster items for users that do not exist (§7.4), so the user is looked up first. */
export const addRoster: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    const jid = itemJid(op.params.get('item_jid'));
    const groups = rosterGroups(op.params.get('groups'));
    const name = op.params.get('name');
    await op.call('GET /users/{username}', { path });
    await op.call('POST /users/{username}/roster', {
      path,
      body: { jid, nickname: name, subscriptionType: subscription(op.params.get('subscription')) ?? 0, groups },
    });
    return 'ok';
  },
};

/**
 * Only what the request names changes: an absent `name`, `groups` or `subscription` leaves the nickname, groups or
 * subscription as they are (the original cleared them and reset the subscription to none, §12.6 item 9); `name=`
 * and `groups=` clear. An absent subscription is read first, since REST always applies one (§7.4).
 */
export const updateRoster: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    const jid = itemJid(op.params.get('item_jid'));
    const groups = op.params.get('groups');
    let subscriptionType = subscription(op.params.get('subscription'));
    if (subscriptionType === null) {
      const item = (await op.call('GET /users/{username}/roster', { path })).find((entry) => entry.jid === jid);
      // REST answers an unknown user's roster with an empty list; the original said UserNotFoundException for both.
      if (!item) throw new LegacyError('UserNotFoundException');
      subscriptionType = item.subscriptionType;
    }
    await op.call('PUT /users/{username}/roster/{rosterJid}', {
      path: { ...path, rosterJid: jid },
      body: { jid, nickname: op.params.get('name'), subscriptionType, groups: groups === null ? null : rosterGroups(groups) },
    });
    return 'ok';
  },
};

/** A missing item is not an error (§12.4); a missing user is. */
export const deleteRoster: Command = {
  needsUser: true,
  async run(op) {
    const path = userPath(op);
    const rosterJid = itemJid(op.params.get('item_jid'));
    try {
      await op.call('DELETE /users/{username}/roster/{rosterJid}', { path: { ...path, rosterJid } });
    } catch (error) {
      if (!(error instanceof UpstreamError && error.exception === 'RosterItemNotFound')) throw error;
    }
    return 'ok';
  },
};
