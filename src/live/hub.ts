import { createHash } from 'node:crypto';
import type { Permits } from '../common/permits.js';
import { realScheduler, type Scheduler } from '../common/scheduler.js';
import type { LiveEvent } from '../observability/events.js';
import type { Caller } from '../request/caller.js';
import type { FairShare } from '../request/fair-share.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { CallArgs, ResultOf } from '../upstream/endpoints.js';
import { UpstreamError } from '../upstream/errors.js';
import type { RouteKey } from '../upstream/routes.js';
import type { Codec } from './codec.js';
import { type Coordination, Poller, type View } from './poller.js';
import { type Closing, createQueue, Failed, Lagging, type Queue } from './queue.js';

/** The live topics, as metrics and logs name them. */
export type TopicName = 'sessions' | 'sessionCounts' | 'roomOccupants' | 'securityLog';

/** How a subscriber is connected (metrics only): SSE per operation, GraphQL over SSE's single connection, WebSocket. */
export type Transport = 'sse' | 'graphql-sse' | 'ws';

/** Reads Openfire with one credential: the gateway's own, or the forwarded one of a passthrough caller. */
export type LiveUpstream = <K extends RouteKey>(
  route: K,
  args: CallArgs<K>,
  signal?: AbortSignal,
) => Promise<ResultOf<K>>;

/** What is polled: a topic's name, what sets one of its pollers apart (a room), and the read itself. */
export interface Topic<S> {
  readonly name: TopicName;
  /** Distinguishes pollers of the same topic (the room); "" when there is one. */
  readonly key: string;
  /** One poll; `previous` is the last snapshot (the security log reads only what is newer). */
  read(upstream: LiveUpstream, previous: S | null, signal: AbortSignal): Promise<S>;
  /** Whether a failed read means the topic is gone for good (a deleted room): its streams then complete. */
  gone?(error: unknown): boolean;
  /** A snapshot as JSON and back, for replicas that share a poll (maps become lists of entries). */
  readonly codec: Codec<S>;
}

/** `SUBSCRIPTION_*` settings. */
export interface LiveSettings {
  /** `SUBSCRIPTION_POLL_MS`: the wait between two polls of a topic. */
  readonly pollMs: number;
  /** `SUBSCRIPTION_BUFFER`: events a subscriber may fall behind before it is closed. */
  readonly buffer: number;
  /** `SUBSCRIPTION_MAX_PER_CALLER`: open subscriptions of one caller. */
  readonly maxPerCaller: number;
  /** `SUBSCRIPTION_MAX`: open subscriptions of this process. */
  readonly max: number;
}

export const DEFAULT_LIVE: LiveSettings = { pollMs: 2000, buffer: 100, maxPerCaller: 20, max: 10_000 };

/** The longest wait between polls while Openfire keeps failing (or the interval, when that is longer). */
const MAX_BACKOFF_MS = 30_000;

/** A subscription refused by a limit, with the setting that decides it. */
export class SubscriptionLimitError extends Error {
  constructor(
    readonly setting: 'SUBSCRIPTION_MAX_PER_CALLER' | 'SUBSCRIPTION_MAX',
    message: string,
  ) {
    super(message);
  }
}

export interface LiveHubOptions extends LiveSettings {
  readonly client: UpstreamClient;
  /** Polls take their turn in the upstream pool like any caller's calls. */
  readonly share: FairShare;
  readonly scheduler?: Scheduler;
  readonly report?: (event: LiveEvent) => void;
  /**
   * Takes turns with other replicas (src/redis/polling.ts, with `REDIS_URL`): `key` names a topic and credential
   * the same way on every replica, and says nothing of the credential itself.
   */
  readonly coordinate?: <S>(key: string, codec: Codec<S>) => Coordination<S>;
  /** A caller's open subscriptions counted across replicas too (src/redis/permits.ts, with `REDIS_URL`). */
  readonly permits?: Permits;
}

/** A subscription request: what to watch, how this subscriber sees it, who asks and through what. */
export interface SubscribeRequest<S, E> {
  readonly topic: Topic<S>;
  readonly view: View<S, E>;
  readonly caller: Caller;
  readonly transport: Transport;
}

/** The hub as one request sees it: subscriptions for its caller, through its transport. */
export interface LiveAccess {
  subscribe<S, E>(topic: Topic<S>, view: View<S, E>): Promise<AsyncIterableIterator<E | Closing>>;
  /** Openfire with this caller's polling credential (an end user's roster for their presence view). */
  readonly upstream: LiveUpstream;
  now(): number;
}

/**
 * Every live topic of the process: one poller per topic and upstream credential, shared by all who subscribe with
 * that credential (the gateway's own for API keys and tokens; with passthrough each forwarded credential polls for
 * itself, so no caller sees what another's credential read). Views decide what each subscriber sees of a poll.
 */
export class LiveHub {
  readonly #options: LiveHubOptions;
  readonly #scheduler: Scheduler;
  readonly #pollers = new Map<string, Poller<unknown>>();
  readonly #perCaller = new Map<string, number>();
  #open = 0;
  #closed = false;

  constructor(options: LiveHubOptions) {
    this.#options = options;
    this.#scheduler = options.scheduler ?? realScheduler;
  }

  get settings(): LiveSettings {
    const { pollMs, buffer, maxPerCaller, max } = this.#options;
    return { pollMs, buffer, maxPerCaller, max };
  }

  /** Open subscriptions and running pollers, for tests and readiness. */
  get size(): { readonly subscriptions: number; readonly pollers: number } {
    return { subscriptions: this.#open, pollers: this.#pollers.size };
  }

  access(caller: Caller, transport: Transport): LiveAccess {
    return {
      subscribe: (topic, view) => this.subscribe({ topic, view, caller, transport }),
      upstream: this.upstreamFor(caller),
      now: () => this.#scheduler.now(),
    };
  }

  /** Openfire as `caller` reads it: with its forwarded credential in passthrough, else with the gateway's own. */
  upstreamFor(caller: Caller): LiveUpstream {
    const { client, share } = this.#options;
    const owner = `live:${credentialOf(caller)}`;
    return async (route, args, signal) => {
      const release = await share.acquire(owner);
      try {
        return await client.call(route, args, { authorization: caller.authorization, signal });
      } finally {
        release();
      }
    };
  }

  /**
   * Opens a subscription: its events in order, first what the view shows of the current state. Throws
   * `SubscriptionLimitError` when a limit is reached, before anything is polled.
   */
  async subscribe<S, E>({
    topic,
    view,
    caller,
    transport,
  }: SubscribeRequest<S, E>): Promise<AsyncIterableIterator<E | Closing>> {
    this.#admit(caller);
    const permit = await this.#permit(caller);
    try {
      // Checked again: the process may have filled up, or begun to shut down, while the permit was counted.
      this.#admit(caller);
    } catch (error) {
      permit();
      throw error;
    }
    const report = this.#options.report ?? (() => undefined);
    const key = `${topic.name}\u0000${topic.key}\u0000${credentialOf(caller)}`;
    const poller = (this.#pollers.get(key) ?? this.#startPoller(key, topic, caller)) as Poller<S>;
    this.#open++;
    this.#perCaller.set(caller.key, (this.#perCaller.get(caller.key) ?? 0) + 1);
    report({ kind: 'subscribed', topic: topic.name, transport });
    const queue: Queue<E> = createQueue<E>(this.#options.buffer, (reason) => {
      permit();
      this.#open--;
      const left = (this.#perCaller.get(caller.key) ?? 1) - 1;
      if (left === 0) this.#perCaller.delete(caller.key);
      else this.#perCaller.set(caller.key, left);
      poller.detach(view, queue);
      report({ kind: 'unsubscribed', topic: topic.name, transport, reason });
    });
    poller.attach(view, queue);
    return counted(queue, () => report({ kind: 'sent', topic: topic.name }));
  }

  /** Ends every stream with a completion (graceful shutdown); later subscriptions are refused. */
  close(): void {
    this.#closed = true;
    for (const poller of [...this.#pollers.values()]) poller.endAll();
  }

  #admit(caller: Caller): void {
    const { max, maxPerCaller } = this.#options;
    if (this.#closed) throw new SubscriptionLimitError('SUBSCRIPTION_MAX', 'The gateway is shutting down.');
    if ((this.#perCaller.get(caller.key) ?? 0) >= maxPerCaller) {
      throw perCallerLimit(maxPerCaller, '');
    }
    if (this.#open >= max) {
      throw new SubscriptionLimitError(
        'SUBSCRIPTION_MAX',
        `The gateway already serves ${max} subscriptions (SUBSCRIPTION_MAX); try again later.`,
      );
    }
  }

  /** The caller's permit across replicas; in one process the count in `#admit` is the whole of it. */
  async #permit(caller: Caller): Promise<() => void> {
    const { permits, maxPerCaller } = this.#options;
    if (permits === undefined) return () => undefined;
    const permit = await permits.take(caller.key, maxPerCaller);
    if (permit === null) throw perCallerLimit(maxPerCaller, ' on all replicas together');
    return permit;
  }

  #startPoller<S>(key: string, topic: Topic<S>, caller: Caller): Poller<S> {
    const report = this.#options.report ?? (() => undefined);
    const upstream = this.upstreamFor(caller);
    let failures = 0;
    const poller = new Poller<S>({
      read: (previous, signal) => topic.read(upstream, previous, signal),
      verdict: (error) => (topic.gone?.(error) ? 'complete' : refused(error) ? 'fail' : null),
      coordination: this.#options.coordinate?.(createHash('sha256').update(key).digest('hex'), topic.codec),
      intervalMs: this.#options.pollMs,
      maxBackoffMs: Math.max(this.#options.pollMs, MAX_BACKOFF_MS),
      scheduler: this.#scheduler,
      onPoll: ({ durationMs, error }) => {
        failures = error === null ? 0 : failures + 1;
        report({ kind: 'poll', topic: topic.name, durationMs, error, failures });
      },
      onIdle: () => {
        this.#pollers.delete(key);
        report({ kind: 'poller', topic: topic.name, running: false });
      },
    });
    this.#pollers.set(key, poller as Poller<unknown>);
    report({ kind: 'poller', topic: topic.name, running: true });
    return poller;
  }
}

const perCallerLimit = (maxPerCaller: number, where: string) =>
  new SubscriptionLimitError(
    'SUBSCRIPTION_MAX_PER_CALLER',
    `This caller already has ${maxPerCaller} open subscriptions${where} (SUBSCRIPTION_MAX_PER_CALLER); end one first.`,
  );

/**
 * Openfire refused the credential: polling again cannot help (a forwarded credential that is wrong, or one without
 * admin rights), so subscribers get the error instead of waiting forever.
 */
const refused = (error: unknown): boolean =>
  error instanceof UpstreamError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN');

/** Whose credential polls for a caller: a passthrough caller's own, else the gateway's. */
const credentialOf = (caller: Caller): string => (caller.authorization === undefined ? 'gateway' : caller.key);

/** The queue's iteration, telling `onSent` about each event handed to the transport. */
function counted<T>(queue: Queue<T>, onSent: () => void): AsyncIterableIterator<T | Closing> {
  const iterator: AsyncIterableIterator<T | Closing> = {
    async next() {
      const result = await queue.next();
      if (!result.done && !(result.value instanceof Lagging || result.value instanceof Failed)) onSent();
      return result;
    },
    return: () => queue.return(),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
