/**
 * One subscriber's events on their way out, in order and bounded: a subscriber that still has more than `capacity`
 * events unread when the next poll's events arrive (a client that stopped reading) is ended with a `Lagging` marker
 * instead of growing the gateway's memory. One poll's events are taken whole, however many, so a prompt reader is
 * never dropped for a burst; memory per subscriber stays under `capacity` plus one poll's events. The marker is the
 * last value it yields; the transport turns it into an error message and completes the stream.
 */
export class Lagging {
  constructor(readonly capacity: number) {}
}

/** The last value of a stream whose topic can no longer be read (Openfire refused the credential). */
export class Failed {
  constructor(readonly error: unknown) {}
}

/** What ends a stream with an error rather than a plain completion. */
export type Closing = Lagging | Failed;

export interface Queue<T> extends AsyncIterableIterator<T | Closing> {
  /** Adds one poll's events; if more than `capacity` were still waiting, all are dropped and it ends with `Lagging`. */
  push(values: readonly T[]): void;
  /** Ends the stream after what is queued (shutdown, or the topic ending). */
  end(): void;
  /** Ends the stream after what is queued with an error. */
  fail(error: unknown): void;
  /** The consumer leaves: what is queued is dropped. */
  return(): Promise<IteratorResult<T | Closing>>;
  /** Whether it has ended (by either side). */
  readonly closed: boolean;
}

/** Why a queue closed, for its owner: the consumer left, the gateway ended it, or it fell behind. */
export type CloseReason = 'left' | 'ended' | 'lagging';

export function createQueue<T>(capacity: number, onClose: (reason: CloseReason) => void): Queue<T> {
  const items: Array<T | Closing> = [];
  let waiting: ((result: IteratorResult<T | Closing>) => void) | null = null;
  // `ending`: no more pushes, the consumer still drains what is queued; `closed`: nothing more at all.
  let ending = false;
  let closed = false;
  const close = (reason: CloseReason): void => {
    if (closed) return;
    closed = true;
    onClose(reason);
  };
  const deliver = (): void => {
    if (waiting === null) return;
    const resolve = waiting;
    if (items.length > 0) {
      waiting = null;
      resolve({ value: items.shift() as T | Closing, done: false });
    } else if (ending) {
      waiting = null;
      resolve({ value: undefined, done: true });
    }
  };
  const queue: Queue<T> = {
    get closed() {
      return closed || ending;
    },
    push(values) {
      if (ending || closed || values.length === 0) return;
      if (items.length > capacity) {
        items.length = 0;
        items.push(new Lagging(capacity));
        ending = true;
        close('lagging');
      } else {
        items.push(...values);
      }
      deliver();
    },
    end() {
      if (ending || closed) return;
      ending = true;
      close('ended');
      deliver();
    },
    fail(error) {
      if (ending || closed) return;
      items.push(new Failed(error));
      queue.end();
    },
    next() {
      if (items.length > 0) return Promise.resolve({ value: items.shift() as T | Closing, done: false });
      if (ending || closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      items.length = 0;
      ending = true;
      close('left');
      deliver();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
