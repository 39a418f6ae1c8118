/**
 * `npm run bench:live [-- --subscribers 1,1000 --duration 60]`: subscriptions at scale. For each subscriber count,
 * fresh processes from the compiled build: the emulator (generated data set, control plane, simulated clients) and
 * the gateway (passthrough, `LOG_LEVEL=debug` for its `poll` lines). Then N `sessionEvents` subscriptions over SSE,
 * all with the same forwarded credential, so one poller serves them all. Measured over the window: `GET /sessions`
 * calls per poll interval (the emulator's statistics), delivery latency after the poll (the gateway's `poll` log line
 * to the client's receipt), fan-out spread (a receipt against the first receipt of the same event), events per
 * subscriber, the gateway's resident memory and CPU. Prints a Markdown table; not part of `npm test`.
 */

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { defined } from '../../test/helpers/defined.js';
import { machine } from '../lib/machine.js';
import { build, canPin, cpuMs, ENTRY, OUT, pin, rssMiB, type Started, start } from '../lib/processes.js';
import { mapLimit } from '../lib/rest.js';
import { percentile } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1,1000' },
    duration: { type: 'string', default: '60' },
    'poll-ms': { type: 'string', default: '2000' },
    activity: { type: 'string', default: '50' },
  },
});
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
};
const COUNTS = values.subscribers.split(',').map((n) => positive('subscribers', n));
const DURATION_MS = positive('duration', values.duration) * 1000;
const POLL_MS = positive('poll-ms', values['poll-ms']);
const ACTIVITY = positive('activity', values.activity);

const SECRET = 'live-openfire-secret';
const DATA = ['--users', '1000', '--groups', '100', '--members', '10', '--rooms', '50'];
const QUERY = 'subscription { sessionEvents { kind session { sessionId username presenceStatus lastActionDate } } }';
/** After the last subscription opened, before measuring: the JIT warms up and every stream has seen a poll. */
const WARM_UP_MS = Math.max(5_000, 2 * POLL_MS);
/** Subscriptions being opened at once (a thousand SYNs at once would overflow the listen backlog). */
const OPENING = 50;

interface LiveEvent {
  readonly kind: string;
  readonly session: { readonly sessionId: string; readonly presenceStatus: string; readonly lastActionDate: string };
}

/** Every receipt of every subscriber: (event id, subscriber, epoch ms) triples; a run holds millions. */
class Receipts {
  data = new Float64Array(3 * 65_536);
  length = 0;

  add(event: number, subscriber: number, time: number): void {
    if (3 * this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data.set([event, subscriber, time], 3 * this.length++);
  }
}

/** What the subscribers received: events by identity, when each was first seen, and every receipt. */
class Inbox {
  readonly ids = new Map<string, number>();
  readonly firstSeen: number[] = [];
  readonly receipts = new Receipts();
  errors = 0;
  firstError = '';
  /** Streams that ended before the bench closed them. */
  ended = 0;
  /** Set when the bench closes the streams itself. */
  closing = false;

  receive(subscriber: number, payload: string, time: number): void {
    const result = JSON.parse(payload) as { data?: { sessionEvents?: LiveEvent }; errors?: unknown };
    const event = result.data?.sessionEvents;
    if (event === undefined || result.errors !== undefined) {
      if (this.errors++ === 0) this.firstError = payload.slice(0, 300);
      return;
    }
    const { sessionId, presenceStatus, lastActionDate } = event.session;
    const key = `${event.kind} ${sessionId} ${presenceStatus} ${lastActionDate}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.firstSeen.push(time) - 1;
      this.ids.set(key, id);
    }
    this.receipts.add(id, subscriber, time);
  }
}

/** Opens one SSE subscription and reads it incrementally: each `event: next` block's data goes to the inbox. */
async function subscribe(pool: Pool, subscriber: number, inbox: Inbox): Promise<void> {
  const res = await pool.request({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: SECRET },
    body: JSON.stringify({ query: QUERY }),
  });
  const type = String(res.headers['content-type']);
  if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
    throw new Error(
      `subscription ${subscriber}: HTTP ${res.statusCode} ${type}: ${(await res.body.text()).slice(0, 300)}`,
    );
  }
  let buffer = '';
  res.body.setEncoding('utf8');
  res.body.on('data', (chunk: string) => {
    const now = Date.now();
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      if (!lines.includes('event: next')) continue;
      const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
      inbox.receive(subscriber, data.join('\n'), now);
    }
  });
  res.body.on('end', () => inbox.ended++);
  res.body.on('error', () => {
    if (!inbox.closing) inbox.ended++;
  });
}

/** The gateway's `poll` lines of the sessions topic: when each poll's answer came back (epoch ms) and its duration. */
function pollsOf(log: string): { time: number; durationMs: number }[] {
  const polls: { time: number; durationMs: number }[] = [];
  for (const line of log.split('\n')) {
    if (!line.includes('"msg":"poll"')) continue;
    const entry = JSON.parse(line) as { time: number; topic: string; durationMs: number };
    if (entry.topic === 'sessions') polls.push(entry);
  }
  return polls.sort((a, b) => a.time - b.time);
}

/** The latest poll at or before `time`, or -Infinity. */
function pollBefore(polls: readonly number[], time: number): number {
  let lo = 0;
  let hi = polls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((polls[mid] ?? 0) <= time) lo = mid + 1;
    else hi = mid;
  }
  return polls[lo - 1] ?? Number.NEGATIVE_INFINITY;
}

interface Row {
  readonly subscribers: number;
  readonly openMs: number;
  readonly sessionCalls: number;
  readonly otherCalls: number;
  readonly loggedPolls: number;
  readonly meanGapMs: number;
  readonly meanPollMs: number;
  readonly distinct: number;
  readonly delivered: number;
  readonly perSubscriber: readonly [number, number];
  readonly latency: Float64Array;
  readonly spread: Float64Array;
  readonly rss: { readonly idle: number; readonly subscribed: number; readonly peak: number; readonly end: number };
  readonly cpuMs: number;
  readonly windowMs: number;
  readonly dropped: number;
  readonly ended: number;
  readonly errors: number;
  readonly firstError: string;
}

async function stats(url: string): Promise<Record<string, number> & { total: number }> {
  const res = await fetch(`${url}/__emulator/stats`);
  const body = (await res.json()) as { total: number; routes: Record<string, number> };
  return { ...body.routes, total: body.total };
}

async function run(subscribers: number): Promise<Row> {
  const name = `live-${subscribers}`;
  const emulator = await start(
    `${name}-emulator`,
    [ENTRY.emulator, '--port', '0', '--secret', SECRET, '--control', ...DATA, '--activity', String(ACTIVITY)],
    {},
    /listening on (\S+)\/plugins/,
  );
  const emulatorUrl = defined(emulator.match[1], "the emulator's URL in its ready line");
  let gateway: Started | null = null;
  let pool: Pool | null = null;
  let sampler: NodeJS.Timeout | undefined;
  try {
    gateway = await start(
      `${name}-gateway`,
      [ENTRY.gateway],
      {
        PORT: '0',
        HOST: '127.0.0.1',
        OPENFIRE_URL: emulatorUrl,
        OPENFIRE_SECRET: SECRET,
        XMPP_DOMAIN: 'example.org',
        LOG_LEVEL: 'debug',
        SUBSCRIPTION_POLL_MS: String(POLL_MS),
        SUBSCRIPTION_MAX_PER_CALLER: String(Math.max(20, subscribers)),
      },
      /listening on (http:\/\/\S+)/,
    );
    const pid = gateway.pid;
    if (canPin()) pin(pid, [process.pid, emulator.pid]);
    const rss = (): number => rssMiB(pid) ?? Number.NaN;
    const inbox = new Inbox();
    await sleep(2_000);
    const idle = rss();
    let peak = idle;
    sampler = setInterval(() => {
      peak = Math.max(peak, rss());
    }, 1_000);
    const reset = await fetch(`${emulatorUrl}/__emulator/reset`, { method: 'POST' });
    if (reset.status !== 204) throw new Error(`emulator reset: HTTP ${reset.status}`);

    pool = new Pool(defined(gateway.match[1], "the gateway's URL in its ready line"), {
      connections: subscribers,
      bodyTimeout: 0,
      headersTimeout: 30_000,
    });
    const p = pool;
    const opening = Date.now();
    await mapLimit([...Array(subscribers).keys()], OPENING, (i) => subscribe(p, i, inbox));
    const openMs = Date.now() - opening;
    await sleep(WARM_UP_MS);

    const before = await stats(emulatorUrl);
    const cpuBefore = cpuMs(pid) ?? Number.NaN;
    const t0 = Date.now();
    const subscribed = rss();
    await sleep(DURATION_MS);
    const t1 = Date.now();
    const cpuAfter = cpuMs(pid) ?? Number.NaN;
    const after = await stats(emulatorUrl);
    const end = rss();
    // The last poll of the window is still being delivered: wait a poll interval before closing the streams.
    await sleep(POLL_MS);
    clearInterval(sampler);
    inbox.closing = true;
    await pool.destroy();
    await gateway.stop();
    gateway = null;

    const log = readFileSync(`${OUT}${name}-gateway.log`, 'utf8');
    const polls = pollsOf(log);
    const pollTimes = polls.map((poll) => poll.time);
    const windowPolls = polls.filter((poll) => poll.time >= t0 && poll.time <= t1);
    // An event belongs to the latest poll before its first receipt (by any subscriber).
    const pollOfEvent = inbox.firstSeen.map((time) => pollBefore(pollTimes, time));
    const { data, length } = inbox.receipts;
    const latency = new Float64Array(length);
    const spread = new Float64Array(length);
    const counts = new Array<number>(subscribers).fill(0);
    const distinct = new Set<number>();
    let delivered = 0;
    for (let i = 0; i < length; i++) {
      const event = data[3 * i] ?? 0;
      const poll = pollOfEvent[event] ?? Number.NEGATIVE_INFINITY;
      if (poll < t0 || poll > t1) continue;
      const time = data[3 * i + 2] ?? 0;
      latency[delivered] = time - poll;
      spread[delivered] = time - (inbox.firstSeen[event] ?? time);
      delivered++;
      distinct.add(event);
      const subscriber = data[3 * i + 1] ?? 0;
      counts[subscriber] = (counts[subscriber] ?? 0) + 1;
    }
    const gaps = windowPolls.slice(1).map((poll, i) => poll.time - (windowPolls[i]?.time ?? 0));
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sessionCalls = (after['GET /sessions'] ?? 0) - (before['GET /sessions'] ?? 0);
    return {
      subscribers,
      openMs,
      sessionCalls,
      otherCalls: after.total - before.total - sessionCalls,
      loggedPolls: windowPolls.length,
      meanGapMs: mean(gaps),
      meanPollMs: mean(windowPolls.map((poll) => poll.durationMs)),
      distinct: distinct.size,
      delivered,
      perSubscriber: [Math.min(...counts), Math.max(...counts)],
      latency: latency.subarray(0, delivered),
      spread: spread.subarray(0, delivered),
      rss: { idle, subscribed, peak: Math.max(peak, subscribed, end), end },
      cpuMs: cpuAfter - cpuBefore,
      windowMs: t1 - t0,
      dropped: log.split('"msg":"subscriber dropped').length - 1,
      ended: inbox.ended,
      errors: inbox.errors,
      firstError: inbox.firstError,
    };
  } finally {
    clearInterval(sampler);
    await pool?.destroy();
    await gateway?.stop();
    await emulator.stop();
  }
}

const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const spreadOf = (xs: Float64Array): string => [50, 99, 100].map((p) => fixed(percentile(xs, p), 0)).join(' / ');

build();
const head = machine();
const rows: Row[] = [];
for (const n of COUNTS) rows.push(await run(n));

const intervals = DURATION_MS / POLL_MS;
const lines = rows.map((r) => {
  const seconds = r.windowMs / 1000;
  const cells = [
    r.subscribers.toLocaleString('en'),
    `${r.sessionCalls} / ${intervals}`,
    fixed(r.sessionCalls / intervals, 2),
    `${r.delivered.toLocaleString('en')} (${Math.round(r.delivered / seconds).toLocaleString('en')}/s)`,
    `${r.perSubscriber[0]}–${r.perSubscriber[1]}`,
    spreadOf(r.latency),
    spreadOf(r.spread),
    `${r.rss.idle} / ${r.rss.subscribed} / ${r.rss.peak}`,
    `${fixed((100 * r.cpuMs) / r.windowMs)}% · ${fixed(r.cpuMs / intervals, 0)} ms · ${fixed((1000 * r.cpuMs) / r.delivered, 0)} µs`,
  ];
  return `| ${cells.join(' | ')} |`;
});
const notes = rows.map(
  (r) =>
    `- ${r.subscribers} subscriber(s): opened in ${r.openMs} ms; ${r.loggedPolls} \`poll\` lines in the window, ` +
    `${fixed(r.meanGapMs / 1000, 3)} s apart on average, each read ${fixed(r.meanPollMs)} ms; ` +
    `${r.distinct} distinct events; other upstream calls ${r.otherCalls}; RSS at the end ${r.rss.end} MiB; ` +
    `streams ended early ${r.ended}, dropped for lagging ${r.dropped}, error payloads ${r.errors}` +
    (r.firstError ? ` (first: ${r.firstError})` : ''),
);
process.stdout.write(
  `Live subscriptions: sessionEvents over SSE, ${DURATION_MS / 1000} s window after ${WARM_UP_MS / 1000} s warm-up, ` +
    `SUBSCRIPTION_POLL_MS=${POLL_MS}, emulator --activity ${ACTIVITY}, ${new Date().toISOString().slice(0, 10)}\n` +
    `Machine: ${head}; emulator, gateway and subscribers share it` +
    `${canPin() ? ' (the gateway alone on the last core)' : ''}\n\n` +
    `| subscribers | GET /sessions: counted / expected | per interval | events delivered | per subscriber min–max | ` +
    `after poll p50 / p99 / max ms | fan-out spread p50 / p99 / max ms | gateway RSS MiB idle / subscribed / peak | ` +
    `gateway CPU: % · ms per interval · µs per event delivered |\n|${' --- |'.repeat(9)}\n${lines.join('\n')}\n\n${notes.join('\n')}\n`,
);
process.exitCode = rows.some((r) => r.errors + r.ended + r.dropped > 0 || r.perSubscriber[0] !== r.perSubscriber[1])
  ? 1
  : 0;
