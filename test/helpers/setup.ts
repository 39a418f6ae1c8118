import { afterAll, beforeAll } from 'vitest';
import { clearLogLines, secretHits } from './log-sink.js';
import { killLeftovers } from './process.js';

/**
 * Runs around every test file: the file gets an empty log sink, and after its last test and hook, every line it
 * logged (its apps, emulators and child processes log into the sink at `trace`) is scanned for the test secrets,
 * and a child process a failed test left running is killed.
 */
beforeAll(() => clearLogLines());

afterAll(() => {
  killLeftovers();
  const hits = secretHits();
  if (hits.length > 0) throw new Error(`${hits.length} log line(s) hold a test secret, e.g.:\n${hits[0]}`);
});
