import type { Scheduler } from '../common/scheduler.js';
import type { Queue } from './queue.js';

/**
 * What subscribers see of a topic's snapshots. Views with the same key are computed once per poll for all their
 * subscribers. `project(null, snapshot)` is what a new subscriber gets first (the current state, or nothing).
 */
export interface View<S, E> {
  readonly key: string;
  /** Called before each projection; readies what `project` needs (e.g. an end user's contacts, cached). */
  prepare?(): Promise<void>;
  project(previous: S | null, next: S): readonly E[];
}

/**
 * How pollers of the same topic and credential on several replicas take turns (src/redis/polling.ts): one holds a
 * lease and polls, the others receive its snapshots. Without it every poller polls for itself.
 */
export interface Coordination<S> {
  /** Whether this replica polls now: it holds, or just took, the lease (true when the lease cannot be read). */
  lead(): Promise<boolean>;
  /** Hands a poll's snapshot to the other replicas. */
  share(snapshot: S): void;
  /** Receives the other replicas' snapshots (the latest one first, if any); returns what stops it. */
  follow(onSnapshot: (snapshot: S) => void): () => void;
  /** Gives the lease up: the last subscriber here has left. */
  resign(): void;
}

/** One poll's outcome, for logs and metrics. */
export interface PollOutcome {
  readonly durationMs: number;
  readonly error: unknown;
}

export interface PollerOptions<S> {
  /** One upstream read; `previous` is the last snapshot (a read may need it, as the security log does). */
  readonly read: (previous: S | null, signal: AbortSignal) => Promise<S>;
  readonly intervalMs: number;
  /** The longest wait between two polls while the upstream keeps failing. */
  readonly maxBackoffMs: number;
  readonly scheduler: Scheduler;
  readonly onPoll?: (outcome: PollOutcome) => void;
  /**
   * What a failed read means beyond this poll: `complete`, nothing is left to watch (every stream completes);
   * `fail`, it can never succeed (every stream ends with the error); `null`, try again later.
   */
  readonly verdict?: (error: unknown) => 'complete' | 'fail' | null;
  /** Told once the last subscriber has left and the poller stopped. */
  readonly onIdle: () => void;
  readonly coordination?: Coordination<S>;
}

interface Attached<S, E> {
  readonly view: View<S, E>;
  readonly queues: Set<Queue<E>>;
  /** Subscribers that have not had their first projection yet. */
  readonly fresh: Set<Queue<E>>;
}

/**
 * One topic polled for everyone who subscribed to it with one credential: a read per interval however many they
 * are, started by the first subscriber and stopped when the last leaves. A failed read changes nothing (no event
 * says a session ended because Openfire did not answer) and the next waits twice as long, up to `maxBackoffMs`.
 */
export class Poller<S> {
  readonly #options: PollerOptions<S>;
  readonly #views = new Map<string, Attached<S, unknown>>();
  #snapshot: S | null = null;
  #failures = 0;
  #cancelTimer: (() => void) | null = null;
  #inFlight: AbortController | null = null;
  #stopped = false;
  /** Publications one after another: a poll's and another replica's snapshot never interleave. */
  #publishing: Promise<void> = Promise.resolve();
  #unfollow: (() => void) | null = null;

  constructor(options: PollerOptions<S>) {
    this.#options = options;
  }

  /** Adds a subscriber; it gets the view of the current state now if a poll has been made, else after the first. */
  attach<E>(view: View<S, E>, queue: Queue<E>): void {
    let attached = this.#views.get(view.key) as Attached<S, E> | undefined;
    if (!attached) {
      attached = { view, queues: new Set(), fresh: new Set() };
      this.#views.set(view.key, attached as Attached<S, unknown>);
    }
    attached.queues.add(queue);
    attached.fresh.add(queue);
    const first = this.#queueCount() === 1 && this.#cancelTimer === null && this.#inFlight === null;
    if (first && this.#options.coordination) {
      this.#unfollow = this.#options.coordination.follow((snapshot) => void this.#deliver(snapshot));
    }
    if (first) this.#poll();
    else if (this.#snapshot !== null) this.#greet(attached, queue);
  }

  /**
   * A subscriber joining a running topic gets the current state without waiting for the next poll, once its view is
   * ready; if a poll publishes first, that poll greets it instead (whichever comes first, it is greeted once).
   */
  #greet<E>(attached: Attached<S, E>, queue: Queue<E>): void {
    void Promise.resolve(attached.view.prepare?.())
      .catch(() => undefined)
      .then(() => {
        const snapshot = this.#snapshot;
        if (snapshot === null || !attached.fresh.delete(queue)) return;
        queue.push(attached.view.project(null, snapshot));
      });
  }

  detach<E>(view: View<S, E>, queue: Queue<E>): void {
    const attached = this.#views.get(view.key);
    if (!attached) return;
    attached.queues.delete(queue as Queue<unknown>);
    attached.fresh.delete(queue as Queue<unknown>);
    if (attached.queues.size === 0) this.#views.delete(view.key);
    if (this.#views.size === 0) this.#stop();
  }

  /** Ends every subscriber's stream (shutdown); the poller stops as they go. */
  endAll(): void {
    for (const { queues } of [...this.#views.values()]) for (const queue of [...queues]) queue.end();
  }

  #failAll(error: unknown): void {
    for (const { queues } of [...this.#views.values()]) for (const queue of [...queues]) queue.fail(error);
  }

  #queueCount(): number {
    let count = 0;
    for (const { queues } of this.#views.values()) count += queues.size;
    return count;
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#inFlight?.abort();
    this.#inFlight = null;
    this.#unfollow?.();
    this.#options.coordination?.resign();
    this.#options.onIdle();
  }

  #schedule(): void {
    if (this.#stopped) return;
    const { intervalMs, maxBackoffMs, scheduler } = this.#options;
    const wait = this.#failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** this.#failures, maxBackoffMs);
    this.#cancelTimer = scheduler.after(wait, () => {
      this.#cancelTimer = null;
      this.#poll();
    });
  }

  #poll(): void {
    const { read, scheduler, onPoll, coordination } = this.#options;
    const controller = new AbortController();
    this.#inFlight = controller;
    const previous = this.#snapshot;
    const leading = coordination ? coordination.lead() : Promise.resolve(true);
    leading
      .then((lead) => {
        // Another replica polls: its snapshots arrive through `follow`; this one tries for the lease next time.
        if (!lead || this.#stopped) return;
        const started = scheduler.now();
        return read(previous, controller.signal).then(
          async (next) => {
            if (this.#stopped) return;
            onPoll?.({ durationMs: scheduler.now() - started, error: null });
            this.#failures = 0;
            coordination?.share(next);
            await this.#deliver(next);
          },
          (error: unknown) => {
            if (this.#stopped) return;
            onPoll?.({ durationMs: scheduler.now() - started, error });
            this.#failures++;
            const verdict = this.#options.verdict?.(error) ?? null;
            if (verdict === 'complete') this.endAll();
            if (verdict === 'fail') this.#failAll(error);
          },
        );
      })
      .finally(() => {
        if (this.#inFlight === controller) this.#inFlight = null;
        this.#schedule();
      });
  }

  /** A new snapshot, read here or by another replica, published after those before it. */
  #deliver(next: S): Promise<void> {
    const publish = () => (this.#stopped ? undefined : this.#publish(next));
    // A failed publication (a view that threw) must not hold back the ones after it.
    this.#publishing = this.#publishing.then(publish, publish);
    return this.#publishing;
  }

  async #publish(next: S): Promise<void> {
    const views = [...this.#views.values()];
    // A view whose preparation failed keeps what it had (an end user's contacts as last read).
    await Promise.all(views.map(({ view }) => Promise.resolve(view.prepare?.()).catch(() => undefined)));
    // From here on synchronously: a subscriber greeted meanwhile saw `previous`, and gets the changes to `next`.
    const previous = this.#snapshot;
    this.#snapshot = next;
    for (const { view, queues, fresh } of this.#views.values()) {
      const changes = previous === null ? [] : view.project(previous, next);
      const initial = fresh.size > 0 ? view.project(null, next) : [];
      for (const queue of queues) {
        queue.push(fresh.has(queue) ? initial : changes);
      }
      fresh.clear();
    }
  }
}
