import type { Plugin } from '@envelop/core';
import { createSourceEventStream, type DocumentNode, type ExecutionArgs, type ExecutionResult, execute } from 'graphql';
import type { Context } from '../../schema/context.js';

/** Results shared per event: by the subscription's operation, its variables and who asks. */
type Shared = Map<string, Promise<ExecutionResult> | ExecutionResult>;

/**
 * Every subscriber of a live view receives the same event objects (src/live/poller.ts projects a poll once per
 * view). When several run the same operation with the same variables as the same caller (dashboards open in many
 * tabs), each event is executed once for all of them, and its JSON is written once: yoga's serialisers take a
 * result's own `stringify`. Anything else (another caller, other variables, a subscriber dropped for lagging) is
 * executed on its own, exactly as graphql-js would.
 */
export function useSharedEvents(): Plugin<Context> {
  const documents = new WeakMap<DocumentNode, number>();
  let documentCount = 0;
  const byEvent = new WeakMap<object, Shared>();
  const idOf = (document: DocumentNode): number => {
    const known = documents.get(document);
    if (known !== undefined) return known;
    documentCount++;
    documents.set(document, documentCount);
    return documentCount;
  };
  // Object.assign below: a spread followed by a property is slow to build under Node 20's V8.
  const run = (args: ExecutionArgs, key: string, event: unknown): Promise<ExecutionResult> | ExecutionResult => {
    if (typeof event !== 'object' || event === null) return execute(Object.assign({}, args, { rootValue: event }));
    let shared = byEvent.get(event);
    if (!shared) {
      shared = new Map();
      byEvent.set(event, shared);
    }
    let result = shared.get(key);
    if (!result) {
      result = Promise.resolve(execute(Object.assign({}, args, { rootValue: event }))).then(memoizeJson);
      shared.set(key, result);
    }
    return result;
  };
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const { caller } = args.contextValue;
      const key = JSON.stringify([
        idOf(args.document),
        args.operationName ?? null,
        args.variableValues ?? null,
        caller.role,
        caller.key,
      ]);
      setSubscribeFn(async (subscribeArgs) => {
        const source = await createSourceEventStream(subscribeArgs);
        if (!(Symbol.asyncIterator in source)) return source;
        return mapEvents(source, (event) => run(subscribeArgs, key, event));
      });
    },
  };
}

/** A result without errors writes its JSON once, however many subscribers send it. */
function memoizeJson(result: ExecutionResult): ExecutionResult {
  if (result.errors?.length) return result;
  let json: string | undefined;
  Object.defineProperty(result, 'stringify', {
    value: (value: unknown) => {
      json ??= JSON.stringify(value);
      return json;
    },
    enumerable: false,
  });
  return result;
}

/** The source's events mapped to results, one at a time; leaving ends the source (the hub's subscription). */
function mapEvents(
  source: AsyncIterable<unknown>,
  map: (event: unknown) => Promise<ExecutionResult> | ExecutionResult,
): AsyncGenerator<ExecutionResult> {
  const events = source[Symbol.asyncIterator]();
  const done = async (): Promise<IteratorResult<ExecutionResult>> => {
    await events.return?.();
    return { done: true, value: undefined };
  };
  const results: AsyncGenerator<ExecutionResult> = {
    async next() {
      const event = await events.next();
      return event.done ? { done: true, value: undefined } : { done: false, value: await map(event.value) };
    },
    return: done,
    throw: async (error: unknown) => {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}
