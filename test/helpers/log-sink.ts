import { createLogger, type Logger } from '../../src/observability/logger.js';
import { type ParsedJson, SECRET } from './emulator.js';
import { LEGACY_SECRET } from './legacy.js';

/** A password distinctive enough to find in a log line; tests that send passwords use it at least once. */
export const TEST_PASSWORD = 'pw-Vr8#kQ2mZ';

/** API keys the tests configure and send. */
export const TEST_API_KEYS = ['admin-key', 'read-key'] as const;

/** The HS256 secret the token tests configure (`AUTH_JWT_SECRET`). */
export const TEST_JWT_SECRET = 'jwt-secret-Zq3xW9vL2pR7tY5nK8mB4cD6';

/** Secrets made while tests run, such as the tokens they sign (test/helpers/identity-provider.ts registers each one). */
const madeSecrets = new Set<string>();

/** Adds a secret made at run time (a signed token) to what every log line is scanned for. */
export function scanForSecret(value: string): void {
  madeSecrets.add(value);
}

/** What must never appear in a log line (read lazily: legacy.ts imports this module). */
const secrets = (): string[] => {
  const values = [SECRET, LEGACY_SECRET, TEST_PASSWORD, ...TEST_API_KEYS, TEST_JWT_SECRET, ...madeSecrets];
  return [
    ...new Set(values.flatMap((value) => [value, encodeURIComponent(value), Buffer.from(value).toString('base64')])),
  ];
};

const lines: string[] = [];

/** Empties the sink; test/helpers/setup.ts does it before each test file, which then has the sink to itself. */
export function clearLogLines(): void {
  lines.length = 0;
}

/** Every log line written in this test file so far. */
export const logLines = (): readonly string[] => lines;

/** Parsed JSON lines (lines that are not JSON are left out). */
export const logRecords = (): Array<Record<string, ParsedJson>> =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, ParsedJson>];
    } catch {
      return [];
    }
  });

/** Adds lines logged elsewhere, e.g. by a child process. */
export function collectLines(text: string): void {
  for (const line of text.split('\n')) if (line.trim() !== '') lines.push(line);
}

/** A logger writing into this file's sink at `trace`, so every line the code can produce is produced and scanned. */
export function sinkLogger(): Logger {
  return createLogger({ level: 'trace', destination: { write: collectLines } });
}

/** The lines (this file's log lines by default) holding a test secret, each secret replaced by a placeholder. */
export function secretHits(source: readonly string[] = lines): string[] {
  const needles = secrets();
  return source
    .filter((line) => needles.some((needle) => line.includes(needle)))
    .map((line) => needles.reduce((shown, needle, i) => shown.split(needle).join(`<test secret #${i}>`), line));
}
