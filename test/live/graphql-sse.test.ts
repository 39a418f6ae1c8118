import { describe, expect, it } from 'vitest';
import { dataOf, eventually } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';
import { clearLogLines, logRecords } from '../helpers/log-sink.js';

/**
 * GraphQL over SSE's single-connection mode (graphql-sse's client): several operations on one stream, each ended
 * on its own by the client (DELETE) or all together when the connection closes; either reaches the hub.
 */
const gw = await startLiveGateway();

const COUNTS = 'subscription { sessionCounts { local } }';
const PRESENCE = 'subscription { presence(usernames: ["bob"]) { username online } }';

describe('GraphQL over SSE, single connection', () => {
  it('carries several operations on one connection, each with its own results', async () => {
    const client = gw.sseClient();
    const counts = gw.graphqlSse(COUNTS, { client });
    const presence = gw.graphqlSse(PRESENCE, { client });
    expect(dataOf(await counts.next()).sessionCounts).toEqual({ local: 2 });
    expect(dataOf(await presence.next()).presence).toEqual({ username: 'bob', online: false });
    await gw.subscribed(2);
    await gw.control.login('bob');
    await gw.poll();
    expect(dataOf(await counts.next()).sessionCounts).toEqual({ local: 3 });
    expect(dataOf(await presence.next()).presence).toEqual({ username: 'bob', online: true });
  });

  it('ends one operation when the client stops it, leaving the others on the connection', async () => {
    const client = gw.sseClient();
    const counts = gw.graphqlSse(COUNTS, { client });
    const presence = gw.graphqlSse(PRESENCE, { client });
    await counts.next();
    await presence.next();
    await gw.subscribed(2);
    await counts.close();
    await gw.subscribed(1);
    expect(gw.app.live.size.pollers).toBe(1);
    await gw.control.login('bob');
    await gw.poll();
    expect(dataOf(await presence.next()).presence).toEqual({ username: 'bob', online: true });
  });

  it('ends every operation of a connection that closes', async () => {
    const client = gw.sseClient();
    const counts = gw.graphqlSse(COUNTS, { client });
    const presence = gw.graphqlSse(PRESENCE, { client });
    await counts.next();
    await presence.next();
    await gw.subscribed(2);
    client.dispose();
    await gw.subscribed(0);
    expect(gw.app.live.size.pollers).toBe(0);
  });

  it('runs each operation as coming from the connection’s client address', async () => {
    clearLogLines();
    const feed = gw.graphqlSse('{ sessionCounts { cluster } }');
    expect(dataOf(await feed.next()).sessionCounts).toEqual({ cluster: 2 });
    const requests = () => logRecords().filter((r) => r.msg === 'request' && r.route === '/graphql');
    // The operation itself is logged as a request of its own, with the operation's name and type.
    await eventually(() => requests().some((r) => Array.isArray(r.graphql)), 'the operation’s request line');
    expect(new Set(requests().map((r) => r.client))).toEqual(new Set(['127.0.0.1']));
  });

  it('sends a query’s single result on the connection too', async () => {
    const feed = gw.graphqlSse('{ sessionCounts { cluster } }');
    expect(dataOf(await feed.next()).sessionCounts).toEqual({ cluster: 2 });
    expect(await feed.done()).toEqual({ kind: 'complete' });
  });
});
