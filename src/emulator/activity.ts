/**
 * `--activity RATE`: a deterministic stream of about RATE simulated client events a second (activity-events.ts),
 * driven by the emulator's clock in small batches, so the sessions and occupants the REST API reports keep moving
 * while a frontend or a poller watches.
 */

import type { Scheduler } from '../common/scheduler.js';
import { simulateEvent } from './activity-events.js';
import { mulberry32 } from './random.js';
import type { Store } from './store.js';

/** The same seed and start state always give the same events. */
export const DEFAULT_ACTIVITY_SEED = 20260101;
/** Events a second at most: enough for load, few enough that each batch stays cheap. */
export const MAX_ACTIVITY_RATE = 1000;
/** After a stall (a suspended machine, a blocked loop) at most this much time is caught up, not a burst of hours. */
const MAX_CATCH_UP_MS = 1000;

export interface ActivitySettings {
  /** Events a second, above 0 and at most {@link MAX_ACTIVITY_RATE}. */
  readonly rate: number;
  /** Any integer; {@link DEFAULT_ACTIVITY_SEED} when absent. */
  readonly seed?: number;
}

export interface ActivityOptions extends ActivitySettings {
  readonly store: Store;
  readonly clock: Scheduler;
}

export interface Activity {
  /**
   * Performs exactly `n` events now (fewer only when nothing can happen: no users, no sessions), then reports one
   * change to the store.
   */
  step(n: number): void;
  /** Events performed so far, by the timer and by {@link step}. */
  readonly performed: number;
  /** No more timer-driven events; {@link step} still works. */
  stop(): void;
}

/** Throws a RangeError for a rate or seed the activity cannot run with. */
export function checkActivitySettings({ rate, seed }: ActivitySettings): void {
  if (!Number.isFinite(rate) || rate <= 0 || rate > MAX_ACTIVITY_RATE) {
    throw new RangeError(`activity rate must be above 0 and at most ${MAX_ACTIVITY_RATE}, got ${rate}`);
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new RangeError(`activity seed must be an integer, got ${seed}`);
  }
}

/** Starts the timer-driven stream at once; the handle also steps it by hand. */
export function startActivity(options: ActivityOptions): Activity {
  checkActivitySettings(options);
  const { store, clock, rate } = options;
  const random = mulberry32(options.seed ?? DEFAULT_ACTIVITY_SEED);
  // One wake-up per event at low rates, ten a second at most: a batch, then one store change (and one debounced
  // `--data` write) per tick.
  const tickMs = Math.min(1000, Math.max(100, 1000 / rate));
  let performed = 0;
  let owed = 0;
  let last = clock.now();
  let cancel: (() => void) | null = null;
  let stopped = false;

  function step(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`step needs a non-negative integer, got ${n}`);
    for (let i = 0; i < n; i++) if (simulateEvent(store, random, clock.now())) performed++;
    if (n > 0) store.changed();
  }

  function tick(): void {
    const now = clock.now();
    // Owed by elapsed time rather than by tick count, so late timers do not slow the rate; fractions carry over.
    owed += (rate * Math.min(Math.max(0, now - last), MAX_CATCH_UP_MS)) / 1000;
    last = now;
    const n = Math.floor(owed);
    owed -= n;
    step(n);
    schedule();
  }

  function schedule(): void {
    cancel = stopped ? null : clock.after(tickMs, tick);
  }

  schedule();
  return {
    step,
    get performed() {
      return performed;
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
