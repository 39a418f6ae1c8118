import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useCompiledExecution } from '../../src/graphql/plugins/use-compiled-execution.js';

/**
 * The errors graphql-jit makes itself (a null in a non-null field, a value a serialiser refuses, a list that is
 * none) and the defaults of variables, which the gateway's schema cannot produce on purpose: on a small schema, yoga
 * with compiled execution answers byte for byte as yoga without it, error masking included.
 */
const Instant = new GraphQLScalarType({
  name: 'Instant',
  serialize: (value) => (value === 'nothing' ? undefined : new Date(Number(value)).toISOString()),
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : undefined),
});

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    scalar Instant
    enum Color { RED }
    input Range { from: Instant = "2026-01-01T00:00:00Z", to: Instant }
    type Item { id: Int! name: String }
    type Query {
      nullInNonNull: Item
      items: [Item!]
      notAList: [Item]
      badInt: Int
      badInstant: Instant
      emptyInstant: Instant
      badColor: Color
      returnedError: String
      thrownError: String
      thrownGraphQLError: String
      echo(at: Instant, n: Int!, range: Range): String
    }
  `,
  resolvers: {
    Instant,
    Query: {
      nullInNonNull: () => ({ id: null, name: 'x' }),
      items: () => [{ id: 1 }, { id: null }],
      notAList: () => ({ id: 1 }),
      badInt: () => 1.5,
      badInstant: () => 9e15,
      emptyInstant: () => 'nothing',
      badColor: () => 'BLUE',
      returnedError: () => new Error('returned'),
      thrownError: () => {
        throw new Error('thrown');
      },
      thrownGraphQLError: () => {
        throw new GraphQLError('refused', { extensions: { code: 'FORBIDDEN' } });
      },
      echo: (_root: unknown, args: { at?: Date; n: number; range?: { from?: Date; to?: Date } }) =>
        JSON.stringify([args.at, args.n, args.range]),
    },
  },
});

const runs: string[] = [];
const compiled = createYoga({
  schema,
  logging: false,
  plugins: [
    useCompiledExecution(schema, {
      compile: (...args) => {
        const result = compileQuery(...args);
        if (!isCompiledQuery(result)) return result;
        return {
          ...result,
          query: (...query) => {
            runs.push('compiled');
            return result.query(...query);
          },
        };
      },
    }),
  ],
});
const interpreted = createYoga({ schema, logging: false });

async function answer(yoga: typeof compiled, query: string, variables?: Record<string, unknown>) {
  const res = await yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, text: await res.text() };
}

describe('graphql-jit’s own errors, as yoga’s executor makes them', () => {
  it.each([
    ['a null in a non-null field (masked)', '{ nullInNonNull { name id } }'],
    ['a null in a non-null list item, nulling the list', '{ items { id } }'],
    ['a list that is none', '{ notAList { id } }'],
    ['an Int that is not one', '{ badInt }'],
    ['a custom scalar’s serialiser throwing (masked)', '{ badInstant }'],
    ['a custom scalar serialised to nothing (masked)', '{ emptyInstant }'],
    ['an enum value that is none', '{ badColor }'],
    ['a resolver returning an error (masked)', '{ returnedError }'],
    ['a resolver throwing an error (masked)', '{ thrownError }'],
    ['a resolver throwing a GraphQLError', '{ thrownGraphQLError }'],
    ['errors on other lines (CRLF, CR, LF)', '{\r\n  badInt\r  thrownError\n  ok: thrownGraphQLError\n}'],
  ])('%s', async (_name, query) => {
    runs.length = 0;
    expect(await answer(compiled, query)).toEqual(await answer(interpreted, query));
    expect(runs).toEqual(['compiled']);
  });

  it('fills in the defaults of variables, custom scalars and input objects included', async () => {
    const query =
      'query ($at: Instant = "2026-02-03T04:05:06.789Z", $n: Int! = 7, $range: Range = { to: "2026-12-31T00:00:00Z" }) { echo(at: $at, n: $n, range: $range) }';
    for (const variables of [{}, { n: 1 }, { at: '2027-01-01T00:00:00Z', range: { from: '2025-01-01T00:00:00Z' } }]) {
      runs.length = 0;
      expect(await answer(compiled, query, variables)).toEqual(await answer(interpreted, query, variables));
      expect(runs).toEqual(['compiled']);
    }
  });
});
