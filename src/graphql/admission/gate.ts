/**
 * Expensive operations admitted by their expected cost (estimate.ts): those costing `smallCost` or less pass at once
 * and are never counted or queued, so a lookup is never held behind an org chart. The others run while their costs
 * together stay within `maxCost` (one costing more runs alone), and wait in arrival order otherwise: the memory
 * their answers hold at once is bounded by the setting rather than by how many arrive together.
 */
export interface AdmissionOptions {
  /** `MAX_INFLIGHT_COST`: the cost of expensive operations running at once. */
  readonly maxCost: number;
  /** Operations up to this cost are never held. */
  readonly smallCost: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = { maxCost: 200_000, smallCost: 1_000 };

/** Why an operation stopped waiting: its client went away. */
export class AdmissionAborted extends Error {}

export interface Gate {
  /** Whether an operation of this cost passes without being counted. */
  isSmall(cost: number): boolean;
  /** Waits for room for `cost`; the returned function gives it back (once). Rejects when `signal` aborts first. */
  enter(cost: number, signal?: AbortSignal): Promise<() => void>;
  /** Cost running and operations waiting, for tests and metrics. */
  readonly load: { readonly running: number; readonly waiting: number };
}

interface Waiter {
  readonly cost: number;
  readonly admit: () => void;
}

export function admissionGate({ maxCost, smallCost }: AdmissionOptions): Gate {
  let running = 0;
  const queue: Waiter[] = [];
  const release = (cost: number) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running -= cost;
      drain();
    };
  };
  // In arrival order: a big operation at the head is not overtaken by smaller ones behind it, so it cannot starve.
  function drain(): void {
    for (let next = queue[0]; next && fits(next.cost); next = queue[0]) {
      queue.shift();
      running += next.cost;
      next.admit();
    }
  }
  const fits = (cost: number) => running === 0 || running + cost <= maxCost;
  const noop = () => undefined;
  return {
    isSmall: (cost) => cost <= smallCost,
    enter(cost, signal) {
      if (cost <= smallCost) return Promise.resolve(noop);
      if (queue.length === 0 && fits(cost)) {
        running += cost;
        return Promise.resolve(release(cost));
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          cost,
          admit: () => {
            signal?.removeEventListener('abort', abandon);
            resolve(release(cost));
          },
        };
        function abandon() {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          drain();
          reject(new AdmissionAborted('the client went away while the operation waited'));
        }
        if (signal?.aborted) return abandon();
        signal?.addEventListener('abort', abandon, { once: true });
        queue.push(waiter);
      });
    },
    get load() {
      return { running, waiting: queue.length };
    },
  };
}
