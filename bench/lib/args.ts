import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../../src/observability/logger.js';
import { ENTRY } from './processes.js';

export interface BenchOptions {
  /** Seconds per measured run. */
  readonly duration: number;
  readonly connections: number;
  readonly runs: number;
  /** Scenario ids asked for (exact); empty means all. */
  readonly only: readonly string[];
  readonly write: boolean;
  readonly logLevel: LogLevel;
  readonly cpuProf: boolean;
  /** Leave the processes where the scheduler puts them (see `--unpinned`). */
  readonly unpinned: boolean;
  /** The gateway's entry file; another build's (an older commit's `dist/main.js`) to compare it with this harness. */
  readonly gateway: string;
  /** `NODE_OPTIONS` for the gateway (V8's heap settings, say); `null`: none. */
  readonly nodeOptions: string | null;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --duration S       seconds per measured run (default 10)
  --connections N    connections kept busy (default 10; the "-1c" rows always use 1)
  --runs N           measured runs per side; the table shows medians (default 3)
  --only IDS         comma-separated scenario ids: S1 S1-1c S2 S2-20u S2-200u S2-20ku S3 S4 S4-1c
  --write            also write the results to bench/RESULTS.md
  --log-level L      the gateway's LOG_LEVEL (default info, as in production: one line per request)
  --cpu-prof         write V8 CPU profiles of each gateway and floor to bench/out/profiles/
  --unpinned         do not pin processes to cores (by default, with taskset and 2+ cores, the server being
                     measured runs alone on the last core and everything else on the others)
  --gateway FILE     the gateway's entry file (default dist/main.js, built first); e.g. an older commit's
                     dist/main.js from a git worktree, to measure it with this harness
  --node-options S   NODE_OPTIONS for the gateway, e.g. "--max-old-space-size=1024" (heap settings; see
                     docs/operations.md, Memory)
  --help             show this text
`;

export class ArgsError extends Error {}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ArgsError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

const FLAGS = {
  duration: { type: 'string', default: '10' },
  connections: { type: 'string', default: '10' },
  runs: { type: 'string', default: '3' },
  only: { type: 'string', default: '' },
  write: { type: 'boolean', default: false },
  'log-level': { type: 'string', default: 'info' },
  'cpu-prof': { type: 'boolean', default: false },
  unpinned: { type: 'boolean', default: false },
  gateway: { type: 'string', default: ENTRY.gateway },
  'node-options': { type: 'string', default: '' },
  help: { type: 'boolean', default: false },
} as const;

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], strict: true, options: FLAGS }).values;
  } catch (error) {
    throw new ArgsError((error as Error).message);
  }
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const values = readFlags(argv);
  const logLevel = values['log-level'];
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new ArgsError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    duration: positive('duration', values.duration),
    connections: positive('connections', values.connections),
    runs: positive('runs', values.runs),
    only: values.only
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    write: values.write,
    logLevel: logLevel as LogLevel,
    cpuProf: values['cpu-prof'],
    unpinned: values.unpinned,
    gateway: values.gateway,
    nodeOptions: values['node-options'].trim() === '' ? null : values['node-options'].trim(),
    help: values.help,
  };
}
