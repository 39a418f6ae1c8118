import { request } from 'undici';
import { expect, it } from 'vitest';
import { SECRET } from '../helpers/emulator.js';
import { dataOf, eventually, parseSse } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * Subscribers of one view share each event's execution and serialised message (use-shared-events.ts,
 * use-event-stream.ts): what each receives must be exactly what it would receive alone, in order, as well-formed SSE.
 */
const gw = await startLiveGateway({ live: { maxPerCaller: 100 } });

const EVENTS =
  'subscription Watch($current: Boolean) { sessionEvents(current: $current) { kind session { username } } }';

it('gives every subscriber the same events in order, whether it shares the operation or not', async () => {
  const same = await Promise.all(Array.from({ length: 5 }, () => gw.sse(EVENTS)));
  const other = await gw.sse('subscription { sessionEvents { kind session { username resource } } }');
  const current = await gw.sse(EVENTS, { variables: { current: true } });
  // The showcase data has jane and john online.
  const initial = await current.take(2);
  expect(initial.map((result) => dataOf(result).sessionEvents.kind)).toEqual(['STARTED', 'STARTED']);

  for (const user of ['alice', 'bob', 'admin']) await gw.control.login(user, { resource: 'fan' });
  await gw.poll();
  const expected = ['alice', 'bob', 'admin'].map((username) => ({ kind: 'STARTED', session: { username } }));
  for (const feed of [...same, current]) {
    const got = (await feed.take(3)).map((result) => dataOf(result).sessionEvents);
    expect(got.sort((a, b) => a.session.username.localeCompare(b.session.username))).toEqual(
      [...expected].sort((a, b) => a.session.username.localeCompare(b.session.username)),
    );
  }
  const resources = (await other.take(3)).map((result) => dataOf(result).sessionEvents.session.resource);
  expect(resources).toEqual(['fan', 'fan', 'fan']);
  for (const feed of [...same, other, current]) expect(feed.unread).toBe(0);
});

it('writes a poll’s events as well-formed SSE; a subscription asked for in another media type is not left open', async () => {
  const res = await request(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: SECRET },
    body: JSON.stringify({ query: 'subscription { sessionEvents { kind session { username } } }' }),
  });
  expect(res.headers['content-type']).toBe('text/event-stream');
  await gw.subscribed(1);
  for (const user of ['alice', 'bob']) await gw.control.login(user, { resource: 'raw' });
  await gw.poll();
  let text = '';
  for await (const chunk of res.body) {
    text += String(chunk);
    if ((text.match(/event: next/g) ?? []).length === 2) break;
  }
  // Comment lines (`:`, the keep-alive) parse as unnamed messages.
  const events = parseSse(text).events.filter((event) => event.event !== 'message');
  expect(events.map((event) => event.event)).toEqual(['next', 'next']);
  expect(events.map((event) => JSON.parse(event.data).data.sessionEvents.kind)).toEqual(['STARTED', 'STARTED']);
  res.body.destroy();

  const multipart = await request(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed', authorization: SECRET },
    body: JSON.stringify({ query: 'subscription { sessionCounts { local } }' }),
  });
  // Yoga answers subscriptions over SSE only, and the subscription it opened is ended, not left running.
  expect(multipart.statusCode).toBe(406);
  await multipart.body.dump();
  await eventually(() => gw.app.live.size.subscriptions === 0, 'the refused subscription to end');
});
