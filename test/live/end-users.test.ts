import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { settings } from '../helpers/emulator.js';
import { startSignIn } from '../helpers/identity-provider.js';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * Signed-in end users (tokens from an identity provider over real HTTP): the presence of the contacts XMPP would show
 * them (roster subscription TO or BOTH), public rooms and rooms they own, and nothing else.
 */
const signIn = await startSignIn();

/** The showcase without groups (whose shared rosters would add contacts), and jane's roster spelled out. */
function seed(): Snapshot {
  const showcase = showcaseSeed(settings);
  const item = (user: string, subscription: number) => ({
    jid: `${user}@example.org`,
    nickname: user,
    subscription,
    groups: [],
  });
  return {
    ...showcase,
    groups: [],
    services: showcase.services.map((service) => ({
      ...service,
      rooms: service.rooms.map((room) => ({ ...room, groupAffiliations: {} })),
    })),
    // john: both ways; alice: jane sees her (TO); bob: only he sees jane (FROM); admin: not a contact.
    rosters: { ...showcase.rosters, jane: [item('john', 3), item('alice', 1), item('bob', 2)] },
  };
}

const gw = await startLiveGateway({ seed: seed(), tokens: signIn.verifier });
const as = (username: string) => signIn.bearer(username);

const PRESENCE = `subscription ($usernames: [String!]) {
  presence(usernames: $usernames) { username online presenceStatus }
}`;
const OCCUPANTS = `subscription ($room: String!) {
  roomOccupants(room: $room) { kind occupant { nickname role affiliation jid } }
}`;
const presence = (result: LiveResult) => dataOf(result).presence;

describe('presence for an end user', () => {
  it.each([
    [
      'SSE',
      async (query: string, variables: Record<string, unknown>) =>
        gw.sse(query, { variables, authorization: await as('jane') }),
    ],
    [
      'WebSocket',
      async (query: string, variables: Record<string, unknown>) =>
        gw.ws(query, { variables, authorization: await as('jane') }),
    ],
  ])('over %s shows only contacts whose presence they are subscribed to', async (_name, subscribe) => {
    const feed = await subscribe(PRESENCE, {});
    expect((await feed.take(2)).map(presence)).toEqual([
      { username: 'john', online: true, presenceStatus: 'Away' },
      { username: 'alice', online: false, presenceStatus: null },
    ]);
    await gw.subscribed(1);
    // bob (FROM) and admin (no contact) log in: no event; then alice (TO).
    await gw.control.login('bob');
    await gw.control.login('admin');
    await gw.poll();
    await gw.control.login('alice', { presenceStatus: 'Available to Chat' });
    await gw.poll();
    expect(presence(await feed.next())).toEqual({
      username: 'alice',
      online: true,
      presenceStatus: 'Available to Chat',
    });
    await gw.control.logout('john@example.org/phone');
    await gw.poll();
    expect(presence(await feed.next())).toEqual({ username: 'john', online: false, presenceStatus: null });
    expect(feed.unread).toBe(0);
  });

  it('leaves out the asked-for names that are no visible contacts', async () => {
    const feed = await gw.sse(PRESENCE, {
      variables: { usernames: ['bob', 'admin', 'alice'] },
      authorization: await as('jane'),
    });
    expect(presence(await feed.next())).toEqual({ username: 'alice', online: false, presenceStatus: null });
    await gw.subscribed(1);
    await gw.control.login('bob');
    await gw.poll();
    await gw.control.login('alice');
    await gw.poll();
    expect(presence(await feed.next())).toMatchObject({ username: 'alice', online: true });
    expect(feed.all).toHaveLength(2);
  });

  it('shares the gateway’s poller between end users', async () => {
    const jane = await gw.sse(PRESENCE, { authorization: await as('jane') });
    const john = await gw.sse(PRESENCE, { authorization: await as('john') });
    await jane.take(2);
    // john's roster (demo data): jane, both ways.
    expect(presence(await john.next())).toEqual({ username: 'jane', online: true, presenceStatus: 'Online' });
    await gw.subscribed(2);
    expect(gw.app.live.size.pollers).toBe(1);
  });
});

describe('what an end user may not watch', () => {
  it.each([
    ['sessionEvents', 'subscription { sessionEvents { kind } }'],
    ['sessionCounts', 'subscription { sessionCounts { local } }'],
    ['securityAuditLog', 'subscription { securityAuditLog { logId } }'],
  ])('%s is FORBIDDEN, before anything is polled', async (_field, query) => {
    gw.emulator.stats.reset();
    const feed = await gw.sse(query, { authorization: await as('jane') });
    const [result] = await feed.take(1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result?.data ?? null).toBeNull();
    expect(await feed.done()).toEqual({ kind: 'complete' });
    expect(gw.emulator.stats.toJSON().total).toBe(0);
  });

  it('a room neither public nor theirs is NOT_FOUND, like a room that does not exist', async () => {
    // dev is jane's, not public; john is a member but no owner.
    const hidden = await gw.sse(OCCUPANTS, { variables: { room: 'dev' }, authorization: await as('john') });
    const missing = gw.ws(OCCUPANTS, { variables: { room: 'nowhere' }, authorization: await as('john') });
    for (const feed of [hidden, missing]) {
      const [result] = await feed.take(1);
      expect(result?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(await feed.done()).toEqual({ kind: 'complete' });
    }
    expect(gw.app.live.size).toEqual({ subscriptions: 0, pollers: 0 });
  });
});

describe('rooms an end user may watch', () => {
  it('a public room, without the occupants’ real JIDs', async () => {
    const feed = await gw.sse(OCCUPANTS, { variables: { room: 'lobby' }, authorization: await as('john') });
    expect(dataOf(await feed.next()).roomOccupants).toEqual({
      kind: 'JOINED',
      occupant: { nickname: 'jane', role: 'moderator', affiliation: 'admin', jid: null },
    });
  });

  it('their own room, with the real JIDs', async () => {
    const own = await gw.sse(OCCUPANTS, { variables: { room: 'dev' }, authorization: await as('jane') });
    await gw.subscribed(1);
    await gw.control.join({ room: 'dev', jid: 'john@example.org/phone', nickname: 'johnny' });
    gw.emulator.stats.reset();
    await gw.poll();
    expect(dataOf(await own.next()).roomOccupants).toEqual({
      kind: 'JOINED',
      occupant: { nickname: 'johnny', role: 'participant', affiliation: 'none', jid: 'john@example.org/phone' },
    });
    expect(gw.calls('GET /chatrooms/{roomName}/occupants')).toBe(1);
  });
});
