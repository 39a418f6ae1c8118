/**
 * The emulator's now and one-shot timers, as simulated clients and `--activity` use them; tests inject their own to
 * step time without waiting.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms`; the returned function cancels it. The timer must not keep the process alive. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  // Looked up on each call, so vitest's fake timers (which replace the globals) drive the real clock too.
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
