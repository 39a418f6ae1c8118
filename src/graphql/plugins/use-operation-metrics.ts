import { type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Observations } from '../../observability/observation.js';

interface Operation {
  readonly name: string | null;
  readonly type: string;
}

const codesOf = (result: unknown): string[] => {
  const errors = (result as ExecutionResult | null)?.errors ?? [];
  return errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
};

/**
 * Records each operation's name, type and error codes on the request's observation, which `observe()` logs and
 * counts. Requests refused before their document is validated (unreadable, over a size limit) are `unknown` in
 * type. It goes first among the plugins, so that guards stopping an operation early do not hide it.
 */
export function useOperationMetrics(observations: Observations): Plugin {
  // Keyed by the per-operation context, which yoga passes to every hook and envelop extends in place.
  const seen = new WeakMap<object, Operation>();
  const paramsOf = (context: unknown) => (context as { params?: { operationName?: string | null } }).params;
  return {
    onValidate({ params, context }) {
      const operationName = paramsOf(context)?.operationName ?? undefined;
      const operation = getOperationAST(params.documentAST, operationName);
      seen.set(context as object, {
        name: operation?.name?.value ?? operationName ?? null,
        type: operation?.operation ?? 'unknown',
      });
    },
    onExecutionResult({ result, context }) {
      const observation = observations.get((context as { request: Request }).request);
      if (!observation) return;
      const operation = seen.get(context) ?? { name: paramsOf(context)?.operationName ?? null, type: 'unknown' };
      // A streamed result (subscription, @defer) counts as started; its errors arrive later.
      observation.operations.push({
        name: operation.name,
        type: operation.type,
        codes: Symbol.asyncIterator in Object(result) ? [] : codesOf(result),
      });
    },
    onResultProcess({ result, request }) {
      const observation = observations.get(request);
      // A request refused before its operations ran (malformed body, too many in a batch) still counts as one.
      if (!observation || observation.operations.length > 0) return;
      const first = Array.isArray(result) ? result[0] : result;
      observation.operations.push({ name: null, type: 'unknown', codes: codesOf(first) });
    },
  };
}
