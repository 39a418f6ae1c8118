import { describe, expect, it } from 'vitest';
import { newGroup } from '../../src/emulator/domain.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { settings, useEmulator } from '../helpers/emulator.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const JSON_ACCEPT = { accept: 'application/json' } as const;

// `staff` is shown to its members (john, admin); `Hidden` is a plain group whose display name may be a roster group.
const staff = { ...newGroup('staff', null, 'onlyGroup'), members: ['john@example.org'], admins: ['admin@example.org'] };
const hidden = newGroup('Hidden', null, 'nobody');
const t = useEmulator({ seed: { ...demoSeed(settings), groups: [staff, hidden] } });

const roster = async (username: string) =>
  (await t.api('GET', `/users/${username}/roster`, JSON_ACCEPT)).json().rosterItem;

describe('GET /users/{username}/roster', () => {
  it('returns the roster in XML by default, with groups always present', async () => {
    const res = await t.api('GET', '/users/jane/roster');
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `${XML}<roster><rosterItem><jid>john@example.org</jid><nickname>John</nickname><subscriptionType>3</subscriptionType><groups/></rosterItem></roster>`,
    );
  });

  it('returns the roster as JSON under the singular rosterItem key', async () => {
    const res = await t.api('GET', '/users/jane/roster', JSON_ACCEPT);
    expect(res.text).toBe(
      '{"rosterItem":[{"jid":"john@example.org","nickname":"John","subscriptionType":3,"groups":[]}]}',
    );
  });

  it('answers 200 with an empty roster for an unknown user and for another case of a name', async () => {
    expect((await t.api('GET', '/users/nobody/roster')).text).toBe(`${XML}<roster/>`);
    expect((await t.api('GET', '/users/JANE/roster', JSON_ACCEPT)).text).toBe('{"rosterItem":[]}');
  });

  it('adds the contacts of shared groups the user sees, both ways when they see each other', async () => {
    expect(await roster('john')).toEqual([
      { jid: 'jane@example.org', nickname: 'Jane', subscriptionType: 3, groups: [] },
      { jid: 'admin@example.org', nickname: 'Administrator', subscriptionType: 3, groups: [] },
    ]);
    expect(await roster('admin')).toEqual([
      { jid: 'john@example.org', nickname: 'John Doe', subscriptionType: 3, groups: [] },
    ]);
  });
});

describe('POST /users/{username}/roster', () => {
  it('creates an item with a bare JID, subscription none and no groups by default', async () => {
    const res = await t.api('POST', '/users/jane/roster', {
      body: '<rosterItem><jid>Bob@Example.COM/phone</jid></rosterItem>',
    });
    expect([res.status, res.text]).toEqual([201, '']);
    expect((await t.api('GET', '/users/jane/roster')).text).toBe(
      `${XML}<roster><rosterItem><jid>john@example.org</jid><nickname>John</nickname><subscriptionType>3</subscriptionType><groups/></rosterItem>` +
        '<rosterItem><jid>bob@example.com</jid><subscriptionType>0</subscriptionType><groups/></rosterItem></roster>',
    );
  });

  it('stores nickname, groups and subscription from a JSON body', async () => {
    const body = { jid: 'bob@example.com', nickname: 'Bob', subscriptionType: 2, groups: ['Friends', 'Work'] };
    expect((await t.api('POST', '/users/jane/roster', { body })).status).toBe(201);
    expect((await roster('jane'))[1]).toEqual({ ...body, subscriptionType: 2 });
  });

  it('does not check that the user exists', async () => {
    expect((await t.api('POST', '/users/ghost/roster', { body: { jid: 'jane@example.org' } })).status).toBe(201);
    expect(await roster('ghost')).toEqual([{ jid: 'jane@example.org', subscriptionType: 0, groups: [] }]);
  });

  it('answers 400 JID is null without a jid', async () => {
    const res = await t.api('POST', '/users/jane/roster', { body: '<rosterItem><nickname>x</nickname></rosterItem>' });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      `${XML}<error><exception>IllegalArgumentException</exception><message>JID is null</message><resource>JID</resource></error>`,
    );
  });

  it('answers 409 with an empty resource for an existing item', async () => {
    const xml = await t.api('POST', '/users/jane/roster', {
      body: '<rosterItem><jid>john@example.org/x</jid></rosterItem>',
    });
    expect(xml.status).toBe(409);
    expect(xml.text).toBe(
      `${XML}<error><exception>UserAlreadyExistsException</exception><message>Could not create roster item</message><resource></resource></error>`,
    );
    const json = await t.api('POST', '/users/jane/roster', { body: { jid: 'john@example.org' } });
    expect(json.text).toBe(
      '{"resource":"","message":"Could not create roster item","exception":"UserAlreadyExistsException"}',
    );
  });

  it('answers 409 for a subscription type out of range, after creating the item with subscription none', async () => {
    const res = await t.api('POST', '/users/jane/roster', { body: { jid: 'bob@example.com', subscriptionType: 7 } });
    expect(res.status).toBe(409);
    expect(res.json().exception).toBe('UserAlreadyExistsException');
    expect((await roster('jane'))[1]).toEqual({ jid: 'bob@example.com', subscriptionType: 0, groups: [] });
  });

  it('answers 400 SharedGroupException for a roster group named like a shown shared group', async () => {
    const res = await t.api('POST', '/users/jane/roster', { body: { jid: 'bob@example.com', groups: ['staff'] } });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '{"resource":"","message":"Could not create roster item","exception":"SharedGroupException"}',
    );
    expect(
      (await t.api('POST', '/users/jane/roster', { body: { jid: 'bob@example.com', groups: ['Hidden'] } })).status,
    ).toBe(201);
  });

  it('answers 409 for a contact the user already has through a shared group', async () => {
    expect((await t.api('POST', '/users/john/roster', { body: { jid: 'admin@example.org' } })).status).toBe(409);
  });

  it('fails with an unmapped 500 for an invalid JID or an empty JSON body', async () => {
    expect((await t.api('POST', '/users/jane/roster', { body: { jid: 'a@b@c' } })).status).toBe(500);
    expect((await t.api('POST', '/users/jane/roster', { body: '', contentType: 'application/json' })).status).toBe(500);
  });
});

describe('PUT /users/{username}/roster/{rosterJid}', () => {
  it('applies nickname and groups when given and resets the subscription to none when absent', async () => {
    const res = await t.api('PUT', '/users/jane/roster/john@example.org', {
      body: '<rosterItem><groups><group>Friends</group></groups></rosterItem>',
    });
    expect([res.status, res.text]).toEqual([200, '']);
    expect(await roster('jane')).toEqual([
      { jid: 'john@example.org', nickname: 'John', subscriptionType: 0, groups: ['Friends'] },
    ]);
  });

  it('sets the subscription, keeps groups when absent and clears them with an empty list', async () => {
    await t.api('PUT', '/users/jane/roster/john@example.org', {
      body: { nickname: 'Johnny', subscriptionType: 1, groups: ['A'] },
    });
    await t.api('PUT', '/users/jane/roster/john@example.org', { body: { subscriptionType: 2 } });
    expect(await roster('jane')).toEqual([
      { jid: 'john@example.org', nickname: 'Johnny', subscriptionType: 2, groups: ['A'] },
    ]);
    await t.api('PUT', '/users/jane/roster/john@example.org', { body: { groups: [], subscriptionType: 3 } });
    expect((await roster('jane'))[0].groups).toEqual([]);
  });

  it('answers 404 Could not get user for an unknown user', async () => {
    const res = await t.api('PUT', '/users/ghost/roster/john@example.org', { body: { nickname: 'x' } });
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"resource":"ghost","message":"Could not get user","exception":"UserNotFoundException"}');
  });

  it('answers 404 Could not update the roster with the path JID for a missing item', async () => {
    const res = await t.api('PUT', '/users/jane/roster/Bob@example.com', { body: '<rosterItem/>' });
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      `${XML}<error><exception>UserNotFoundException</exception><message>Could not update the roster</message><resource>Bob@example.com</resource></error>`,
    );
  });

  it('answers 409 for a subscription out of range, keeping the nickname already applied', async () => {
    const res = await t.api('PUT', '/users/jane/roster/john@example.org', {
      body: { nickname: 'J', subscriptionType: 9 },
    });
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      resource: 'john@example.org',
      message: 'Could not update the roster',
      exception: 'UserAlreadyExistsException',
    });
    expect(await roster('jane')).toEqual([{ jid: 'john@example.org', nickname: 'J', subscriptionType: 3, groups: [] }]);
  });

  it('answers 400 SharedGroupException for a shown shared group name', async () => {
    const res = await t.api('PUT', '/users/jane/roster/john@example.org', { body: { groups: ['staff'] } });
    expect(res.status).toBe(400);
    expect(res.json().exception).toBe('SharedGroupException');
  });
});

describe('DELETE /users/{username}/roster/{rosterJid}', () => {
  it('removes the item and cancels the contact’s subscription to the user', async () => {
    const res = await t.api('DELETE', '/users/john/roster/jane@example.org');
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await roster('john')).map((item: { jid: string }) => item.jid)).toEqual(['admin@example.org']);
    expect(await roster('jane')).toEqual([
      { jid: 'john@example.org', nickname: 'John', subscriptionType: 0, groups: [] },
    ]);
  });

  it('answers 404 RosterItemNotFound with the normalised bare JID for a missing item', async () => {
    const xml = await t.api('DELETE', '/users/jane/roster/Bob@Example.COM');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      `${XML}<error><exception>RosterItemNotFound</exception><message>Roster Item could not deleted</message><resource>bob@example.com</resource></error>`,
    );
    const json = await t.api('DELETE', '/users/jane/roster/bob@example.com', JSON_ACCEPT);
    expect(json.text).toBe(
      '{"resource":"bob@example.com","message":"Roster Item could not deleted","exception":"RosterItemNotFound"}',
    );
  });

  it('answers 400 SharedGroupException for a contact from a shared group', async () => {
    const res = await t.api('DELETE', '/users/john/roster/admin@example.org', JSON_ACCEPT);
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '{"resource":"admin@example.org","message":"Could not delete the roster item","exception":"SharedGroupException"}',
    );
  });

  it('answers 404 Could not get user for an unknown user', async () => {
    const res = await t.api('DELETE', '/users/ghost/roster/jane@example.org');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<message>Could not get user</message><resource>ghost</resource>');
  });
});

/** `RosterManager.getSharedGroups` over the four `showInRoster` choices (user-support.ts `visibleGroups`). */
describe('roster visibility of shared groups', () => {
  const arrange = async (...groups: ReturnType<typeof newGroup>[]) =>
    (await t.ready).edit((draft) => {
      draft.groups = groups;
    });
  const contacts = async (username: string) =>
    ((await roster(username)) as Array<{ jid: string }>).filter((item) => item.jid === 'admin@example.org');

  it('shows a group shared with everybody to every user, members or not', async () => {
    const all = { ...newGroup('all', null, 'everybody'), members: ['admin@example.org'] };
    await arrange(all);
    // jane and john are in no group, yet see admin; admin sees nobody but itself, which is left out.
    expect(await contacts('jane')).toEqual([
      { jid: 'admin@example.org', nickname: 'Administrator', subscriptionType: 1, groups: [] },
    ]);
    expect(await contacts('john')).toHaveLength(1);
    expect(await roster('admin')).toEqual([]);
  });

  it('shows an onlyGroup group with a group list (the console’s spefgroups) to both groups’ people', async () => {
    const viewers = { ...newGroup('viewers', null, 'nobody'), members: ['jane@example.org'] };
    const shown = { ...newGroup('shown', null, 'spefgroups', ['viewers']), admins: ['admin@example.org'] };
    await arrange(viewers, shown);
    expect(await contacts('jane')).toHaveLength(1);
    expect(await contacts('john')).toEqual([]);
  });

  it('shows a group to nobody when showInRoster is nobody or a stored spefgroups', async () => {
    const viewers = { ...newGroup('viewers', null, 'nobody'), members: ['jane@example.org'] };
    const stored = { ...newGroup('stored', null, 'nobody'), admins: ['admin@example.org'] };
    stored.properties['sharedRoster.showInRoster'] = 'spefgroups';
    stored.properties['sharedRoster.groupList'] = 'viewers';
    await arrange(viewers, stored);
    expect(await contacts('jane')).toEqual([]);
  });
});
