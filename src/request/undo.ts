import { setTimeout as sleep } from 'node:timers/promises';
import { isTransient, UpstreamError } from '../upstream/errors.js';

/** Openfire's own "not found" (with an error entity), not a bare 404 page from a plugin being reloaded. */
export const isGone = (error: unknown): boolean =>
  error instanceof UpstreamError && error.code === 'NOT_FOUND' && error.exception !== null;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** An undo step that failed, named by what it was to restore. */
export class UndoFailure extends Error {
  override readonly name = 'UndoFailure';
  constructor(
    readonly what: string,
    readonly error: unknown,
  ) {
    super(`${what}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * The compensating calls of a multi-step operation (all-or-nothing, openfire-rest-api.md §12.6 item 8). Each
 * successful write registers how to take it back; when a later step fails, the log runs newest first. What Openfire
 * says is gone counts as undone; a transient failure is tried again twice. A write whose answer was lost (timeout,
 * reset after sending) is never registered, because undoing a write that did not happen could destroy data that was
 * there.
 */
export class UndoLog {
  private readonly steps: Array<{ readonly run: () => Promise<unknown>; readonly what?: string }> = [];
  /** Steps run by the last rollback. */
  undone = 0;
  /** True while the steps run: their calls must reach Openfire even when it was just considered down. */
  rollingBack = false;

  /** `what` names what the step restores; a failure is then reported under that name (`UndoFailure`). */
  push(step: () => Promise<unknown>, what?: string): void {
    this.steps.push(what === undefined ? { run: step } : { run: step, what });
  }

  /** Runs every step, newest first; resolves to the failures of the steps that could not be undone. */
  async rollback(): Promise<unknown[]> {
    const failures: unknown[] = [];
    const steps = this.steps.splice(0).reverse();
    this.undone = steps.length;
    this.rollingBack = true;
    for (const step of steps) {
      try {
        await attempt(step.run);
      } catch (error) {
        failures.push(step.what === undefined ? error : new UndoFailure(step.what, error));
      }
    }
    this.rollingBack = false;
    return failures;
  }
}

/** An undo step's failure is read as it comes from the upstream client: steps call it directly, not mapped. */
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

/** An operation that failed and whose rollback did not complete: Openfire may hold part of it. */
export class IncompleteRollback extends Error {
  override readonly name = 'IncompleteRollback';
  constructor(
    readonly original: unknown,
    readonly failures: readonly unknown[],
  ) {
    super(`${messageOf(original)}; not undone: ${failures.map(messageOf).join('; ')}`, { cause: original });
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
