import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { estimateCost } from '../admission/estimate.js';
import type { Gate } from '../admission/gate.js';

/**
 * Holds expensive queries and mutations at the admission gate (admission/gate.ts) until their cost fits; small ones
 * run at once, untouched. Listed after any plugin that replaces execution (the compiled one), so that the execution
 * it wraps is the one that runs; subscriptions are not held, since their cost is per event, not per operation.
 */
export function useAdmission(gate: Gate): Plugin {
  /** Costs of operations whose size no variable decides, by document (yoga parses each query text once). */
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const name = args.operationName ?? '';
      let cost = known.get(args.document)?.get(name);
      if (cost === undefined) {
        cost = estimateCost(args.schema, args.document, args.operationName, args.variableValues);
        if (!usesVariables(args.document, args.operationName)) {
          const costs = known.get(args.document) ?? new Map<string, number>();
          costs.set(name, cost);
          known.set(args.document, costs);
        }
      }
      if (gate.isSmall(cost)) return;
      const signal = (args.contextValue as { request?: Request }).request?.signal;
      const admitted = cost;
      setExecuteFn(async (execution) => {
        const leave = await gate.enter(admitted, signal);
        try {
          return await executeFn(execution);
        } finally {
          leave();
        }
      });
    },
  };
}

const usesVariables = (document: DocumentNode, operationName: string | null | undefined): boolean =>
  document.definitions.some(
    (d) =>
      d.kind === 'OperationDefinition' &&
      (operationName == null || d.name?.value === operationName) &&
      ((d as OperationDefinitionNode).variableDefinitions?.length ?? 0) > 0,
  );
