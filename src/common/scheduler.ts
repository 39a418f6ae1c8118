/**
 * The clock and one-shot timers, injected wherever time drives behaviour (the live hub's polls, the emulator's
 * simulated clients) so that tests step time without waiting.
 */
export interface Scheduler {
  now(): number;
  /** Runs `run` once after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
}

/** Real timers, unref'd: a poll due later never keeps the process alive. */
export const realScheduler: Scheduler = {
  // Looked up on each call, so vitest's fake timers (which replace the globals) drive the real clock too.
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
