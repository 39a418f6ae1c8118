import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  isLeafType,
  type OperationDefinitionNode,
  type Source,
  type SourceLocation,
  valueFromASTUntyped,
} from 'graphql';
import type { CompilerOptions } from 'graphql-jit';

/*
 * What makes graphql-jit's execution answer as yoga's own executor (@graphql-tools/executor, graphql-js's algorithm)
 * where it would not on its own (use-compiled-execution.ts).
 */

/** Starts the message of an error yoga's executor would mask: graphql-jit keeps only the text of a serialiser's error. */
const UNEXPECTED = '\u0000unexpected:';

/** graphql-jit's message for a null in a non-null field, an error yoga's executor masks. */
const NON_NULL = 'Cannot return null for non-nullable field ';

const NOT_ITERABLE = /^(Expected Iterable, but did not find one for field )(.+)\.$/;

/**
 * graphql-jit's compiler options: @skip and @include by response path (by default a fragment spread in two places
 * takes the conditions of both, so a field under `...F @include(if: false)` vanishes wherever F is spread), and
 * serialisers that fail as yoga's executor does: with an error it masks, whatever the serialiser threw (graphql-jit
 * would pass a GraphQLError's message on), and on a value serialised to nothing (which graphql-jit would write as
 * null).
 */
export function compilerOptions(schema: GraphQLSchema): Partial<CompilerOptions> {
  const customSerializers: Record<string, (value: unknown) => unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isLeafType(type)) continue;
    customSerializers[type.name] = (value) => {
      let serialized: unknown;
      try {
        serialized = type.serialize(value);
      } catch (error) {
        throw new Error(UNEXPECTED + (error instanceof Error ? error.message : String(error)));
      }
      if (serialized == null) throw new Error(`${UNEXPECTED}${type.name}.serialize(${String(value)}) returned nothing`);
      return serialized;
    };
  }
  return { useExperimentalPathBasedSkipInclude: true, customSerializers };
}

/**
 * The variables with the defaults of those not given, as JSON values to coerce like those given: graphql-jit would
 * refuse a required variable with a default, and keep the default of a custom scalar uncoerced.
 */
export function withDefaults(
  { variableDefinitions = [] }: OperationDefinitionNode,
  values: ExecutionArgs['variableValues'],
): ExecutionArgs['variableValues'] {
  const given = values ?? {};
  const defaults = variableDefinitions.flatMap(({ variable, defaultValue }) =>
    defaultValue && !Object.hasOwn(given, variable.name.value)
      ? [[variable.name.value, valueFromASTUntyped(defaultValue)] as const]
      : [],
  );
  return defaults.length === 0 ? values : { ...Object.fromEntries(defaults), ...given };
}

/**
 * A compiled result as yoga's executor writes it: errors before data, and graphql-jit's errors as its own, with the
 * source positions from which yoga's serialiser and masking rebuild their locations, and masked where it masks them.
 */
export function likeGraphQLJs(result: ExecutionResult, source: Source | undefined): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => (error.nodes ? error : asGraphQLJs(error, source)));
  return { errors, data: result.data };
}

function asGraphQLJs(error: GraphQLError, source: Source | undefined): GraphQLError {
  const positions = source && error.locations?.map((location) => positionOf(source.body, location));
  const options = { source, positions, path: error.path, extensions: error.extensions };
  // Errors of resolvers keep theirs; graphql-jit makes the others.
  if (error.originalError) return new GraphQLError(error.message, { ...options, originalError: error.originalError });
  const unexpected = error.message.startsWith(UNEXPECTED);
  if (unexpected || error.message.startsWith(NON_NULL)) {
    const message = unexpected ? error.message.slice(UNEXPECTED.length) : error.message;
    return new GraphQLError(message, { ...options, originalError: new Error(message) });
  }
  return new GraphQLError(error.message.replace(NOT_ITERABLE, '$1"$2".'), options);
}

/** The offset in `body` of a line and column (both from 1), line breaks counted as graphql-js's lexer does. */
function positionOf(body: string, { line, column }: SourceLocation): number {
  const breaks = /\r\n|[\n\r]/g;
  let lineStart = 0;
  for (let current = 1; current < line; current++) {
    const found = breaks.exec(body);
    if (!found) break;
    lineStart = found.index + found[0].length;
  }
  return lineStart + column - 1;
}
