import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { collectLines } from './log-sink.js';

export interface Started {
  readonly child: ChildProcess;
  /** Everything printed so far on stdout. */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Children still running; a failed test may leave one, which test/helpers/setup.ts kills after the file. */
const running = new Set<ChildProcess>();

export function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * An entry point run as `npm start` runs it (TypeScript through tsx), or as production does (compiled JavaScript by
 * plain node), output captured.
 */
function spawnEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
): ChildProcessByStdio<null, Readable, Readable> {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, entry, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Starts an entry point and resolves once stdout matches `ready`: tests wait on the banner, not on a delay. It logs
 * at `trace` unless told otherwise, and its JSON log lines join the file's log sink (scanned for test secrets).
 */
export function startProcess(
  entry: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<Started> {
  const child = spawnEntry(entry, args, { LOG_LEVEL: 'trace', ...env });
  let partial = '';
  child.stdout.on('data', (chunk: string | Buffer) => {
    const text = partial + chunk.toString();
    const end = text.lastIndexOf('\n') + 1;
    partial = text.slice(end);
    // The human banner shares stdout and may show a credential on purpose: only log lines are collected.
    collectLines(
      text
        .slice(0, end)
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .join('\n'),
    );
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started: Started = {
    child,
    output: () => stdout,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (ready.test(stdout)) resolve(started);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    exited.then((code) => reject(new Error(`${entry} exited with ${code} before it was ready:\n${stdout}${stderr}`)));
  });
}

/** Runs an entry point to completion and returns its exit code and output. */
export function runProcess(
  entry: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnEntry(entry, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Whether a fresh TCP connection to 127.0.0.1:port is accepted or refused. */
export const tryConnect = (port: number): Promise<'accepted' | 'refused'> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', () => resolve('refused'));
  });
