import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SECRET } from '../helpers/emulator.js';
import { dataOf, eventually } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * The WebSocket endpoint's own checks: the Origin of browser pages (cross-site WebSocket hijacking), the path, and the
 * credential of `connection_init`, which each operation carries as an HTTP request would.
 */
const ALLOWED = 'https://app.example';
const gw = await startLiveGateway({ origins: [ALLOWED] });

/** How an upgrade request ends: the HTTP status of a refusal, or `open`. */
function upgrade(path: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(gw.wsUrl.replace('/graphql', path), 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      resolve('open');
      socket.close();
    });
    socket.on('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

describe('the Origin check', () => {
  const host = () => new URL(gw.url).host;

  it.each([
    ['no Origin (not a browser)', () => ({}), 'open'],
    ['the gateway’s own origin', () => ({ origin: `http://${host()}` }), 'open'],
    ['an origin of CORS_ORIGINS', () => ({ origin: ALLOWED }), 'open'],
    ['a foreign origin', () => ({ origin: 'https://evil.example' }), 403],
    ['the gateway’s host on another port', () => ({ origin: 'http://127.0.0.1:1' }), 403],
    ['"null" (a sandboxed page)', () => ({ origin: 'null' }), 403],
  ])('%s: %s', async (_name, headers, expected) => {
    expect(await upgrade('/graphql', headers())).toBe(expected);
  });

  it('answers 404 on other paths', async () => {
    expect(await upgrade('/other', {})).toBe(404);
  });

  it('lets a page of an allowed origin subscribe', async () => {
    class BrowserSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { origin: ALLOWED } });
      }
    }
    const client = createClient({
      url: gw.wsUrl,
      webSocketImpl: BrowserSocket,
      connectionParams: { Authorization: SECRET },
      retryAttempts: 0,
    });
    const results = client.iterate({ query: 'subscription { sessionCounts { local } }' });
    try {
      expect(dataOf((await results.next()).value ?? {}).sessionCounts).toEqual({ local: 2 });
    } finally {
      await results.return?.();
      await client.dispose();
    }
  });
});

describe('the connection’s credential', () => {
  it('missing: each subscription gets an UNAUTHENTICATED error, then completes', async () => {
    const feed = gw.ws('subscription { sessionCounts { local } }', { authorization: null });
    const result = await feed.next();
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await feed.done()).toEqual({ kind: 'complete' });
    expect(gw.emulator.stats.toJSON().total).toBe(0);
  });

  it('refused by Openfire (passthrough): the subscription ends with UNAUTHENTICATED', async () => {
    const feed = gw.ws('subscription { sessionEvents { kind } }', { authorization: 'not-the-secret' });
    const result = await feed.next();
    expect(result).toMatchObject({ data: null, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await feed.done()).toEqual({ kind: 'complete' });
    await gw.subscribed(0);
    expect(gw.app.live.size.pollers).toBe(0);
  });

  it('not a string: the connection is refused with 4403', async () => {
    const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: 42 } }));
    expect(await closed).toBe(4403);
  });

  it('is kept for every operation of the connection, queries included', async () => {
    const client = gw.wsClient();
    const counts = gw.ws('subscription { sessionCounts { local } }', { client });
    expect(dataOf(await counts.next()).sessionCounts).toEqual({ local: 2 });
    const query = gw.ws('{ sessionCounts { cluster } }', { client });
    expect(dataOf(await query.next()).sessionCounts).toEqual({ cluster: 2 });
    expect(await query.done()).toEqual({ kind: 'complete' });
    await eventually(() => counts.ending === null && gw.app.live.size.subscriptions === 1, 'one subscription');
  });
});
