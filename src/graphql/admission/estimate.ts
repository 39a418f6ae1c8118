import {
  type DocumentNode,
  type FieldNode,
  GraphQLList,
  type GraphQLSchema,
  getNullableType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * An operation's expected size before it runs: the number of field values it will resolve, from the list fields it
 * selects. A list field with a `first` (or `last`) argument holds that many items, as does a list directly inside
 * such a field (a connection's `nodes`); any other list is counted as `UNBOUNDED_LIST` items, since the REST API
 * returns its lists whole and their length is unknown until they are read. The org chart (groups, each with
 * members and admins) thus weighs tens of thousands, one user's three fields four. Introspection reads no upstream
 * and costs nothing.
 */
export const UNBOUNDED_LIST = 100;

/** The size of `operation` in `document` with these variables (`first: $n` reads `$n`). */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
  );
  if (!operation) return 1;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const typeInfo = new TypeInfo(schema);
  /** For each open field: how many times it resolves, and whether a list below it is already counted by `first`. */
  const stack: Array<{ times: number; paged: boolean }> = [{ times: 1, paged: false }];
  let total = 0;
  const visitor = visitWithTypeInfo(typeInfo, {
    Field: {
      enter(node: FieldNode) {
        const parent = stack[stack.length - 1] ?? { times: 1, paged: false };
        if (node.name.value.startsWith('__')) {
          stack.push({ times: 0, paged: false });
          return;
        }
        const type = typeInfo.getType();
        const page = pageSize(node, variables);
        const isList = type !== null && getNullableType(type) instanceof GraphQLList;
        let factor = 1;
        if (page !== null) factor = page;
        else if (isList) factor = parent.paged ? 1 : UNBOUNDED_LIST;
        const times = parent.times * factor;
        total += times;
        stack.push({ times, paged: page !== null && !isList });
      },
      leave() {
        stack.pop();
      },
    },
  });
  // Fragment spreads are walked where they are used, each time (a fragment used twice costs twice).
  const walk = (selectionSet: SelectionSetNode, depth: number): void => {
    if (depth > MAX_FRAGMENT_DEPTH) return;
    visit(selectionSet, {
      ...visitor,
      FragmentSpread(node) {
        const fragment = fragments.get(node.name.value);
        if (fragment) walk(fragment.selectionSet, depth + 1);
        return false;
      },
    });
  };
  typeInfo.enter(operation);
  walk(operation.selectionSet, 0);
  return Math.max(1, total);
}

/** Fragments nested deeper than this are not followed (validation refuses cycles; this only bounds the walk). */
const MAX_FRAGMENT_DEPTH = 20;

/** The `first` or `last` argument's value, from a literal or a variable; `null` without one. */
function pageSize(node: FieldNode, variables: Readonly<Record<string, unknown>> | null | undefined): number | null {
  for (const argument of node.arguments ?? []) {
    if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
    const value = literal(argument.value, variables);
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return null;
}

function literal(node: ValueNode, variables: Readonly<Record<string, unknown>> | null | undefined): unknown {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  return undefined;
}
