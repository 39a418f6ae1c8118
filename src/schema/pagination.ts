import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from './builder.js';
import { gatewayError } from './errors.js';
import { OPEN_TYPE } from './scopes.js';

/**
 * Cursor pagination over lists Openfire returns whole (`first`/`after`, `totalCount`): the REST API has no paging
 * except for the security log, so pages are cut from one upstream answer.
 */
export interface Page<T> {
  /** `null` where the total is unknown (the security log, which Openfire pages itself). */
  readonly totalCount: number | null;
  readonly nodes: readonly T[];
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: T }>;
  readonly pageInfo: PageInfoShape;
}

interface PageInfoShape {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  // A page's bookkeeping: whoever may read the list may read it.
  ...OPEN_TYPE,
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

/** The offset of the item after the one a cursor points at. */
export function offsetAfter(cursor: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw gatewayError('BAD_USER_INPUT', `"after" is not a cursor of this list: ${cursor}`);
  return Number(m[1]) + 1;
}

/** A page from a slice that starts at `offset` in the whole list. */
export function pageOf<T>(
  nodes: readonly T[],
  offset: number,
  hasNextPage: boolean,
  totalCount: number | null,
): Page<T> {
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
  return {
    totalCount,
    nodes,
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The page of `items` after the `after` cursor, at most `first` long. */
export function paginate<T>(items: readonly T[], { first, after }: PageArgs): Page<T> {
  if (first !== undefined && first !== null && first < 0)
    throw gatewayError('BAD_USER_INPUT', '"first" must not be negative');
  const start = after ? offsetAfter(after) : 0;
  const end = first === undefined || first === null ? items.length : Math.min(items.length, start + first);
  return pageOf(items.slice(start, end), start, end < items.length, items.length);
}

/**
 * `<Name>Connection` and `<Name>Edge` types for a node type; `totalCount` is nullable only for lists whose total
 * the gateway cannot know cheaply (then `totalCountDescription` says when it is known).
 */
export function connectionOf<T>(
  name: string,
  node: ObjectRef<Types, T>,
  totalCountDescription?: string,
): ObjectRef<Types, Page<T>> {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    ...OPEN_TYPE,
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      // T is the node ref's shape; Pothos cannot see that through the generic.
      node: t.field({ type: node, resolve: (edge) => edge.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    description: `A page of ${name} items.`,
    // The list field decides who may read the list; its items' types decide what of them.
    ...OPEN_TYPE,
    fields: (t) => ({
      totalCount: totalCountDescription
        ? t.int({ nullable: true, description: totalCountDescription, resolve: (page) => page.totalCount })
        : t.int({ description: 'All items matching, over every page.', resolve: (page) => page.totalCount ?? 0 }),
      // Items are nullable: an item Openfire cannot answer for (it holds a name no request can address, it vanished
      // meanwhile) becomes null with its own error, and the rest of the page stays.
      nodes: t.field({
        type: [node],
        nullable: { list: false, items: true },
        description: 'The page’s items; an item that failed is null, with an error naming its path.',
        resolve: (page) => page.nodes as never,
      }),
      edges: t.field({ type: [Edge], nullable: { list: false, items: true }, resolve: (page) => page.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (page) => page.pageInfo }),
    }),
  });
}
