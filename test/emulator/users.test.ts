import { describe, expect, it } from 'vitest';
import { newGroup } from '../../src/emulator/domain.js';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { groupIn, settings, useEmulator, userIn } from '../helpers/emulator.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const JSON_ACCEPT = { accept: 'application/json' } as const;

const team = { ...newGroup('team', null, 'nobody'), members: ['john@example.org'] };
const t = useEmulator({
  seed: {
    ...demoSeed(settings),
    groups: [team],
    sessions: [sessionRecord('john', 'example.org', 'phone', 0)],
    vcards: { john: '<vCard xmlns="vcard-temp"><FN>John Doe</FN></vCard>' },
    lockouts: ['john'],
  },
});

const state = async () => (await t.ready).snapshot();
const john =
  '<user><username>john</username><name>John Doe</name><email>john.doe@example.com</email><properties/></user>';
const jane =
  '<user><username>jane</username><name>Jane Doe</name><email>jane.doe@example.com</email><properties/></user>';
const admin =
  '<user><username>admin</username><name>Administrator</name><email>admin@example.com</email><properties/></user>';

describe('GET /users', () => {
  it('lists every user ordered by username, in XML by default', async () => {
    const res = await t.api('GET', '/users');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text).toBe(`${XML}<users>${admin}${jane}${john}</users>`);
  });

  it('lists users as JSON when asked to', async () => {
    const res = await t.api('GET', '/users', JSON_ACCEPT);
    expect(res.status).toBe(200);
    expect(res.json().users.map((u: { username: string }) => u.username)).toEqual(['admin', 'jane', 'john']);
    expect(res.json().users[2]).toEqual({
      username: 'john',
      name: 'John Doe',
      email: 'john.doe@example.com',
      properties: [],
    });
  });

  it('filters by a case-sensitive substring of the username', async () => {
    expect((await t.api('GET', '/users?search=j')).text).toBe(`${XML}<users>${jane}${john}</users>`);
    expect((await t.api('GET', '/users?search=J')).text).toBe(`${XML}<users/>`);
    expect((await t.api('GET', '/users?search=J', JSON_ACCEPT)).text).toBe('{"users":[]}');
  });

  it('selects by property key and value and then ignores search', async () => {
    await t.api('PUT', '/users/jane', { body: { properties: [{ key: 'tea', value: 'earlgrey' }] } });
    await t.api('PUT', '/users/john', { body: { properties: [{ key: 'tea', value: 'green' }] } });
    const byKey = await t.api('GET', '/users?propertyKey=tea&search=zzz', JSON_ACCEPT);
    expect(byKey.json().users.map((u: { username: string }) => u.username)).toEqual(['jane', 'john']);
    const byValue = await t.api('GET', '/users?propertyKey=tea&propertyValue=green');
    expect(byValue.text).toBe(
      `${XML}<users><user><username>john</username><name>John Doe</name><email>john.doe@example.com</email>` +
        '<properties><property key="tea" value="green"/></properties></user></users>',
    );
  });
});

describe('POST /users', () => {
  it('creates a user with a lowercased name and its properties, answering 201 without body', async () => {
    const body =
      '<user><username>Alice</username><password>pw</password><name>Alice A</name><properties><property key="a" value="1"/></properties></user>';
    const res = await t.api('POST', '/users', { body });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect((await t.api('GET', '/users/alice')).text).toBe(
      `${XML}<user><username>alice</username><name>Alice A</name><properties><property key="a" value="1"/></properties></user>`,
    );
    expect(userIn(await state(), 'alice')?.password).toBe('pw');
  });

  it('stores whitespace-only name and email as unset, reported as an empty name and no email', async () => {
    const res = await t.api('POST', '/users', { body: { username: 'bob', password: 'pw', name: '  ', email: ' ' } });
    expect(res.status).toBe(201);
    expect((await t.api('GET', '/users/bob', JSON_ACCEPT)).text).toBe('{"username":"bob","name":"","properties":[]}');
  });

  it('answers 409 for an existing user, whatever the case, with the name as sent', async () => {
    const xml = await t.api('POST', '/users', { body: '<user><username>JOHN</username><password>x</password></user>' });
    expect(xml.status).toBe(409);
    expect(xml.text).toBe(
      `${XML}<error><exception>UserAlreadyExistsException</exception><message>Could not create new user</message><resource>JOHN</resource></error>`,
    );
    const json = await t.api('POST', '/users', { body: { username: 'john', password: 'x' } });
    expect(json.status).toBe(409);
    expect(json.text).toBe(
      '{"resource":"john","message":"Could not create new user","exception":"UserAlreadyExistsException"}',
    );
  });

  it('answers 400 PasswordIsNull when the password is missing', async () => {
    const res = await t.api('POST', '/users', { body: { username: 'Carol' } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      resource: 'Carol',
      message: 'Could not create new user, because password is null',
      exception: 'PasswordIsNull',
    });
  });

  it('answers 400 IllegalArgumentException for an empty username or an empty JSON body', async () => {
    const expected = `${XML}<error><exception>IllegalArgumentException</exception><message>Could not create new user</message><resource>users</resource></error>`;
    const empty = await t.api('POST', '/users', { body: '<user><username></username><password>x</password></user>' });
    expect([empty.status, empty.text]).toEqual([400, expected]);
    const none = await t.api('POST', '/users', { body: '', contentType: 'application/json' });
    expect(none.status).toBe(400);
    expect(none.json().exception).toBe('IllegalArgumentException');
  });

  it('fails with an unmapped 500 for a missing username, an empty password or a name with @', async () => {
    for (const body of [{ password: 'x' }, { username: 'dave', password: '' }, { username: 'e@x', password: 'x' }]) {
      const res = await t.api('POST', '/users', { body, ...JSON_ACCEPT });
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({
        servlet: 'PluginServlet',
        message: 'Request failed.',
        url: '/plugins/restapi/v1/users',
        status: '500',
      });
    }
    expect((await t.api('GET', '/users/dave')).status).toBe(404);
  });
});

describe('GET /users/{username}', () => {
  it('returns the user, looked up case-insensitively, never with its password', async () => {
    const res = await t.api('GET', '/users/JOHN');
    expect(res.status).toBe(200);
    expect(res.text).toBe(`${XML}${john}`);
    expect((await t.api('GET', '/users/john', JSON_ACCEPT)).text).toBe(
      '{"username":"john","name":"John Doe","email":"john.doe@example.com","properties":[]}',
    );
  });

  it('answers 404 Could not get user for an unknown user, in XML or JSON', async () => {
    const xml = await t.api('GET', '/users/jeanluc');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      `${XML}<error><exception>UserNotFoundException</exception><message>Could not get user</message><resource>jeanluc</resource></error>`,
    );
    const json = await t.api('GET', '/users/jeanluc', JSON_ACCEPT);
    expect(json.text).toBe('{"resource":"jeanluc","message":"Could not get user","exception":"UserNotFoundException"}');
  });

  it('fails with an unmapped 500 for a name that is not a valid JID node', async () => {
    const res = await t.api('GET', '/users/a@b');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/html;charset=iso-8859-1');
  });
});

describe('PUT /users/{username}', () => {
  it('applies the given fields only and replaces the properties', async () => {
    await t.api('PUT', '/users/john', {
      body: {
        properties: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      },
    });
    const res = await t.api('PUT', '/users/john', {
      body: '<user><email>j@example.org</email><properties><property key="c" value="3"/></properties></user>',
    });
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await t.api('GET', '/users/john')).text).toBe(
      `${XML}<user><username>john</username><name>John Doe</name><email>j@example.org</email><properties><property key="c" value="3"/></properties></user>`,
    );
  });

  it('wipes every property when the body has none', async () => {
    await t.api('PUT', '/users/john', { body: { properties: [{ key: 'a', value: '1' }] } });
    await t.api('PUT', '/users/john', { body: { name: 'Johnny' } });
    expect((await t.api('GET', '/users/john', JSON_ACCEPT)).json()).toEqual({
      username: 'john',
      name: 'Johnny',
      email: 'john.doe@example.com',
      properties: [],
    });
  });

  it('clears name and email given as blanks, and sets the password even when empty', async () => {
    await t.api('PUT', '/users/john', { body: { username: 'john', name: '', email: '  ', password: '' } });
    expect((await t.api('GET', '/users/john')).text).toBe(
      `${XML}<user><username>john</username><name></name><properties/></user>`,
    );
    expect(userIn(await state(), 'john')?.password).toBe('');
  });

  it('changes nothing for an empty JSON body', async () => {
    await t.api('PUT', '/users/john', { body: { properties: [{ key: 'a', value: '1' }] } });
    const res = await t.api('PUT', '/users/john', { body: '', contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect((await t.api('GET', '/users/john', JSON_ACCEPT)).json().properties).toEqual([{ key: 'a', value: '1' }]);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await t.api('PUT', '/users/nobody', { body: { name: 'x' } });
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"resource":"nobody","message":"Could not get user","exception":"UserNotFoundException"}');
  });
});

describe('PUT /users/{username} with a different username (rename)', () => {
  it('moves password, roster, groups, vCard and contacts to the new user and deletes the old one', async () => {
    const res = await t.api('PUT', '/users/john', {
      body: { username: 'johnny', password: 'ignored', properties: [{ key: 'k', value: 'v' }] },
    });
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await t.api('GET', '/users/john')).status).toBe(404);
    expect((await t.api('GET', '/users/johnny')).text).toBe(
      `${XML}<user><username>johnny</username><name>John Doe</name><email>john.doe@example.com</email><properties><property key="k" value="v"/></properties></user>`,
    );
    expect((await t.api('GET', '/users/johnny/roster', JSON_ACCEPT)).text).toBe(
      '{"rosterItem":[{"jid":"jane@example.org","nickname":"Jane","subscriptionType":3,"groups":[]}]}',
    );
    expect((await t.api('GET', '/users/jane/roster', JSON_ACCEPT)).text).toBe(
      '{"rosterItem":[{"jid":"johnny@example.org","nickname":"John","subscriptionType":3,"groups":[]}]}',
    );
    expect((await t.api('GET', '/users/johnny/groups', JSON_ACCEPT)).text).toBe('{"groupnames":["team"]}');
    expect((await t.api('GET', '/users/johnny/vcard')).text).toBe(
      '<vCard xmlns="vcard-temp"><FN>John Doe</FN></vCard>',
    );
    const s = await state();
    expect(userIn(s, 'johnny')).toMatchObject({
      password: 'secret',
      creationDate: userIn(s, 'jane')?.creationDate,
    });
    expect(s.lockouts).not.toContain('john');
    expect(s.sessions).toEqual([]);
    expect(s.outbox).toMatchObject([{ kind: 'kick', to: 'john@example.org/phone', body: 'not-authorized' }]);
  });

  it('takes non-empty name and email from the body and keeps the old ones otherwise', async () => {
    await t.api('PUT', '/users/jane', {
      body: '<user><username>janet</username><name>Janet</name><email></email></user>',
    });
    expect((await t.api('GET', '/users/janet', JSON_ACCEPT)).text).toBe(
      '{"username":"janet","name":"Janet","email":"jane.doe@example.com","properties":[]}',
    );
  });

  it('treats a body username differing only in case as a rename that conflicts with itself', async () => {
    const res = await t.api('PUT', '/users/jane', { body: '<user><username>Jane</username><name>X</name></user>' });
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      `${XML}<error><exception>UserAlreadyExistsException</exception><message>Could not create new user</message><resource>Jane</resource></error>`,
    );
    expect((await t.api('GET', '/users/jane', JSON_ACCEPT)).json().name).toBe('Jane Doe');
  });

  it('answers 404 Could not find user when the old user does not exist', async () => {
    const res = await t.api('PUT', '/users/ghost', { body: { username: 'spirit' }, ...JSON_ACCEPT });
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"resource":"ghost","message":"Could not find user","exception":"UserNotFoundException"}');
  });

  it('answers 409 with a trailing-space message when the new user already has a roster item for a copied contact', async () => {
    await t.api('POST', '/users/johnny/roster', { body: { jid: 'jane@example.org' } });
    const res = await t.api('PUT', '/users/john', { body: { username: 'johnny' } });
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      resource: 'johnny',
      message: 'Could not create roster item for user ',
      exception: 'UserAlreadyExistsException',
    });
  });
});

describe('DELETE /users/{username}', () => {
  it('deletes the user with its roster, memberships and entries in other rosters', async () => {
    const res = await t.api('DELETE', '/users/john');
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await t.api('GET', '/users/john')).status).toBe(404);
    expect((await t.api('GET', '/users/john/roster')).text).toBe(`${XML}<roster/>`);
    expect((await t.api('GET', '/users/jane/roster')).text).toBe(`${XML}<roster/>`);
    expect(groupIn(await state(), 'team')?.members).toEqual([]);
  });

  it('answers 404 for an unknown user, in XML or JSON', async () => {
    const xml = await t.api('DELETE', '/users/nobody');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      `${XML}<error><exception>UserNotFoundException</exception><message>Could not get user</message><resource>nobody</resource></error>`,
    );
    const json = await t.api('DELETE', '/users/nobody', JSON_ACCEPT);
    expect(json.text).toBe('{"resource":"nobody","message":"Could not get user","exception":"UserNotFoundException"}');
  });
});
