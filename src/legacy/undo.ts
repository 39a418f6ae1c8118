import { setTimeout as sleep } from 'node:timers/promises';
import { isTransient, UpstreamError } from '../upstream/errors.js';
import { IncompleteRollback } from './errors.js';

/**
 * The compensating calls of a multi-step legacy operation (all-or-nothing, openfire-rest-api.md §12.6 item 8). Each
 * successful write registers how to take it back; when a later step fails, the log runs newest first. What Openfire
 * says is gone counts as undone; a transient failure is tried again twice. A write whose answer was lost (timeout,
 * reset after sending) is never registered, because undoing a write that did not happen could destroy data that was
 * there.
 */
export class UndoLog {
  private readonly steps: Array<() => Promise<unknown>> = [];
  /** Steps run by the last rollback. */
  undone = 0;
  /** True while the steps run: their calls must reach Openfire even when it was just considered down. */
  rollingBack = false;

  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  /** Runs every step, newest first; resolves to the failures of the steps that could not be undone. */
  async rollback(): Promise<unknown[]> {
    const failures: unknown[] = [];
    const steps = this.steps.splice(0).reverse();
    this.undone = steps.length;
    this.rollingBack = true;
    for (const step of steps) {
      try {
        await attempt(step);
      } catch (error) {
        failures.push(error);
      }
    }
    this.rollingBack = false;
    return failures;
  }
}

/** Openfire's own "not found" (with an error entity), not a bare 404 page from a plugin being reloaded. */
export const isGone = (error: unknown): boolean =>
  error instanceof UpstreamError && error.code === 'NOT_FOUND' && error.exception !== null;

async function attempt(step: () => Promise<unknown>, tries = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await step();
      return;
    } catch (error) {
      if (isGone(error)) return;
      if (i >= tries || !isTransient(error)) throw error;
      await sleep(50 * 2 ** i);
    }
  }
}

/**
 * Runs `work`; on failure undoes what it registered in `undo` and rethrows (wrapped when the undo did not complete).
 */
export async function atomically<T>(undo: UndoLog, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failures = await undo.rollback();
    throw failures.length > 0 ? new IncompleteRollback(error, failures) : error;
  }
}
