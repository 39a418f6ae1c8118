/** Calls one legacy request may have in flight at once, however many groups it names. */
export const PARALLEL_CALLS = 8;

/**
 * `items` through `run`, at most {@link PARALLEL_CALLS} at a time. After the first failure no new item starts; the
 * promise rejects with that failure once the running ones have settled (their writes are registered for undo).
 */
export async function mapLimited<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  // One iterator shared by the workers: each item is taken by exactly one of them.
  const queue = items.entries();
  let failure: { reason: unknown } | null = null;
  async function worker(): Promise<void> {
    for (const [i, item] of queue) {
      if (failure !== null) return;
      try {
        results[i] = await run(item);
      } catch (reason) {
        failure ??= { reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CALLS, items.length) }, worker));
  if (failure !== null) throw (failure as { reason: unknown }).reason;
  return results;
}
