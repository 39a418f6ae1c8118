import type { Scheduler } from '../../src/common/scheduler.js';

/**
 * A live hub scheduler that only moves when a test says so: `advance(ms)` runs the timers that fall due, in time order
 * (and those they set, if due by then), without waiting. Polls are asynchronous: a timer only starts one, so a test
 * awaits what it expects on the client side (or `LiveGateway.settled()`) before advancing again.
 */
export class ManualScheduler implements Scheduler {
  #now: number;
  #timers: Array<{ at: number; seq: number; run: () => void }> = [];
  #seq = 0;
  #fired = 0;

  constructor(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.#now = start;
  }

  readonly now = (): number => this.#now;

  after(ms: number, run: () => void): () => void {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, run };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, running every timer that falls due (including those set while advancing). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = this.#timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)
        .at(0);
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.at;
      this.#fired++;
      next.run();
    }
    this.#now = end;
  }

  /** Timers set and neither run nor cancelled. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Timers run so far. */
  get fired(): number {
    return this.#fired;
  }
}
