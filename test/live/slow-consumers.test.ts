import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { type CloseReason, createQueue, Failed, Lagging } from '../../src/live/queue.js';
import { dataOf, eventually } from '../helpers/live-clients.js';
import { type LiveFeed, startLiveGateway } from '../helpers/live-gateway.js';

/**
 * A subscriber that stops reading holds its queue (the transports pass backpressure on), which ends it with a
 * SUBSCRIPTION_BUFFER error once it is `buffer` events behind; one that keeps up stays, however long it runs.
 */
const gw = await startLiveGateway({ live: { buffer: 3 } });

const EVENTS = 'subscription { sessionEvents { kind session { sessionId presenceMessage } } }';
/** Events big enough that a few polls' worth fill the socket buffers of a client that stopped reading. */
const BIG = 256 * 1024;

/**
 * Changes the two showcase sessions' presence message each poll (two CHANGED events of about 256 KiB) until
 * `dropped()` holds; `reader` reads its events as they come.
 */
async function pollUntil(dropped: () => boolean, reader: LiveFeed): Promise<number> {
  let polls = 0;
  for (; !dropped(); polls++) {
    if (polls === 200) throw new Error('the subscriber that stopped reading was never dropped');
    const message = String(polls % 10).repeat(BIG);
    await gw.control.setPresence('jane@example.org/laptop', { presenceMessage: message });
    await gw.control.setPresence('john@example.org/phone', { presenceMessage: message });
    await gw.poll();
    expect(dataOf(await reader.next()).sessionEvents.session.presenceMessage).toHaveLength(BIG);
    expect(dataOf(await reader.next()).sessionEvents.kind).toBe('CHANGED');
  }
  return polls;
}

describe('the subscriber queue', () => {
  it('ends a consumer that falls more than its capacity behind with Lagging as its last value', async () => {
    const reasons: CloseReason[] = [];
    const queue = createQueue<number>(3, (reason) => reasons.push(reason));
    for (let i = 1; i <= 4; i++) queue.push([i]);
    expect(queue.closed).toBe(false);
    queue.push([5]);
    expect(queue.closed).toBe(true);
    expect(reasons).toEqual(['lagging']);
    const first = await queue.next();
    expect(first.value).toBeInstanceOf(Lagging);
    expect((first.value as Lagging).capacity).toBe(3);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    queue.push([6]);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(reasons).toEqual(['lagging']);
  });

  it('takes one poll’s events whole, however many, so a prompt reader is not dropped for a burst', async () => {
    const reasons: CloseReason[] = [];
    const queue = createQueue<number>(3, (reason) => reasons.push(reason));
    const burst = Array.from({ length: 50 }, (_, i) => i);
    queue.push(burst);
    const received: unknown[] = [];
    for (let i = 0; i < 50; i++) received.push((await queue.next()).value);
    expect(received).toEqual(burst);
    queue.push([50, 51]);
    expect((await queue.next()).value).toBe(50);
    expect(reasons).toEqual([]);
  });

  it('hands a waiting consumer each value, so one keeping up is never behind', async () => {
    const reasons: CloseReason[] = [];
    const queue = createQueue<number>(2, (reason) => reasons.push(reason));
    const received: Array<number | unknown> = [];
    for (let i = 0; i < 10; i++) {
      const next = queue.next();
      queue.push([i, i + 100]);
      received.push((await next).value, (await queue.next()).value);
    }
    expect(received).toHaveLength(20);
    expect(reasons).toEqual([]);
  });

  it('drains what is queued before ending (shutdown) or failing, and drops it when the consumer leaves', async () => {
    const reasons: CloseReason[] = [];
    const ended = createQueue<string>(5, (reason) => reasons.push(reason));
    ended.push(['a']);
    ended.end();
    ended.push(['late']);
    expect(await ended.next()).toEqual({ value: 'a', done: false });
    expect((await ended.next()).done).toBe(true);

    const failed = createQueue<string>(5, (reason) => reasons.push(reason));
    failed.push(['b']);
    failed.fail(new Error('refused'));
    expect((await failed.next()).value).toBe('b');
    const last = (await failed.next()).value;
    expect(last).toBeInstanceOf(Failed);
    expect(((last as Failed).error as Error).message).toBe('refused');

    const left = createQueue<string>(5, (reason) => reasons.push(reason));
    left.push(['c']);
    const waiting = createQueue<string>(5, (reason) => reasons.push(reason));
    const pending = waiting.next();
    await left.return();
    await waiting.return();
    expect(await left.next()).toEqual({ value: undefined, done: true });
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(reasons).toEqual(['ended', 'ended', 'left', 'left']);
  });
});

describe('over real sockets', () => {
  it('drops a WebSocket client whose socket stopped reading, and tells it why once it reads again', async () => {
    let socket: WebSocket | undefined;
    const slow = gw.ws(EVENTS, { client: gw.wsClient({ onSocket: (s) => (socket = s) }) });
    const prompt = gw.ws(EVENTS);
    await gw.subscribed(2);
    await eventually(() => socket !== undefined, 'the slow client to connect');
    socket?.pause();

    await pollUntil(() => gw.app.live.size.subscriptions === 1, prompt);
    expect(gw.app.live.size.pollers).toBe(1);

    socket?.resume();
    expect(await slow.done()).toEqual({ kind: 'complete' });
    const last = slow.all.at(-1);
    expect(last?.errors?.[0]?.extensions).toEqual({ code: 'SUBSCRIPTION_LIMIT', setting: 'SUBSCRIPTION_BUFFER' });
    // What it got before is in order and whole.
    for (const result of slow.all.slice(0, -1)) {
      expect(dataOf(result).sessionEvents.session.presenceMessage).toHaveLength(BIG);
    }
    // The one that kept up is still there.
    await gw.control.login('bob');
    await gw.poll();
    expect(dataOf(await prompt.next()).sessionEvents.kind).toBe('STARTED');
    expect(prompt.ending).toBeNull();
  });

  it('drops an SSE subscriber whose body is not read', async () => {
    const slow = await gw.sse(EVENTS, { read: false });
    expect(slow.response.status).toBe(200);
    const prompt = await gw.sse(EVENTS);
    await gw.subscribed(2);
    await pollUntil(() => gw.app.live.size.subscriptions === 1, prompt);
    expect(prompt.ending).toBeNull();
  });

  it('keeps a subscriber that reads promptly, however many polls bring fewer events than the buffer', async () => {
    const sse = await gw.sse(EVENTS);
    const ws = gw.ws(EVENTS);
    const graphqlSse = gw.graphqlSse(EVENTS);
    await gw.subscribed(3);
    for (let i = 0; i < 30; i++) {
      await gw.control.login('bob', { resource: `r${i}` });
      await gw.control.login('alice', { resource: `r${i}` });
      await gw.poll();
      for (const feed of [sse, ws, graphqlSse]) {
        expect((await feed.take(2)).map((r) => dataOf(r).sessionEvents.session.sessionId)).toEqual([
          `bob@example.org/r${i}`,
          `alice@example.org/r${i}`,
        ]);
      }
    }
    expect(gw.app.live.size.subscriptions).toBe(3);
    for (const feed of [sse, ws, graphqlSse]) expect(feed.ending).toBeNull();
  });
});
