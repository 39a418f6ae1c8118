import { expect, it } from 'vitest';
import type { RosterItem } from '../../../src/upstream/model.js';
import { badRequest, conflict, notFound, rejects, serverError } from './assertions.js';
import type { Contract } from './target.js';

const VCARD = '<vCard xmlns="vcard-temp"><FN>John Doe</FN><NICKNAME>johnny</NICKNAME></vCard>';
/** vCard calls reduce `user@domain` to the user on the local domain only (openfire-rest-api.md §7.5). */
const REMOTE_USER = 'someone@elsewhere.example';

/** openfire-rest-api.md §5.4 roster and §5.5 vCard. */
export function rosterCases({ client, target, fx, cases }: Contract): void {
  /** A user with another user in the roster, made through the admin client. */
  async function withContact(): Promise<{ username: string; item: RosterItem }> {
    const [{ username }, contact] = [await fx.user(), await fx.user()];
    const item = { jid: target.jid(contact.username), nickname: 'Jane', subscriptionType: 3, groups: ['Friends'] };
    await target.admin.call('POST /users/{username}/roster', { path: { username }, body: item });
    return { username, item };
  }
  const rosterOf = (username: string) => client.call('GET /users/{username}/roster', { path: { username } });
  const vcardOf = (username: string) => client.call('GET /users/{username}/vcard', { path: { username } });
  const storeVcard = (username: string) =>
    target.admin.call('PUT /users/{username}/vcard', { path: { username }, body: VCARD });

  cases('GET /users/{username}/roster', () => {
    it('lists the roster items with nickname, subscription and groups', async () => {
      const { username, item } = await withContact();
      expect(await rosterOf(username)).toEqual([item]);
    });

    it('answers an empty roster for an unknown user', async () => {
      expect(await rosterOf(fx.name('nobody'))).toEqual([]);
    });
  });

  cases('POST /users/{username}/roster', () => {
    it('adds an item that reads back', async () => {
      const [{ username }, contact] = [await fx.user(), await fx.user()];
      const body = { jid: target.jid(contact.username), nickname: 'Pal', subscriptionType: 1, groups: ['Work'] };
      expect(await client.call('POST /users/{username}/roster', { path: { username }, body })).toBeUndefined();
      expect(await rosterOf(username)).toEqual([body]);
    });

    it('fails with CONFLICT UserAlreadyExistsException for a contact already in the roster', async () => {
      const { username, item } = await withContact();
      await rejects(
        client.call('POST /users/{username}/roster', { path: { username }, body: { jid: item.jid } }),
        conflict('UserAlreadyExistsException'),
      );
    });
  });

  cases('PUT /users/{username}/roster/{rosterJid}', () => {
    it('changes nickname, groups and subscription, which read back', async () => {
      const { username, item } = await withContact();
      const body = { jid: item.jid, nickname: 'Janie', subscriptionType: 2, groups: [] };
      const path = { username, rosterJid: item.jid };
      expect(await client.call('PUT /users/{username}/roster/{rosterJid}', { path, body })).toBeUndefined();
      expect(await rosterOf(username)).toEqual([body]);
    });

    it('fails with NOT_FOUND UserNotFoundException for a contact not in the roster', async () => {
      const { username } = await fx.user();
      const rosterJid = target.jid(fx.name('stranger'));
      await rejects(
        client.call('PUT /users/{username}/roster/{rosterJid}', {
          path: { username, rosterJid },
          body: { jid: rosterJid },
        }),
        notFound('UserNotFoundException', rosterJid),
      );
    });
  });

  cases('DELETE /users/{username}/roster/{rosterJid}', () => {
    it('removes the item', async () => {
      const { username, item } = await withContact();
      const path = { username, rosterJid: item.jid };
      expect(await client.call('DELETE /users/{username}/roster/{rosterJid}', { path })).toBeUndefined();
      expect(await rosterOf(username)).toEqual([]);
    });

    it('fails with NOT_FOUND RosterItemNotFound for a contact not in the roster', async () => {
      const { username } = await fx.user();
      const rosterJid = target.jid(fx.name('stranger'));
      await rejects(
        client.call('DELETE /users/{username}/roster/{rosterJid}', { path: { username, rosterJid } }),
        notFound('RosterItemNotFound', rosterJid),
      );
    });
  });

  cases('GET /users/{username}/vcard', () => {
    it('returns the stored vCard as XML text', async () => {
      const { username } = await fx.user();
      await storeVcard(username);
      expect(await vcardOf(username)).toBe(VCARD);
    });

    it('returns null for a user without a vCard', async () => {
      expect(await vcardOf((await fx.user()).username)).toBeNull();
    });

    it('fails with SERVER_ERROR UserNotFoundException for a user of another domain', async () => {
      await rejects(vcardOf(REMOTE_USER), serverError('UserNotFoundException', REMOTE_USER));
    });
  });

  cases('PUT /users/{username}/vcard', () => {
    it('stores a vCard that reads back', async () => {
      const { username } = await fx.user();
      expect(await client.call('PUT /users/{username}/vcard', { path: { username }, body: VCARD })).toBeUndefined();
      expect(await vcardOf(username)).toBe(VCARD);
    });

    it('fails with BAD_REQUEST IllegalArgumentException for data that is not a vCard', async () => {
      const { username } = await fx.user();
      await rejects(
        client.call('PUT /users/{username}/vcard', { path: { username }, body: '<vCard xmlns="vcard-temp">' }),
        badRequest('IllegalArgumentException', username),
      );
    });
  });

  cases('DELETE /users/{username}/vcard', () => {
    it('removes the vCard', async () => {
      const { username } = await fx.user();
      await storeVcard(username);
      expect(await client.call('DELETE /users/{username}/vcard', { path: { username } })).toBeUndefined();
      expect(await vcardOf(username)).toBeNull();
    });

    it('fails with SERVER_ERROR UserNotFoundException for a user of another domain', async () => {
      await rejects(
        client.call('DELETE /users/{username}/vcard', { path: { username: REMOTE_USER } }),
        serverError('UserNotFoundException', REMOTE_USER),
      );
    });
  });
}
