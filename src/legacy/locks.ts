/**
 * Serialises legacy operations that touch the same user or group within this process, so an old client retrying
 * while its first attempt still runs (or rolls back) sees the finished state. Replicas are covered by leases shared
 * through Redis (`SharedLeases`, with `REDIS_URL`); other API clients are not.
 */
export interface KeyedLock {
  run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T>;
}

export function keyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async run(keys, work) {
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      // All keys are queued in one synchronous step, so two operations always queue in the same order: no deadlock.
      const waits = [...new Set(keys)].map((key) => {
        const previous = tails.get(key) ?? Promise.resolve();
        const tail = previous.then(() => done);
        tails.set(key, tail);
        void tail.then(() => {
          if (tails.get(key) === tail) tails.delete(key);
        });
        return previous;
      });
      await Promise.all(waits);
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** A lease on keys shared by replicas (src/redis/lock.ts): checked, and renewed, before each write. */
export interface Lease {
  check(): Promise<void>;
  release(): Promise<void>;
}

export interface SharedLeases {
  /** Takes every key or none, waiting a while for another replica's; rejects when it cannot. */
  acquire(keys: readonly string[]): Promise<Lease>;
}
