/**
 * `npm run bench`: the gateway against direct REST calls (and, for S1, a bare graphql-yoga server) on generated data.
 * Each scenario starts its own emulator (`--control`) and gateway, as separate processes on 127.0.0.1; each side is
 * warmed up, its upstream calls per operation counted through `/__emulator/stats`, then measured in interleaved runs
 * whose medians go into one Markdown table. Not part of `npm test`: nothing here is asserted.
 *
 * Flags: `npm run bench -- --help` (their text and parsing are in lib/args.ts; docs/benchmarks.md has the table).
 */
import { existsSync } from 'node:fs';
import { ArgsError, type BenchOptions, parseBenchArgs, USAGE } from './lib/args.js';
import type { Load } from './lib/load.js';
import { machine } from './lib/machine.js';
import { build, canPin, cpuMs, ENTRY, pin, watchRss } from './lib/processes.js';
import { RESULTS_FILE, writeResults } from './lib/results-file.js';
import type { Scenario, Sides } from './lib/scenario.js';
import { type Stack, startStack } from './lib/stack.js';
import { medianSample, type Sample } from './lib/stats.js';
import { notes, type Row, type Side, table } from './lib/table.js';
import { userScenarios } from './scenarios/s1-user.js';
import { orgChartScenarios } from './scenarios/s2-org-chart.js';
import { roomDashboardScenarios } from './scenarios/s3-room-dashboard.js';
import { legacyScenarios } from './scenarios/s4-legacy.js';

const WARMUP_SECONDS = 5;
/** Operations run one after another, outside the timed runs, to count upstream calls. */
const COUNTED = 20;
const SCENARIOS: readonly Scenario[] = [
  ...userScenarios,
  ...orgChartScenarios,
  ...roomDashboardScenarios,
  ...legacyScenarios,
];

const progress = (text: string): void => void process.stderr.write(`${text}\n`);

function select(only: readonly string[]): Scenario[] {
  if (only.length === 0) return [...SCENARIOS];
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0)
    throw new ArgsError(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return SCENARIOS.filter((s) => only.includes(s.id));
}

type SideName = keyof Sides;

/** The process each side's load is answered by: its CPU time is sampled, and it gets a core to itself when pinned. */
function serverOf(stack: Stack, side: SideName): number {
  if (side === 'gateway') return stack.pids.gateway;
  if (side === 'floor') {
    if (stack.pids.floor === null) throw new Error('a floor side needs the stack started with the reference');
    return stack.pids.floor;
  }
  return stack.pids.emulator;
}

/** One timed run of one side, with its server's CPU time per operation; pinned first unless told not to. */
async function timedRun(
  stack: Stack,
  side: SideName,
  load: Load,
  connections: number,
  options: BenchOptions,
): Promise<Sample> {
  const server = serverOf(stack, side);
  if (!options.unpinned) {
    const { emulator, gateway, floor } = stack.pids;
    pin(
      server,
      [emulator, gateway, ...(floor === null ? [] : [floor]), process.pid].filter((pid) => pid !== server),
    );
  }
  const before = cpuMs(server);
  const sample = await load.measure(connections, options.duration);
  const after = cpuMs(server);
  const cpuUs =
    before === null || after === null || sample.operations === 0 ? null : ((after - before) * 1000) / sample.operations;
  return { ...sample, cpuUs };
}

/** Every side of a scenario: warm-up and call count one side after the other, then the timed runs interleaved. */
async function measureSides(
  scenario: Scenario,
  stack: Stack,
  connections: number,
  options: BenchOptions,
): Promise<Partial<Record<SideName, Side>>> {
  const sides = Object.entries(scenario.sides(stack)) as Array<[SideName, Load]>;
  const measured = sides.map(([name, load]) => ({ name, load, calls: 0, runs: [] as Sample[] }));
  for (const side of measured) {
    const { name, load } = side;
    progress(`${scenario.id} ${name}: warm-up ${WARMUP_SECONDS} s, then ${COUNTED} operations counted`);
    await load.measure(connections, WARMUP_SECONDS);
    await stack.quiet();
    await stack.reset();
    await load.sequential(COUNTED);
    side.calls = (await stack.upstreamCalls()) / COUNTED;
  }
  await stack.reset();
  for (let run = 1; run <= options.runs; run++) {
    for (const { name, load, runs } of measured) {
      // What the previous side left running (a resolver per field's thousands of calls) must not land in this run.
      await stack.quiet();
      progress(
        `${scenario.id} ${name}: run ${run}/${options.runs}, ${options.duration} s at ${connections} connection${connections === 1 ? '' : 's'}`,
      );
      runs.push(await timedRun(stack, name, load, connections, options));
    }
  }
  return Object.fromEntries(
    measured.map(({ name, load, runs, calls }) => [name, { driver: load.driver, sample: medianSample(runs), calls }]),
  );
}

async function measure(scenario: Scenario, options: BenchOptions): Promise<Row> {
  const connections = scenario.connections ?? options.connections;
  progress(
    `${scenario.id}: starting the emulator and the gateway${scenario.floor ? ' and the bare-yoga reference' : ''}`,
  );
  const stack = await startStack({
    name: scenario.id,
    sizes: scenario.sizes,
    logLevel: options.logLevel,
    floor: scenario.floor !== undefined,
    gatewayEnv: scenario.gatewayEnv,
    cpuProf: options.cpuProf,
    gateway: options.gateway,
    nodeOptions: options.nodeOptions,
  });
  const rss = watchRss(stack.pids.gateway);
  try {
    const { gateway, direct, floor } = await measureSides(scenario, stack, connections, options);
    if (!gateway || !direct) throw new Error(`${scenario.id}: every scenario measures the gateway and direct REST`);
    return { scenario, connections, gateway, direct, floor, rssMiB: rss.max() };
  } finally {
    rss.stop();
    await stack.stop();
  }
}

function report(rows: readonly Row[], options: BenchOptions, started: Date, machineLine: string): string {
  return [
    `## \`npm run bench\`, ${started.toISOString().slice(0, 10)}`,
    '',
    `Machine: ${machineLine}. Emulator, gateway, floor and load generator share it, as separate processes on 127.0.0.1` +
      (options.unpinned
        ? '.'
        : '; during each timed run the server being measured (gateway, floor, or the emulator for direct REST) has the last core to itself.'),
    `Method: per side, a ${WARMUP_SECONDS} s warm-up, then ${options.runs} interleaved run(s) of ${options.duration} s; medians. ` +
      `Gateway: \`LOG_LEVEL=${options.logLevel}\`, API-key auth, \`XMPP_DOMAIN\` set, other settings default${options.cpuProf ? ', CPU profiler on' : ''}${options.gateway === ENTRY.gateway ? '' : `, started from ${options.gateway}`}${options.nodeOptions === null ? '' : `, \`NODE_OPTIONS=${options.nodeOptions}\``}. ` +
      `Upstream calls: ${COUNTED} operations one after another after the warm-up, counted by the emulator.`,
    'Gateway and floor sides are driven by autocannon (one HTTP request is one operation); latencies are per operation, in ms; ' +
      'CPU is the user + system time of the server process answering the side (the gateway, the floor, or the emulator for direct REST) per operation.',
    '',
    table(rows),
    '',
    notes(rows),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let options: BenchOptions;
  let scenarios: Scenario[];
  try {
    options = parseBenchArgs(process.argv.slice(2));
    scenarios = select(options.only);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  progress('compiling src/ to dist/ (npm run build)');
  build();
  if (!existsSync(options.gateway)) {
    process.stderr.write(`bench: --gateway ${options.gateway}: no such file\n`);
    process.exit(2);
  }
  if (!options.unpinned && !canPin()) {
    progress('taskset or a second core is missing: running unpinned');
    options = { ...options, unpinned: true };
  }
  const started = new Date();
  const machineLine = machine();
  const rows: Row[] = [];
  for (const scenario of scenarios) rows.push(await measure(scenario, options));
  const text = report(rows, options, started, machineLine);
  process.stdout.write(`\n${text}`);
  if (options.write) {
    writeResults(text);
    progress(`written to ${RESULTS_FILE}`);
  }
}

await main();
