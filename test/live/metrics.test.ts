import { expect, it } from 'vitest';
import { sessionEventsView, sessionsTopic } from '../../src/live/topics/sessions.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { SECRET } from '../helpers/emulator.js';
import { eventually } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/** The live hub's metrics: open subscriptions by topic and transport, pollers, polls, events sent, drops. */
const metrics = createMetrics({ process: false });
const gw = await startLiveGateway({ metrics, live: { buffer: 3 } });

/** A metric's values by their labels (`topic=…,transport=…`), a histogram's as `_count:topic=…` and so on. */
async function values(name: string): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values: list } = await metric.get();
  return Object.fromEntries(
    list.map((v: { value: number; labels: object; metricName?: string }) => {
      const labels = Object.entries(v.labels)
        .map(([key, label]) => `${key}=${label}`)
        .join(',');
      const suffix = v.metricName === undefined || v.metricName === name ? '' : `${v.metricName.slice(name.length)}:`;
      return [`${suffix}${labels}`, v.value];
    }),
  );
}

it('counts subscriptions by topic and transport, pollers, events sent and failed polls', async () => {
  const sse = await gw.sse('subscription { sessionCounts { local } }');
  const ws = gw.ws('subscription { sessionCounts { local } }');
  const graphqlSse = gw.graphqlSse('subscription { presence(usernames: ["jane", "bob"]) { online } }');
  await sse.next();
  await ws.next();
  await graphqlSse.take(2);
  await gw.subscribed(3);

  expect(await values('live_subscriptions')).toEqual({
    'topic=sessionCounts,transport=sse': 1,
    'topic=sessionCounts,transport=ws': 1,
    'topic=sessions,transport=graphql-sse': 1,
  });
  expect(await values('live_pollers')).toEqual({ 'topic=sessionCounts': 1, 'topic=sessions': 1 });
  expect(await values('live_events_sent_total')).toEqual({ 'topic=sessionCounts': 2, 'topic=sessions': 2 });

  gw.emulator.faults.add({ route: 'GET /sessions', status: 500 });
  await gw.control.login('bob');
  await gw.poll();
  expect(await values('live_poll_failures_total')).toEqual({ 'topic=sessions': 1 });
  await ws.next();
  await sse.next();
  gw.emulator.faults.clear();
  // The failed poller waits twice the interval.
  await gw.poll(2);
  await graphqlSse.next();
  expect(await values('live_events_sent_total')).toEqual({ 'topic=sessionCounts': 4, 'topic=sessions': 3 });
  // Failed polls are timed too: three of sessions, four of session counts.
  expect(await values('live_poll_duration_seconds')).toMatchObject({
    '_count:topic=sessions': 3,
    '_count:topic=sessionCounts': 4,
  });

  await ws.close();
  await gw.subscribed(2);
  expect(await values('live_subscriptions')).toMatchObject({ 'topic=sessionCounts,transport=ws': 0 });
  expect(await values('live_subscribers_dropped_total')).toEqual({});
});

it('counts subscribers dropped for falling behind', async () => {
  // A subscriber that never reads, straight on the hub (any transport that stops reading holds its queue so).
  const stuck = await gw.app.live.subscribe({
    topic: sessionsTopic,
    view: sessionEventsView(false),
    caller: { key: 'stuck', role: 'admin', authorization: SECRET },
    transport: 'ws',
  });
  await gw.subscribed(1);
  // The first poll's events wait unread, more than the buffer holds; the next poll's arrival drops it.
  for (const user of ['bob', 'alice', 'admin', 'jane']) await gw.control.login(user, { resource: 'burst' });
  await gw.poll();
  expect(gw.app.live.size.subscriptions).toBe(1);
  await gw.control.login('bob', { resource: 'second' });
  await gw.poll();
  await eventually(() => gw.app.live.size.subscriptions === 0, 'the stuck subscriber to be dropped');
  expect(await values('live_subscribers_dropped_total')).toEqual({ 'topic=sessions': 1 });
  expect(await values('live_subscriptions')).toMatchObject({ 'topic=sessions,transport=ws': 0 });
  await stuck.return?.();
});
