import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Yoga's keep-alive interval for SSE: a comment line every 12 s keeps proxies from closing idle streams. */
const PING_MS = 12_000;

/** The encoded `event: next` message of each result, made once however many streams send it. */
const messages = new WeakMap<object, Uint8Array>();
const encoder = new TextEncoder();
const PING = encoder.encode(':\n\n');
const COMPLETE = encoder.encode('event: complete\ndata:\n\n');

/** An error as clients see it: what yoga's serialiser keeps (no `http` or `unexpected` extensions). */
function formatted(error: GraphQLError) {
  const json = error.toJSON();
  if (!json.extensions) return json;
  const { http: _http, unexpected: _unexpected, ...extensions } = json.extensions;
  return { ...json, extensions: Object.keys(extensions).length ? extensions : undefined };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function messageOf(result: ExecutionResult & { stringify?: (value: unknown) => string }): Uint8Array {
  let message = messages.get(result);
  if (message) return message;
  const body = result.errors?.length ? { ...result, errors: result.errors.map(formatted) } : result;
  const json = (result.stringify ?? JSON.stringify)(body);
  message = encoder.encode(`event: next\ndata: ${json}\n\n`);
  messages.set(result, message);
  return message;
}

/** Events one write may carry at most. */
const MAX_BATCH = 64;

/** Resolves after the microtasks queued now have run: what is ready by then was ready already. */
const NOT_YET = Symbol('not yet');
const afterPending = (): Promise<typeof NOT_YET> => new Promise((resolve) => setImmediate(() => resolve(NOT_YET)));

/** Whether yoga would answer with SSE: the first media type of `Accept` that a stream can take is SSE's. */
function wantsEventStream(accept: string | null): boolean {
  for (const part of (accept ?? '*/*').split(',')) {
    const type = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === 'text/event-stream' || type === 'text/*' || type === '*/*') return true;
    if (type === 'multipart/mixed' || type === 'multipart/*') return false;
  }
  return false;
}

/**
 * Subscription streams over Server-Sent Events, as yoga's own SSE answers them (the same messages, pings and
 * completion) but with each event's message encoded once, and the events waiting written together: a poll's events
 * go to every subscriber of a view as the same result objects (use-shared-events.ts), so a thousand streams cost one
 * serialisation per event and about one write per stream and poll, where yoga's would cost a thousand
 * serialisations and two writes per event and stream (measured in docs/benchmarks.md).
 */
export function useEventStream(): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!(typeof result === 'object' && result !== null && Symbol.asyncIterator in result)) return;
      if (!wantsEventStream(request.headers.get('accept'))) {
        // Yoga streams subscriptions over SSE only and answers this request 406 without reading the stream, which
        // would keep its live subscription (and the caller's count against the limits) open for good.
        void (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
        return;
      }
      setResultProcessor((stream, fetchAPI) => {
        const results = (stream as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
        let ping: ReturnType<typeof setInterval> | undefined;
        /** A `next()` not answered when a write went out: the following write starts with it. */
        let pending: Promise<IteratorResult<ExecutionResult>> | null = null;
        const body = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            // Some browsers hold a response back until its first bytes.
            controller.enqueue(PING);
            ping = setInterval(() => {
              if (controller.desiredSize === null) clearInterval(ping);
              else if (controller.desiredSize > 0) controller.enqueue(PING);
            }, PING_MS);
          },
          // A poll's events arrive together: the ones already waiting go out in one write (a write is a system
          // call, which with a thousand streams costs more than everything else together).
          async pull(controller) {
            let next = await (pending ?? results.next());
            pending = null;
            const parts: Uint8Array[] = [];
            // One turn of the event loop for the whole write: results still to come by then are not waiting.
            const turn = afterPending();
            for (;;) {
              if (next.value != null) parts.push(messageOf(next.value));
              if (next.done) break;
              if (parts.length >= MAX_BATCH) break;
              const following = results.next();
              const ready = await Promise.race([following, turn]);
              if (ready === NOT_YET) {
                pending = following;
                break;
              }
              next = ready;
            }
            if (parts.length > 0) controller.enqueue(parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts));
            if (next.done) {
              clearInterval(ping);
              controller.enqueue(COMPLETE);
              controller.close();
            }
          },
          async cancel() {
            clearInterval(ping);
            await results.return?.();
          },
        });
        // A client that went away ends its subscription at once, not at the next event or ping written to it.
        request.signal.addEventListener(
          'abort',
          () => {
            clearInterval(ping);
            void results.return?.();
          },
          { once: true },
        );
        return new fetchAPI.Response(body, {
          status: 200,
          headers: {
            'Content-Type': 'text/event-stream',
            Connection: 'keep-alive',
            'Cache-Control': 'no-cache',
            'Content-Encoding': 'none',
          },
        });
      }, 'text/event-stream');
    },
  };
}
