import { describe, expect, it } from 'vitest';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';
import { logRecords } from '../helpers/log-sink.js';

/**
 * A poller's life: started by the first subscriber, stopped when the last leaves (whatever the transport), and
 * unmoved by a failing Openfire: no event claims a session ended because a poll failed, and polls come less often
 * until one succeeds.
 */
const gw = await startLiveGateway();

const EVENTS = 'subscription ($current: Boolean) { sessionEvents(current: $current) { kind session { sessionId } } }';
const event = (result: LiveResult) => {
  const { kind, session } = dataOf(result).sessionEvents;
  return `${kind} ${session.sessionId}`;
};

describe('a poller', () => {
  it('stops once its last subscriber has left, over every transport, and polls no more', async () => {
    const sse = await gw.sse(EVENTS);
    const client = gw.wsClient();
    const ws = client.iterate({ query: EVENTS, variables: { current: true } });
    const graphqlSse = gw.graphqlSse(EVENTS);
    expect(event((await ws.next()).value as LiveResult)).toBe('STARTED jane@example.org/laptop');
    await gw.subscribed(3);
    expect(gw.app.live.size.pollers).toBe(1);

    await sse.close();
    await gw.subscribed(2);
    await ws.return?.();
    await gw.subscribed(1);
    expect(gw.app.live.size.pollers).toBe(1);
    await graphqlSse.close();
    await gw.subscribed(0);
    expect(gw.app.live.size.pollers).toBe(0);
    expect(gw.scheduler.pending).toBe(0);

    gw.emulator.stats.reset();
    gw.scheduler.advance(gw.pollMs * 10);
    await gw.settled();
    expect(gw.emulator.stats.toJSON().total).toBe(0);
  });

  it('starts afresh for a later subscriber, with a poll of its own', async () => {
    const first = await gw.sse(EVENTS, { variables: { current: true } });
    await first.take(2);
    await first.close();
    await gw.subscribed(0);
    await gw.control.logout('john@example.org/phone');
    gw.emulator.stats.reset();
    const second = await gw.sse(EVENTS, { variables: { current: true } });
    expect(event(await second.next())).toBe('STARTED jane@example.org/laptop');
    await gw.subscribed(1);
    expect(gw.calls('GET /sessions')).toBe(1);
    // A fresh start: nothing of the earlier snapshot (john's session) comes back as ENDED.
    await gw.control.login('bob', { resource: 'desk' });
    await gw.poll();
    expect(event(await second.next())).toBe('STARTED bob@example.org/desk');
    expect(second.all).toHaveLength(2);
  });
});

describe('when Openfire fails', () => {
  it.each([
    ['answers 500', { status: 500 }],
    ['drops the connection', { reset: true }],
  ])('(%s) sends nothing, backs off, and resumes with the real changes', async (_name, fault) => {
    const events = await gw.sse(EVENTS, { variables: { current: true } });
    const sse = await gw.sse('subscription { sessionCounts { local } }');
    await events.take(2);
    await sse.next();
    await gw.subscribed(2);

    gw.emulator.faults.add({ route: 'GET /sessions', ...fault });
    gw.emulator.stats.reset();
    await gw.control.logout('john@example.org/phone');
    await gw.poll();
    expect(gw.calls('GET /sessions')).toBe(1);
    // The next try waits twice the interval, the one after four times.
    await gw.poll();
    expect(gw.calls('GET /sessions')).toBe(1);
    await gw.poll();
    expect(gw.calls('GET /sessions')).toBe(2);
    await gw.poll(3);
    expect(gw.calls('GET /sessions')).toBe(2);
    // Session counts come from another route: their poller went on meanwhile.
    expect(gw.calls('GET /system/statistics/sessions')).toBe(6);
    expect(dataOf(await sse.next()).sessionCounts).toEqual({ local: 1 });

    gw.emulator.faults.clear();
    await gw.poll();
    expect(gw.calls('GET /sessions')).toBe(3);
    expect(event(await events.next())).toBe('ENDED john@example.org/phone');
    // Back to the plain interval.
    await gw.control.login('bob', { resource: 'desk' });
    await gw.poll();
    expect(gw.calls('GET /sessions')).toBe(4);
    expect(event(await events.next())).toBe('STARTED bob@example.org/desk');
    expect(events.all.map(event)).toEqual([
      'STARTED jane@example.org/laptop',
      'STARTED john@example.org/phone',
      'ENDED john@example.org/phone',
      'STARTED bob@example.org/desk',
    ]);
    expect(events.ending).toBeNull();
  });

  it('logs the first failure of a run once, as a warning', async () => {
    const feed = await gw.sse(EVENTS);
    await gw.subscribed(1);
    const before = logRecords().filter((r) => r.msg?.startsWith('poll failed')).length;
    gw.emulator.faults.add({ route: 'GET /sessions', status: 503 });
    await gw.poll();
    gw.scheduler.advance(gw.pollMs * 2);
    await gw.settled();
    const warnings = logRecords()
      .filter((r) => r.msg?.startsWith('poll failed'))
      .slice(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', topic: 'sessions' });
    expect(feed.all).toEqual([]);
  });
});
