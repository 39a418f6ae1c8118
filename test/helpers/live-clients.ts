import { setTimeout as delay } from 'node:timers/promises';
import type { ParsedJson } from './emulator.js';

/**
 * What the live tests read subscriptions with: a `Feed` collects one subscription's results as they arrive, whatever
 * the transport, and `eventually` waits for a condition on the server side. Neither asserts how long anything takes.
 */

/** One GraphQL result as a transport delivered it. */
export interface LiveResult {
  data?: ParsedJson;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, ParsedJson> }>;
}

/** How a stream ended: a `complete` (SSE event, WS message, sink call), an error, or the connection closing. */
export type Ending = { kind: 'complete' } | { kind: 'error'; error: unknown } | { kind: 'closed' };

/** How long a wait may last before the test fails with a message instead of the test timeout. */
const GIVE_UP_MS = 10_000;

/** Waits until `condition` holds, checking after each short pause; fails naming `what` if it never does. */
export async function eventually(condition: () => boolean | Promise<boolean>, what = 'the condition'): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > GIVE_UP_MS) throw new Error(`gave up waiting for ${what}`);
    await delay(2);
  }
}

/**
 * The results of one subscription in arrival order. `next()` hands them out one by one (waiting for the next when
 * none is left), `all` keeps every one, and `ended` resolves with how the stream ended.
 */
export class Feed<T = LiveResult> {
  readonly all: T[] = [];
  #read = 0;
  #ending: Ending | null = null;
  #wake: (() => void) | null = null;
  #resolveEnded!: (ending: Ending) => void;
  /** How the stream ended, once it has. */
  readonly ended: Promise<Ending> = new Promise((resolve) => {
    this.#resolveEnded = resolve;
  });

  constructor(readonly label = 'subscription') {}

  push(value: T): void {
    if (this.#ending) return;
    this.all.push(value);
    this.#wake?.();
  }

  end(ending: Ending): void {
    if (this.#ending) return;
    this.#ending = ending;
    this.#resolveEnded(ending);
    this.#wake?.();
  }

  /** How it ended, or null while it runs. */
  get ending(): Ending | null {
    return this.#ending;
  }

  /** Results not handed out by `next()` yet. */
  get unread(): number {
    return this.all.length - this.#read;
  }

  /** The next result not handed out yet; fails if the stream ends first. */
  async next(): Promise<T> {
    const started = Date.now();
    while (this.#read >= this.all.length) {
      if (this.#ending) {
        throw new Error(`${this.label} ended (${describe(this.#ending)}) while a result was awaited`);
      }
      if (Date.now() - started > GIVE_UP_MS) throw new Error(`gave up waiting for a result of ${this.label}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
    return this.all[this.#read++] as T;
  }

  /** The next `n` results. */
  async take(n: number): Promise<T[]> {
    const results: T[] = [];
    for (let i = 0; i < n; i++) results.push(await this.next());
    return results;
  }

  /** Waits until the stream ended (failing if it does not). */
  async done(): Promise<Ending> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gave up waiting for ${this.label} to end`)), GIVE_UP_MS);
    });
    try {
      return await Promise.race([this.ended, giveUp]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const describe = (ending: Ending): string =>
  ending.kind === 'error' ? `error: ${JSON.stringify(ending.error)}` : ending.kind;

/** The `data` of a result, failing with its errors when it has any. */
export function dataOf(result: LiveResult): ParsedJson {
  if (result.errors !== undefined) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** One SSE event: its `event` field and its data. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Parses the SSE events of `text` up to its last complete event; returns them and what is left over. */
export function parseSse(text: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let rest = text;
  let end = rest.indexOf('\n\n');
  while (end >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    // Comments (keep-alive pings) carry neither.
    if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n') });
    end = rest.indexOf('\n\n');
  }
  return { events, rest };
}
