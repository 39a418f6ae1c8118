import { type ExecuteFunction, getDocumentString, type Plugin } from '@envelop/core';
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  BREAK,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  print,
  visit,
} from 'graphql';
import { type CompiledQuery, type CompilerOptions, compileQuery, isCompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { compilerOptions, likeGraphQLJs, withDefaults } from './like-graphql-js.js';

/** Documents one gateway process keeps compiled (or knows yoga's executor runs). */
const COMPILED_DOCUMENTS = 1000;

/** graphql-jit's `compileQuery`, without its result types. */
export type Compile = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string,
  options?: Partial<CompilerOptions>,
) => CompiledQuery | ExecutionResult;

export interface CompiledExecutionOptions {
  /** graphql-jit's `compileQuery` unless given: tests pass one that fails, to exercise the fallback. */
  readonly compile?: Compile;
}

/**
 * Queries and mutations run as JavaScript compiled from their document by graphql-jit, which saves walking the
 * document on every execution, and answer as yoga's own executor (graphql-js's algorithm) would: like-graphql-js.ts,
 * test/graphql/compiled-execution.test.ts. Yoga's executor still runs, and so answers exactly as without this plugin:
 * - subscriptions: this plugin has no subscribe hook (use-shared-events.ts executes their events);
 * - documents graphql-jit cannot compile, documents of several operations (@envelop/graphql-jit keeps one compiled
 *   operation per document), and those graphql-jit would run otherwise (`runsAlike`);
 * - variables graphql-js refuses, so that the errors keep its messages, locations and HTTP status.
 */
export function useCompiledExecution(schema: GraphQLSchema, options: CompiledExecutionOptions = {}): Plugin {
  const compile: Compile = options.compile ?? compileQuery;
  const jitOptions = compilerOptions(schema);
  // By document text, as @envelop/graphql-jit looks compiled queries up; `false`: yoga's executor runs it.
  const compiled = new LRUCache<string, CompiledQuery | false>({ max: COMPILED_DOCUMENTS });
  const compiles = (args: ExecutionArgs, operation: OperationDefinitionNode): boolean => {
    const text = getDocumentString(args.document, print);
    let entry = compiled.get(text);
    if (entry === undefined) {
      entry =
        runsAlike(args.document, operation) &&
        compiledOrFalse(() => compile(args.schema, args.document, undefined, jitOptions));
      compiled.set(text, entry);
    }
    return entry !== false;
  };
  /** The operation, when it runs compiled. */
  const compiledOperation = (args: ExecutionArgs): OperationDefinitionNode | null => {
    const operation = soleOperation(args.document, args.operationName);
    if (!operation || !compiles(args, operation)) return null;
    const variables = operation.variableDefinitions ?? [];
    if (variables.length > 0 && getVariableValues(args.schema, variables, args.variableValues ?? {}).errors)
      return null;
    return operation;
  };
  const jit = useGraphQlJit(jitOptions, {
    cache: { get: (text) => compiled.get(text) || undefined, set: (text, entry) => compiled.set(text, entry) },
  });
  return {
    onExecute(payload) {
      const operation = compiledOperation(payload.args);
      if (!operation) return;
      // Object.assign rather than a spread followed by a property, which Node 20's V8 builds slowly (µs per request).
      jit.onExecute?.(
        Object.assign({}, payload, {
          setExecuteFn: (execute: ExecuteFunction) =>
            payload.setExecuteFn(async (args) => {
              const variableValues = withDefaults(operation, args.variableValues);
              return likeGraphQLJs(
                await execute(Object.assign({}, args, { variableValues })),
                args.document.loc?.source,
              );
            }),
        }),
      );
    },
  };
}

/** The document's only operation, when the request asks for it (by its name, or by none). */
function soleOperation(document: DocumentNode, operationName: string | null | undefined) {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation) return null;
  return operationName == null || operation.name?.value === operationName ? operation : null;
}

/** graphql-jit's compiled query, or `false` when it cannot compile the document. */
function compiledOrFalse(compiling: () => CompiledQuery | ExecutionResult): CompiledQuery | false {
  try {
    const result = compiling();
    return isCompiledQuery(result) ? result : false;
  } catch {
    return false;
  }
}

/**
 * Whether graphql-jit runs the operation as yoga's executor does. Not a subscription, nor a mutation of several root
 * fields: graphql-jit runs the next one even after one failed, and before the selection of the one before it
 * completed. Nor fragments other than one per selection set, after its fields, without @skip or @include:
 * graphql-jit writes a selection set's fields before those of its fragments and its fragments last to first, and
 * marks a fragment seen even where @skip or @include leaves it out (yoga's executor includes it where it is spread
 * again).
 */
function runsAlike(document: DocumentNode, { operation, selectionSet }: OperationDefinitionNode): boolean {
  if (operation === 'subscription') return false;
  const [first, ...more] = selectionSet.selections;
  if (operation === 'mutation' && (more.length > 0 || first?.kind !== Kind.FIELD)) return false;
  let alike = true;
  visit(document, {
    SelectionSet({ selections }) {
      const fragments = selections.filter((selection) => selection.kind !== Kind.FIELD);
      const [fragment] = fragments;
      if (fragment && (fragments.length > 1 || fragment !== selections.at(-1) || fragment.directives?.length)) {
        alike = false;
        return BREAK;
      }
      return undefined;
    },
  });
  return alike;
}
