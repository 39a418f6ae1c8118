import { describe, expect, it } from 'vitest';
import { defined } from '../helpers/defined.js';
import { rosterItemIn } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway();
const state = async () => (await g.ready).snapshot();
const codeOf = (res: Awaited<ReturnType<typeof g.gql>>) => res.body.errors?.[0]?.extensions?.code;

describe('roster queries', () => {
  it('reads a user’s roster with the local user behind each JID', async () => {
    const res = await g.gql(
      '{ user(username: "john") { roster { jid nickname subscription groups user { username name } } } }',
    );
    expect(res.body.data.user.roster).toEqual([
      {
        jid: 'jane@example.org',
        nickname: 'Jane',
        subscription: 'BOTH',
        groups: [],
        user: { username: 'jane', name: 'Jane Doe' },
      },
    ]);
  });

  it('answers a null user for remote and unknown JIDs, looking up only local ones', async () => {
    (await g.ready).edit(({ rosters }) => {
      defined(rosters.john, "john's roster").push(
        { jid: 'someone@elsewhere.net', nickname: null, subscription: 1, groups: ['Work'] },
        { jid: 'ghost@example.org', nickname: null, subscription: 0, groups: [] },
      );
    });
    const res = await g.gql('{ user(username: "john") { roster { jid subscription groups user { username } } } }');
    expect(res.body.data.user.roster).toEqual([
      { jid: 'jane@example.org', subscription: 'BOTH', groups: [], user: { username: 'jane' } },
      { jid: 'someone@elsewhere.net', subscription: 'TO', groups: ['Work'], user: null },
      { jid: 'ghost@example.org', subscription: 'NONE', groups: [], user: null },
    ]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 3, 'GET /users/{username}/roster': 1 });
  });
});

describe('roster mutations', () => {
  it('adds an item to the stored user’s roster and returns it as read back', async () => {
    const res =
      await g.gql(`mutation { addRosterItem(username: "John", input: { jid: "admin@example.org/phone", nickname: "Boss",
      subscription: TO, groups: ["Work"] }) { jid nickname subscription groups user { username } } }`);
    expect(res.body.data.addRosterItem).toEqual({
      jid: 'admin@example.org',
      nickname: 'Boss',
      subscription: 'TO',
      groups: ['Work'],
      user: { username: 'admin' },
    });
    expect(rosterItemIn(await state(), 'john', 'admin@example.org')).toEqual({
      jid: 'admin@example.org',
      nickname: 'Boss',
      subscription: 1,
      groups: ['Work'],
    });
  });

  it('reports an existing item as CONFLICT, an unknown user as NOT_FOUND and a bad JID before calling Openfire', async () => {
    const dup = await g.gql('mutation { addRosterItem(username: "john", input: { jid: "jane@example.org" }) { jid } }');
    expect(dup.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'UserAlreadyExistsException' });
    await g.resetCalls();
    const ghost = await g.gql(
      'mutation { addRosterItem(username: "ghost", input: { jid: "jane@example.org" }) { jid } }',
    );
    expect(codeOf(ghost)).toBe('NOT_FOUND');
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 1 });
    expect((await state()).rosters).not.toHaveProperty('ghost');
    await g.resetCalls();
    expect(codeOf(await g.gql('mutation { addRosterItem(username: "john", input: { jid: "a b" }) { jid } }'))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('updates only the given fields, keeping the subscription Openfire would reset', async () => {
    const res = await g.gql(
      'mutation { updateRosterItem(username: "john", jid: "jane@example.org", input: { nickname: "J", groups: ["Family"] }) { nickname subscription groups } }',
    );
    expect(res.body.data.updateRosterItem).toEqual({ nickname: 'J', subscription: 'BOTH', groups: ['Family'] });
    const cleared = await g.gql(
      'mutation { updateRosterItem(username: "john", jid: "jane@example.org", input: { groups: [], subscription: FROM }) { nickname subscription groups } }',
    );
    expect(cleared.body.data.updateRosterItem).toEqual({ nickname: 'J', subscription: 'FROM', groups: [] });
    expect(rosterItemIn(await state(), 'john', 'jane@example.org')).toMatchObject({
      nickname: 'J',
      subscription: 2,
      groups: [],
    });
  });

  it('answers NOT_FOUND when updating an item that is not in the roster', async () => {
    const res = await g.gql(
      'mutation { updateRosterItem(username: "john", jid: "admin@example.org", input: { nickname: "x" }) { jid } }',
    );
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'RosterItemNotFound' });
    expect((await g.upstreamCalls()).routes['PUT /users/{username}/roster/{rosterJid}']).toBeUndefined();
  });

  it('deletes an item and returns the remaining roster', async () => {
    const res = await g.gql('mutation { deleteRosterItem(username: "john", jid: "jane@example.org") { jid } }');
    expect(res.body.data).toEqual({ deleteRosterItem: [] });
    expect(rosterItemIn(await state(), 'john', 'jane@example.org')).toBeUndefined();
    const again = await g.gql('mutation { deleteRosterItem(username: "john", jid: "jane@example.org") { jid } }');
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'RosterItemNotFound' });
  });
});
