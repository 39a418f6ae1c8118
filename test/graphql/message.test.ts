import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });

describe('broadcastMessage', () => {
  it('sends the message to every session and answers true', async () => {
    const res = await g.gql('mutation { broadcastMessage(body: "Maintenance at noon") }');
    expect(res.body).toEqual({ data: { broadcastMessage: true } });
    const { outbox } = (await g.ready).snapshot();
    expect(outbox.map(({ kind, to, body }) => ({ kind, to, body }))).toEqual([
      { kind: 'broadcast', to: 'jane@example.org/laptop', body: 'Maintenance at noon' },
      { kind: 'broadcast', to: 'john@example.org/phone', body: 'Maintenance at noon' },
    ]);
    expect((await g.upstreamCalls()).routes).toEqual({ 'POST /messages/users': 1 });
  });

  it.each([
    ['an empty', ''],
    ['a blank', '  '],
  ])('rejects %s body before calling Openfire', async (_what, body) => {
    const res = await g.gql('mutation($body: String!) { broadcastMessage(body: $body) }', { body });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
    expect((await g.ready).snapshot().outbox).toEqual([]);
  });
});

describe('unreadMessageCount', () => {
  it('counts unread archived messages by bare or full JID, 0 for a JID without any', async () => {
    const res = await g.gql(
      '{ john: unreadMessageCount(jid: "john@example.org") alice: unreadMessageCount(jid: "alice@example.org/web") jane: unreadMessageCount(jid: "jane@example.org") }',
    );
    expect(res.body.data).toEqual({ john: 2, alice: 5, jane: 0 });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /archive/messages/unread/{jid}': 3 });
  });

  it.each([
    ['a plain username', 'john'],
    ['a JID without node', 'example.org'],
    ['a JID with whitespace', 'jo hn@example.org'],
  ])('rejects %s before calling Openfire', async (_what, jid) => {
    const res = await g.gql('query($jid: String!) { unreadMessageCount(jid: $jid) }', { jid });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('gives each user’s count, one call per distinct JID', async () => {
    const res = await g.gql(
      '{ users { nodes { username unreadMessageCount } } u: unreadMessageCount(jid: "alice@example.org") }',
    );
    const counts = Object.fromEntries(
      res.body.data.users.nodes.map((u: { username: string; unreadMessageCount: number }) => [
        u.username,
        u.unreadMessageCount,
      ]),
    );
    expect(counts).toEqual({ admin: 0, alice: 5, bob: 0, jane: 0, john: 2 });
    expect(res.body.data.u).toBe(5);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users': 1, 'GET /archive/messages/unread/{jid}': 5 });
  });
});
