import type { Permits } from '../common/permits.js';

/**
 * Upstream calls shared fairly between callers. The pool to Openfire has `capacity` connections; one caller (an API
 * key, a forwarded credential, a legacy client address) may hold at most `perCaller` of them, and when callers wait,
 * each free slot goes to the one holding the fewest. A caller flooding the gateway thus waits behind its own calls,
 * while a second caller's single lookup gets the next free slot.
 *
 * With `permits` counted across replicas (`REDIS_URL`), a caller's share is also held across all of them: a call with
 * a slot here waits, holding it, until the caller has fewer than `perCaller` calls in flight on every replica
 * together, so spreading a flood over replicas does not multiply what it may hold of Openfire.
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

export function fairShare(options: FairShareOptions, permits?: Permits): FairShare {
  const local = localShare(options);
  if (permits === undefined) return local;
  return {
    async acquire(caller) {
      const release = await local.acquire(caller);
      try {
        for (let attempt = 0; ; attempt++) {
          const permit = await permits.take(caller, options.perCaller);
          if (permit) {
            return () => {
              permit();
              release();
            };
          }
          // Another replica holds the rest of the share: its calls end within the upstream timeout.
          await new Promise((resolve) => setTimeout(resolve, Math.min(5 * 2 ** attempt, CLUSTER_RETRY_MAX_MS)));
        }
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}

/** The longest wait between two attempts at a share held on other replicas. */
const CLUSTER_RETRY_MAX_MS = 100;

function localShare({ capacity, perCaller }: FairShareOptions): FairShare {
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
