import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { setProperty, settings } from '../helpers/emulator.js';
import { dataOf } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * Whose credential polls: in passthrough each forwarded credential polls for itself (no caller sees what another's
 * credential read); API keys and tokens share the gateway's own. The passthrough emulator takes Basic auth of its two
 * administrators, admin and jane.
 */
const basicSeed = showcaseSeed({ ...settings, httpAuth: 'basic' });
setProperty(basicSeed, 'admin.authorizedJIDs', 'admin@example.org,jane@example.org');
const passthrough = await startLiveGateway({ seed: basicSeed });
const keys = await startLiveGateway({
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = basic('admin', 'admin');
const JANE = basic('jane', 'secret');
const EVENTS = 'subscription { sessionEvents { kind session { username } } }';

describe('passthrough', () => {
  const gw = passthrough;

  it('polls once per interval for each forwarded credential, each feeding only its own subscribers', async () => {
    const admin = [await gw.sse(EVENTS, { authorization: ADMIN }), gw.ws(EVENTS, { authorization: ADMIN })];
    const jane = [await gw.sse(EVENTS, { authorization: JANE }), gw.graphqlSse(EVENTS, { authorization: JANE })];
    await gw.subscribed(4);
    expect(gw.app.live.size).toEqual({ subscriptions: 4, pollers: 2 });

    gw.emulator.stats.reset();
    await gw.control.login('bob');
    await gw.poll();
    for (const feed of [...admin, ...jane]) {
      expect(dataOf(await feed.next()).sessionEvents).toEqual({ kind: 'STARTED', session: { username: 'bob' } });
    }
    expect(gw.calls('GET /sessions')).toBe(2);
    await gw.poll(3);
    expect(gw.calls('GET /sessions')).toBe(8);
  });

  it('ends the streams of a credential Openfire refuses with UNAUTHENTICATED, leaving the others alone', async () => {
    const good = gw.ws(EVENTS, { authorization: ADMIN });
    await gw.subscribed(1);
    const bad = await gw.sse(EVENTS, { authorization: basic('admin', 'wrong') });
    const [result] = await bad.take(1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await bad.done()).toEqual({ kind: 'complete' });
    await gw.subscribed(1);
    expect(gw.app.live.size.pollers).toBe(1);
    await gw.control.login('bob');
    await gw.poll();
    expect(dataOf(await good.next()).sessionEvents.kind).toBe('STARTED');
  });
});

describe('API keys', () => {
  const gw = keys;

  it('share the gateway’s own poller, whatever the key', async () => {
    const admin = await gw.sse('subscription { sessionCounts { local } }', { authorization: 'Bearer admin-key' });
    const read = gw.ws('subscription { sessionCounts { local } }', { authorization: 'Bearer read-key' });
    for (const feed of [admin, read]) expect(dataOf(await feed.next()).sessionCounts).toEqual({ local: 2 });
    await gw.subscribed(2);
    expect(gw.app.live.size.pollers).toBe(1);
    gw.emulator.stats.reset();
    await gw.poll(2);
    expect(gw.calls('GET /system/statistics/sessions')).toBe(2);
  });
});
