/**
 * Upstream calls shared fairly between callers. The pool to Openfire has `capacity` connections; one caller (an API
 * key, a forwarded credential, a legacy client address) may hold at most `perCaller` of them, and when callers wait,
 * each free slot goes to the one holding the fewest. A caller flooding the gateway thus waits behind its own calls,
 * while a second caller's single lookup gets the next free slot.
 */
export interface FairShare {
  /** Waits for a slot of `caller`'s share; the returned function gives it back (call it exactly once). */
  acquire(caller: string): Promise<() => void>;
}

/** `UPSTREAM_CONNECTIONS` and `UPSTREAM_CALLER_CONCURRENCY` when not configured: half the pool for one caller. */
export const DEFAULT_FAIR_SHARE: FairShareOptions = { capacity: 32, perCaller: 16 };

export interface FairShareOptions {
  /** Calls in flight at once, all callers together: the size of the upstream pool. */
  readonly capacity: number;
  /** Calls one caller may have in flight at once, all its requests together. */
  readonly perCaller: number;
}

interface Queue {
  active: number;
  readonly waiting: Array<() => void>;
}

export function fairShare({ capacity, perCaller }: FairShareOptions): FairShare {
  const callers = new Map<string, Queue>();
  /** Callers with waiting calls, longest waiting first. */
  const turns: string[] = [];
  let active = 0;

  const queueOf = (caller: string): Queue => {
    let queue = callers.get(caller);
    if (!queue) {
      queue = { active: 0, waiting: [] };
      callers.set(caller, queue);
    }
    return queue;
  };

  const grant = (caller: string, queue: Queue): (() => void) => {
    active++;
    queue.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      queue.active--;
      if (queue.active === 0 && queue.waiting.length === 0) callers.delete(caller);
      dispatch();
    };
  };

  /**
   * Hands free slots to waiting callers: each to the caller holding the fewest (the longest waiting of them on a tie),
   * so a caller arriving during a flood is served before the flood's next call.
   */
  function dispatch(): void {
    while (active < capacity) {
      let chosen = -1;
      let fewest = perCaller;
      turns.forEach((caller, i) => {
        const held = queueOf(caller).active;
        if (held < fewest) {
          chosen = i;
          fewest = held;
        }
      });
      if (chosen === -1) return;
      const [caller] = turns.splice(chosen, 1) as [string];
      const queue = queueOf(caller);
      queue.waiting.shift()?.();
      if (queue.waiting.length > 0) turns.push(caller);
    }
  }

  return {
    acquire(caller) {
      const queue = queueOf(caller);
      if (active < capacity && queue.active < perCaller && queue.waiting.length === 0)
        return Promise.resolve(grant(caller, queue));
      return new Promise((resolve) => {
        if (queue.waiting.length === 0) turns.push(caller);
        queue.waiting.push(() => resolve(grant(caller, queue)));
      });
    },
  };
}
