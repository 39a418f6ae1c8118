/** Timers and the clock, injected so that tests drive polls without waiting. */
export interface Scheduler {
  now(): number;
  /** Runs `run` once after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
}

/** Real timers, unref'd: a poll due later never keeps the process alive. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
