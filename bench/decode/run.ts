/**
 * `npm run bench:decode`: a microbenchmark of response decoding, the tolerant decoders alone against the fast path for
 * the current plugin's JSON (src/upstream/codec/canonical.ts). The bodies come from an in-process emulator on the
 * generated data set: `GET /users` with 2,000 users, one 25-member group, the room list. Prints a Markdown table of
 * microseconds and kilobytes allocated per body; nothing here is part of `npm test`.
 */

import { GCProfiler, getHeapStatistics } from 'node:v8';
import { generatedSeed } from '../../src/emulator/seeds/generated.js';
import { startEmulator } from '../../src/emulator/server.js';
import { decodeCanonical } from '../../src/upstream/codec/canonical.js';
import { type DecodableEntity, decodeEntity, decodeTolerant } from '../../src/upstream/codec/decode.js';
import { BASE_PATH } from '../../src/upstream/routes.js';

const SECRET = 'bench-secret';
const settings = { domain: 'example.org', secret: SECRET, httpAuth: 'secret' } as const;

interface Body {
  readonly name: string;
  readonly entity: DecodableEntity;
  readonly path: string;
  readonly runs: number;
}

const bodies: Body[] = [
  { name: 'GET /users (2,000 users)', entity: 'users', path: '/users', runs: 300 },
  { name: 'GET /groups/{name} (25 members)', entity: 'group', path: '/groups/group0001', runs: 30_000 },
  { name: 'GET /chatrooms (50 rooms)', entity: 'chatRooms', path: '/chatrooms', runs: 2_000 },
];

async function fetchBodies(): Promise<string[]> {
  const seed = generatedSeed(settings, { users: 2000, groups: 1, members: 25, rooms: 50 });
  const emulator = await startEmulator({ seed, port: 0, timeZone: 'UTC' });
  try {
    return await Promise.all(
      bodies.map(async ({ path }) => {
        const res = await fetch(`${emulator.url}${BASE_PATH}${path}`, {
          headers: { authorization: SECRET, accept: 'application/json' },
        });
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
        return res.text();
      }),
    );
  } finally {
    await emulator.close();
  }
}

// Results are kept here so that the decoding is not optimised away.
let sink: unknown;

/** Bytes allocated by `run`: the heap's growth plus everything the collections during it freed. */
function allocated(run: () => void): number {
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics().used_heap_size;
  run();
  const after = getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  const freed = statistics.reduce(
    (sum, gc) => sum + gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize,
    0,
  );
  return after - before + freed;
}

interface Measure {
  readonly us: number;
  readonly kb: number;
}

function measure(decode: () => unknown, runs: number): Measure {
  for (let i = 0; i < Math.max(20, runs / 10); i++) sink = decode();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) sink = decode();
  const us = Number(process.hrtime.bigint() - start) / 1000 / runs;
  const bytes = allocated(() => {
    for (let i = 0; i < runs; i++) sink = decode();
  });
  return { us, kb: bytes / 1024 / runs };
}

const num = (n: number): string =>
  n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en');
const pct = (fast: number, slow: number): string => `${Math.round((1 - fast / slow) * 100)} %`;

function row(label: string, tolerant: Measure, fast: Measure): string {
  const cells = [label, num(tolerant.us), num(fast.us), pct(fast.us, tolerant.us)];
  cells.push(num(tolerant.kb), num(fast.kb), pct(fast.kb, tolerant.kb));
  return `| ${cells.join(' | ')} |`;
}

const texts = await fetchBodies();
console.log(
  `Node ${process.version}; means per body over each row's runs after a warm-up; KB allocated per body (GC profiler)\n`,
);
console.log('| body | tolerant µs | fast µs | saved | tolerant KB | fast KB | saved |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [i, body] of bodies.entries()) {
  const text = texts[i] ?? '';
  const tree: unknown = JSON.parse(text);
  if (decodeCanonical(body.entity, tree) === undefined) throw new Error(`${body.name}: the fast path declined`);
  const withParse = [
    measure(() => decodeTolerant(body.entity, JSON.parse(text)), body.runs),
    measure(() => decodeEntity(body.entity, text, 'json'), body.runs),
  ] as const;
  const decodeOnly = [
    measure(() => decodeTolerant(body.entity, tree), body.runs),
    measure(() => decodeCanonical(body.entity, tree), body.runs),
  ] as const;
  console.log(row(`${body.name}, ${Math.round(text.length / 1024)} KB, parse + decode`, ...withParse));
  console.log(row(`${body.name}, decode only`, ...decodeOnly));
}
void sink;
