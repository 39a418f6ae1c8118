/**
 * `npm run bench:replicas [-- --duration 10 --runs 3]`: what sharing state through Redis costs (docs/benchmarks.md,
 * Replicas). One emulator (2,000 generated users) and a real redis-server, then three set-ups from the compiled
 * build, all running at once and measured in turn, interleaved:
 *   - one gateway without `REDIS_URL` (today's single process);
 *   - one gateway with `REDIS_URL` (Redis's cost alone);
 *   - two gateways with `REDIS_URL`, the load's connections dealt out between them (what a two-replica site runs).
 * Flags: --duration S (10), --runs N (3), --only S1,S1-1c,S4,S4-1c (all four).
 * Scenarios: S1 (one user over GraphQL: one upstream call, so one permit of the caller's share in Redis) and S4 (a
 * legacy add + delete: the throttle's count, the lease on the user, its check before each write), at 10 connections
 * and at one. CPU per operation is summed over the set-up's gateways, and Redis's own is shown beside it. Unpinned:
 * five servers and the load generator share the machine. Prints a Markdown table; not part of `npm test`.
 */
import { parseArgs } from 'node:util';
import { defined } from '../../test/helpers/defined.js';
import { startRedis } from '../../test/helpers/redis-server.js';
import type { Load } from '../lib/load.js';
import { machine } from '../lib/machine.js';
import { build, cpuMs, ENTRY, type Started, start } from '../lib/processes.js';
import { API_KEY, DOMAIN, OPENFIRE_SECRET, USERSERVICE_SECRET } from '../lib/stack.js';
import { medianSample, type Sample } from '../lib/stats.js';
import { userLookup } from '../scenarios/s1-user.js';
import { legacyCycle } from '../scenarios/s4-legacy.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: 'S1,S1-1c,S4,S4-1c' },
  },
});
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
};
const DURATION = positive('duration', values.duration);
const RUNS = positive('runs', values.runs);
const WARMUP_SECONDS = 5;
const LISTENING = /listening on (http:\/\/\S+?)(?:\/plugins\S*)?\s/;

const progress = (text: string): void => void process.stderr.write(`${text}\n`);

interface SetUp {
  readonly title: string;
  readonly gateways: readonly Started[];
}

interface Measured {
  readonly sample: Sample;
  /** Gateways' CPU per operation, summed, in µs. */
  readonly gatewayUs: number;
  readonly redisUs: number;
}

const SCENARIOS = [
  { id: 'S1', load: userLookup, connections: 10 },
  { id: 'S1-1c', load: userLookup, connections: 1 },
  { id: 'S4', load: legacyCycle, connections: 10 },
  { id: 'S4-1c', load: legacyCycle, connections: 1 },
] as const;

const cpuOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? Number.NaN), 0);

async function timed(load: Load, connections: number, gateways: readonly number[], redis: number): Promise<Measured> {
  const before = { gateways: cpuOf(gateways), redis: cpuOf([redis]) };
  const sample = await load.measure(connections, DURATION);
  const perOp = (ms: number) => (ms * 1000) / sample.operations;
  return {
    sample,
    gatewayUs: perOp(cpuOf(gateways) - before.gateways),
    redisUs: perOp(cpuOf([redis]) - before.redis),
  };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

async function main(): Promise<void> {
  progress('compiling src/ to dist/ (npm run build)');
  build();
  const started: Started[] = [];
  const redis = await startRedis();
  try {
    const emulator = await start(
      'replicas-emulator',
      [ENTRY.emulator, '--port', '0', '--secret', OPENFIRE_SECRET, '--domain', DOMAIN, '--control', '--users', '2000'],
      {},
      LISTENING,
    );
    started.push(emulator);
    const gateway = async (name: string, redisUrl: string | null): Promise<Started> => {
      const env: Record<string, string> = {
        PORT: '0',
        HOST: '127.0.0.1',
        OPENFIRE_URL: defined(emulator.match[1], "the emulator's URL"),
        OPENFIRE_SECRET,
        XMPP_DOMAIN: DOMAIN,
        GATEWAY_API_KEYS: `${API_KEY}:admin`,
        USERSERVICE_SECRET,
        LOG_LEVEL: 'warn',
      };
      if (redisUrl !== null) env.REDIS_URL = redisUrl;
      const child = await start(`replicas-${name}`, [ENTRY.gateway], env, LISTENING);
      started.push(child);
      return child;
    };
    const single = await gateway('single', null);
    const a = await gateway('a', redis.url);
    const b = await gateway('b', redis.url);
    const setUps: SetUp[] = [
      { title: 'one gateway, no Redis', gateways: [single] },
      { title: 'one gateway, Redis', gateways: [a] },
      { title: 'two gateways, Redis', gateways: [a, b] },
    ];
    const redisPid = defined(redis.pid(), "redis-server's pid");
    const lines: string[] = [];
    const only = values.only.split(',');
    for (const scenario of SCENARIOS.filter((s) => only.includes(s.id))) {
      const loads = setUps.map((setUp) => scenario.load(setUp.gateways.map((g) => defined(g.match[1], 'a URL'))));
      for (const [i, load] of loads.entries()) {
        progress(`${scenario.id} ${setUps[i]?.title}: warm-up ${WARMUP_SECONDS} s`);
        await load.measure(scenario.connections, WARMUP_SECONDS);
      }
      const runs = setUps.map(() => [] as Measured[]);
      for (let run = 1; run <= RUNS; run++) {
        for (const [i, setUp] of setUps.entries()) {
          progress(`${scenario.id} ${setUp.title}: run ${run}/${RUNS}, ${DURATION} s`);
          const pids = setUp.gateways.map((g) => g.pid);
          runs[i]?.push(await timed(defined(loads[i], 'a load'), scenario.connections, pids, redisPid));
        }
      }
      const baseline = medianSample(runs[0]?.map((r) => r.sample) ?? []);
      const baseCpu = median(runs[0]?.map((r) => r.gatewayUs) ?? []);
      for (const [i, setUp] of setUps.entries()) {
        const measured = runs[i] ?? [];
        const sample = medianSample(measured.map((r) => r.sample));
        const gatewayUs = median(measured.map((r) => r.gatewayUs));
        const redisUs = median(measured.map((r) => r.redisUs));
        const added = i === 0 ? '' : ` (${signed(sample.p50 - baseline.p50, 2)})`;
        const addedCpu = i === 0 ? '' : ` (${signed(gatewayUs - baseCpu, 0)})`;
        lines.push(
          `| ${scenario.id} | ${scenario.connections} | ${setUp.title} | ${Math.round(sample.opsPerSec)} | ` +
            `${sample.p50.toFixed(2)}${added} | ${sample.p99.toFixed(2)} | ${Math.round(gatewayUs)}${addedCpu} | ` +
            `${i === 0 ? '–' : Math.round(redisUs)} |`,
        );
      }
    }
    process.stdout.write(
      [
        '',
        `## \`npm run bench:replicas\`, ${new Date().toISOString().slice(0, 10)}`,
        '',
        `Machine: ${machine()}. Emulator, redis-server, three gateways and autocannon share it, unpinned.`,
        `Method: per set-up a ${WARMUP_SECONDS} s warm-up, then ${RUNS} interleaved runs of ${DURATION} s; medians. ` +
          'Gateways: `LOG_LEVEL=warn`, API-key auth, other settings default. ' +
          'p50 and gateway CPU in parentheses: added to the set-up without Redis.',
        '',
        '| scenario | connections | set-up | ops/s | p50 ms | p99 ms | gateway CPU µs/op | Redis CPU µs/op |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...lines,
        '',
      ].join('\n'),
    );
  } finally {
    for (const child of started.reverse()) await child.stop();
    await redis.stop();
  }
}

const signed = (value: number, digits: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;

await main();
