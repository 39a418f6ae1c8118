import { type DestinationStream, type Logger, pino, stdSerializers } from 'pino';
import { scrub } from './scrub.js';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where JSON lines go: `stdoutDestination()` in the process (which must flush it on exit), a collector in tests. */
  readonly destination: DestinationStream;
}

export interface StdoutDestination extends DestinationStream {
  /** Writes what is still buffered, synchronously: call it when the process exits. */
  flushSync(): void;
}

/**
 * Standard output, written synchronously (nothing is lost to a pending write when the process exits) but once per
 * turn of the event loop: the lines of that turn are buffered and written together after it, so a busy gateway
 * makes one system call for many requests, and a request's line is written after its response, not before.
 */
export function stdoutDestination(): StdoutDestination {
  // The buffer is flushed by the scheduled turn below, or at once when it grows past minLength.
  const out = pino.destination({ dest: 1, sync: true, minLength: 8 * 1024 });
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    out.flush();
  };
  return {
    write(line: string) {
      out.write(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flushSync: () => out.flushSync(),
  };
}

/**
 * Keys whose values never reach a log line: at the top level and in header objects here; string values under these
 * keys at any depth are caught by `scrub` over the finished line (pino's `*.key` wildcards cost ~5 µs a key a line).
 */
const REDACT = ['authorization', 'cookie', 'secret', 'password', 'token'].flatMap((key) => [
  key,
  `headers.${key}`,
  `req.headers.${key}`,
]);

/** Errors keep their type, message and stack (scrubbed), and the route, status and code upstream errors carry. */
function error(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const serialized = stdSerializers.err(value);
  return { ...serialized, message: scrub(serialized.message), stack: scrub(serialized.stack) };
}

/**
 * Structured JSON lines (pino): time in epoch milliseconds (cheaper than ISO strings) and level names; lines about a
 * request (its summary, its upstream calls, a failed undo) carry its `requestId`. Credentials are removed twice: by
 * key (`redact`) and, as a last line of defence, by pattern over each finished line (`scrub`).
 */
export function createLogger(options: LoggerOptions): Logger {
  const { destination } = options;
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT, censor: '[REDACTED]' },
      serializers: { err: error, error },
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => destination.write(scrub(line)) },
  );
}
