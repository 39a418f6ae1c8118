/**
 * `npm run bench:emulator`: the emulator must never be the bottleneck of later benchmarks. Starts the compiled
 * emulator as its own process (alone on a core when it can be pinned) on a generated data set and measures simple
 * GETs with autocannon. Prints a Markdown table; nothing here is part of `npm test`.
 */

import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { defined } from '../../test/helpers/defined.js';
import { build, canPin, ENTRY, pin, start } from '../lib/processes.js';

const SECRET = 'bench-secret';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Scenario {
  name: string;
  path: string;
  accept: string;
}

const scenarios: Scenario[] = [
  { name: 'GET /users/{username} JSON', path: '/plugins/restapi/v1/users/user00042', accept: 'application/json' },
  { name: 'GET /users/{username} XML', path: '/plugins/restapi/v1/users/user00042', accept: 'application/xml' },
  { name: 'GET /groups/{groupName} JSON', path: '/plugins/restapi/v1/groups/group0007', accept: 'application/json' },
  {
    name: 'GET /chatrooms/{roomName} JSON',
    path: '/plugins/restapi/v1/chatrooms/room0003',
    accept: 'application/json',
  },
];

async function measure(url: string, s: Scenario): Promise<autocannon.Result> {
  return autocannon({
    url: url + s.path,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { authorization: SECRET, accept: s.accept },
  });
}

build();
const emulator = await start(
  'emulator-bench',
  [
    ENTRY.emulator,
    '--port',
    '0',
    '--secret',
    SECRET,
    '--users',
    '2000',
    '--groups',
    '200',
    '--members',
    '25',
    '--rooms',
    '100',
  ],
  {},
  /listening on (\S+)\/plugins/,
);
const url = defined(emulator.match[1], "the emulator's URL in its ready line");
if (canPin()) pin(emulator.pid, [process.pid]);
try {
  // Warm-up so the JIT has compiled the hot path before measuring.
  await autocannon({
    url: url + defined(scenarios[0], 'a scenario to warm up with').path,
    connections: CONNECTIONS,
    duration: 3,
    headers: { authorization: SECRET },
  });
  const rows: string[] = [];
  for (const s of scenarios) {
    const r = await measure(url, s);
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${s.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    rows.push(`| ${s.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} |`);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `Emulator on one core (${cpu}), ${CONNECTIONS} connections, ${DURATION} s per row, ${new Date().toISOString().slice(0, 10)}\n\n` +
      `| request | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n${rows.join('\n')}\n`,
  );
} finally {
  await emulator.stop();
}
