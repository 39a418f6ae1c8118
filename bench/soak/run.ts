/**
 * `npm run bench:soak [-- --duration 60 --connections 64]`: the gateway under a steady mixed load for a while. Starts
 * the emulator (generated data set, control plane) and the gateway as their own processes on 127.0.0.1, warms up,
 * then runs GraphQL queries of several shapes and legacy `/userservice` calls (reads and add → update → delete
 * cycles) with autocannon. Every answer is checked: a non-2xx status, a GraphQL `errors` entry or a legacy `<error>`
 * reply counts as an error. Prints errors, latency, and the gateway's resident memory sampled through the run.
 * Not part of `npm test`.
 */

import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { defined } from '../../test/helpers/defined.js';
import { build, ENTRY, rssMiB, type Started, start } from '../lib/processes.js';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '64' } },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
if (!(DURATION > 0) || !(CONNECTIONS > 0))
  throw new Error('--duration (seconds) and --connections must be positive numbers');

const OPENFIRE_SECRET = 'soak-openfire-secret';
const USERSERVICE_SECRET = 'soak-userservice-secret';
const USERS = 1000;
const GROUPS = 100;
const ROOMS = 50;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const pick = (max: number): number => 1 + Math.floor(Math.random() * max);

interface Failures {
  count: number;
  samples: string[];
}
const failures: Failures = { count: 0, samples: [] };
const fail = (what: string): void => {
  failures.count++;
  if (failures.samples.length < 5) failures.samples.push(what.slice(0, 300));
};

const graphql = (name: string, query: () => string): autocannon.Request => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', authorization: OPENFIRE_SECRET },
  setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: query() }) }),
  onResponse: (status, body) => {
    if (status !== 200 || body.includes('"errors"')) fail(`${name}: ${status} ${body}`);
  },
});

type Context = { user?: string; n?: number };

/** One legacy call; `params` sees the connection's context, where the add/update/delete cycle keeps its user. */
const legacy = (type: string, params: (context: Context) => Record<string, string>): autocannon.Request => ({
  method: 'GET',
  setupRequest: (req, context: Context) => {
    const query = new URLSearchParams({ type, secret: USERSERVICE_SECRET, ...params(context) });
    return { ...req, path: `/userservice?${query}` };
  },
  onResponse: (status, body) => {
    if (status !== 200 || !body.startsWith('<result>')) fail(`legacy ${type}: ${status} ${body}`);
  },
});

/** Each connection walks this list in order, over and over. */
const workload: autocannon.Request[] = [
  graphql('user', () => `{ user(username: "user${pad(pick(USERS), 5)}") { username name email } }`),
  legacy('add', (c) => {
    c.n = (c.n ?? 0) + 1;
    c.user = `soak-${randomBytes(6).toString('hex')}`;
    return {
      username: c.user,
      password: 'pw',
      name: 'Soak Test',
      email: `${c.user}@example.com`,
      groups: `group${pad(pick(GROUPS), 4)}`,
    };
  }),
  graphql(
    'group and members',
    () => `{ group(name: "group${pad(pick(GROUPS), 4)}") { name members { username name } admins { username } } }`,
  ),
  legacy('update', (c) => ({ username: c.user ?? '', name: 'Soak Test Renamed' })),
  graphql('users page', () => `{ users(first: 20, search: "user00${pick(9)}") { totalCount nodes { username } } }`),
  legacy('usergrouplist', () => ({ username: `user${pad(pick(USERS), 5)}` })),
  graphql(
    'room and affiliates',
    () =>
      `{ chatRoom(name: "room${pad(pick(ROOMS), 4)}") { roomName owners { jid user { name } } occupants { nickname } } }`,
  ),
  legacy('delete', (c) => ({ username: c.user ?? '' })),
  graphql('user with groups', () => `{ user(username: "user${pad(pick(USERS), 5)}") { username groups { name } } }`),
  legacy('grouplist', () => ({})),
];

build();
const emulator = await start(
  'soak-emulator',
  [
    ENTRY.emulator,
    '--port',
    '0',
    '--secret',
    OPENFIRE_SECRET,
    '--control',
    '--users',
    String(USERS),
    '--groups',
    String(GROUPS),
    '--members',
    '10',
    '--rooms',
    String(ROOMS),
  ],
  {},
  /listening on (\S+)\/plugins/,
);
let gateway: Started | null = null;
try {
  gateway = await start(
    'soak-gateway',
    [ENTRY.gateway],
    {
      PORT: '0',
      OPENFIRE_URL: defined(emulator.match[1], "the emulator's URL in its ready line"),
      OPENFIRE_SECRET,
      USERSERVICE_SECRET,
      XMPP_DOMAIN: 'example.org',
    },
    /listening on (http:\/\/\S+)/,
  );
  const url = defined(gateway.match[1], "the gateway's URL in its ready line");
  const pid = gateway.pid;
  /** A sample of the gateway's resident memory; the process is running, so /proc answers. */
  const rss = (): number => rssMiB(pid) ?? Number.NaN;
  const rssAtBoot = rss();
  // Warm-up: the JIT compiles the hot paths and caches fill before anything is measured.
  await autocannon({ url, connections: Math.min(CONNECTIONS, 16), duration: 5, requests: workload });
  failures.count = 0;
  failures.samples.length = 0;

  const samples: number[] = [rss()];
  const sampler = setInterval(() => samples.push(rss()), 5_000);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: workload,
    timeout: 10,
  });
  clearInterval(sampler);
  samples.push(rss());

  const errors = result.errors + result.timeouts + result.non2xx + failures.count;
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  process.stdout.write(
    `Soak: ${DURATION} s, ${CONNECTIONS} connections, ${workload.length}-step mixed workload (5 GraphQL, 5 legacy), ${date}\n` +
      `Machine: ${machine}; emulator, gateway and load generator share it\n\n` +
      `| requests | req/s | errors | p50 ms | p99 ms | max ms | gateway RSS MiB: boot → start → end (max) |\n` +
      `|---|---|---|---|---|---|---|\n` +
      `| ${result.requests.total} | ${Math.round(result.requests.average)} | ${errors} | ${result.latency.p50} | ${result.latency.p99} | ${result.latency.max} | ` +
      `${rssAtBoot} → ${samples[0]} → ${samples.at(-1)} (${Math.max(...samples)}) |\n\n` +
      `RSS every 5 s (MiB): ${samples.join(' ')}\n` +
      (errors > 0
        ? `\nerrors: ${result.errors} socket, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${failures.count} error replies\n${failures.samples.join('\n')}\n`
        : ''),
  );
  process.exitCode = errors > 0 ? 1 : 0;
} finally {
  await gateway?.stop();
  await emulator.stop();
}
