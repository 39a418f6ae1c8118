import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { SECRET } from '../helpers/emulator.js';
import { dataOf, eventually } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * Graceful shutdown as main.ts runs it: `closeStreams()` ends every subscription with a completion on every
 * transport and refuses new ones; then the WebSocket endpoint closes its connections with 1001 Going away.
 */
const gw = await startLiveGateway();

/** A bare graphql-transport-ws connection, acknowledged: the messages it receives and how it closes. */
async function rawSocket() {
  const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.on('open', resolve);
    socket.on('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: SECRET } }));
  await eventually(() => messages.length > 0, 'connection_ack');
  expect(messages.shift()).toEqual({ type: 'connection_ack' });
  return { socket, messages, closed };
}

it('completes every stream, refuses new ones, then closes WebSocket connections with 1001', async () => {
  const sse = await gw.sse('subscription { sessionCounts { local } }');
  const ws = gw.ws('subscription { presence(usernames: ["jane"]) { online } }');
  const graphqlSse = gw.graphqlSse('subscription { sessionEvents(current: true) { kind } }');
  await sse.next();
  await ws.next();
  await graphqlSse.take(2);
  const raw = await rawSocket();
  raw.socket.send(
    JSON.stringify({ id: 'op1', type: 'subscribe', payload: { query: 'subscription { sessionCounts { cluster } }' } }),
  );
  await eventually(() => raw.messages.length > 0, 'the raw socket’s first result');
  await gw.subscribed(4);

  gw.app.closeStreams();
  for (const feed of [sse, ws, graphqlSse]) expect(await feed.done()).toEqual({ kind: 'complete' });
  for (const feed of [sse, ws, graphqlSse]) expect(feed.unread).toBe(0);
  await eventually(() => raw.messages.length === 2, 'the raw socket’s completion');
  expect(raw.messages).toEqual([
    { id: 'op1', type: 'next', payload: { data: { sessionCounts: { cluster: 2 } } } },
    { id: 'op1', type: 'complete' },
  ]);
  await gw.subscribed(0);
  expect(gw.app.live.size.pollers).toBe(0);

  const late = await gw.sse('subscription { sessionCounts { local } }');
  expect((await late.next()).errors?.[0]?.extensions).toEqual({
    code: 'SUBSCRIPTION_LIMIT',
    setting: 'SUBSCRIPTION_MAX',
  });

  // Queries still work while the rest of the server drains.
  const query = await fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: SECRET },
    body: JSON.stringify({ query: '{ sessionCounts { local } }' }),
  });
  expect(dataOf(await query.json()).sessionCounts).toEqual({ local: 2 });

  await gw.websocket.close(5_000);
  expect(await raw.closed).toBe(1001);
});
