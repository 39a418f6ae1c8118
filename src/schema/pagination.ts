import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from './builder.js';
import { gatewayError } from './errors.js';

/**
 * Cursor pagination over lists Openfire returns whole (`first`/`after`, `totalCount`): the REST API has no paging
 * except for the security log, so pages are cut from one upstream answer.
 */
export interface Page<T> {
  readonly totalCount: number;
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

const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw gatewayError('BAD_USER_INPUT', `"after" is not a cursor of this list: ${cursor}`);
  return Number(m[1]) + 1;
}

/** The page of `items` after the `after` cursor, at most `first` long. */
export function paginate<T>(items: readonly T[], { first, after }: PageArgs): Page<T> {
  if (first !== undefined && first !== null && first < 0) throw gatewayError('BAD_USER_INPUT', '"first" must not be negative');
  const start = after ? decodeCursor(after) : 0;
  const end = first === undefined || first === null ? items.length : Math.min(items.length, start + first);
  const edges = items.slice(start, end).map((node, i) => ({ cursor: encodeCursor(start + i), node }));
  return {
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** `<Name>Connection` and `<Name>Edge` types for a node type. */
export function connectionOf<T>(name: string, node: ObjectRef<Types, T>): ObjectRef<Types, Page<T>> {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: node, resolve: (edge) => edge.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    description: `A page of ${name} items.`,
    fields: (t) => ({
      totalCount: t.exposeInt('totalCount', { description: 'All items matching, over every page.' }),
      nodes: t.field({ type: [node], resolve: (page) => page.nodes as never }),
      edges: t.field({ type: [Edge], resolve: (page) => page.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (page) => page.pageInfo }),
    }),
  });
}
