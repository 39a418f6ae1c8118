import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root, where every entry point is started from. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on every mainstream kernel. */
const CLOCK_TICKS = 100;
/** Logs of the started processes (git-ignored). */
export const OUT = fileURLToPath(new URL('../out/', import.meta.url));

export interface Started {
  readonly pid: number;
  /** The match of the readiness pattern in the process's output, e.g. its URL. */
  readonly match: RegExpExecArray;
  /** SIGTERM, then resolves once the process has exited. */
  stop(): Promise<void>;
}

/** The compiled entry points (`npm run build`), which is what production runs (docs/operations.md). */
export const ENTRY = { gateway: 'dist/main.js', emulator: 'dist/emulator/main.js' } as const;

/**
 * Compiles src/ to dist/ (`npm run build`), so every measurement runs the current code as production runs it: plain
 * JavaScript, without tsx's loader and the name-keeping wrappers it adds around every function it creates.
 */
export function build(): void {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('npm run build failed');
}

/**
 * Starts a JavaScript entry point (`args[0]`, relative to the repository) as its own node process. Its stdout goes to
 * `bench/out/<name>.log`, polled until `ready` matches: reading a file, unlike a pipe, never blocks a chatty child.
 */
export async function start(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Started> {
  mkdirSync(OUT, { recursive: true });
  const log = `${OUT}${name}.log`;
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, 'inherit'],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; waited < 30_000 && running(child); waited += 100) {
    const match = ready.exec(readFileSync(log, 'utf8'));
    if (match) {
      if (child.pid === undefined) throw new Error(`${name} wrote its ready line without having a pid`);
      return { pid: child.pid, match, stop: () => stop(child, exited) };
    }
    await sleep(100);
  }
  await stop(child, exited);
  throw new Error(`${name} did not start; see ${log}`);
}

const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (running(child)) child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process in MiB, from /proc (Linux); `null` elsewhere or once it has exited. */
export function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/** Samples a process's resident memory every 250 ms, keeping the largest value seen. */
export function watchRss(pid: number): { max(): number | null; stop(): void } {
  let max: number | null = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (now !== null) max = Math.max(max ?? 0, now);
  }, 250);
  return { max: () => max, stop: () => clearInterval(timer) };
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux); `null` elsewhere. */
export function cpuMs(pid: number): number | null {
  try {
    // The fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
    const afterName = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1];
    if (afterName === undefined) return null;
    const fields = afterName.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The machine's cores (not this process's affinity, which pinning changes). */
const CORES = cpus().length;

/** Whether processes can be pinned to cores: Linux's `taskset` and at least two cores. */
export function canPin(): boolean {
  return CORES >= 2 && spawnSync('taskset', ['--version']).status === 0;
}

/**
 * Pins `alone` to the last core and `others` (this process among them) to the rest, so the server being measured
 * has a core of its own and its CPU time per operation is not bent by the load generator's.
 */
export function pin(alone: number, others: readonly number[]): void {
  const last = CORES - 1;
  const set = (pid: number, cpus: string): void => {
    const done = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    if (done.status !== 0) throw new Error(`taskset could not pin process ${pid} to ${cpus}`);
  };
  set(alone, String(last));
  for (const pid of others) set(pid, last === 1 ? '0' : `0-${last - 1}`);
}
