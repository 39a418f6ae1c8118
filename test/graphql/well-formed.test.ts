import { describe, expect, it } from 'vitest';
import { newGroup } from '../../src/emulator/domain.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

/**
 * Text that is not well-formed Unicode (a lone UTF-16 surrogate) is refused before any upstream call, wherever it
 * comes from; and a list that meets an object Openfire holds under such a name answers the rest.
 */
const g = useGateway({ seed: showcaseSeed(settings) });
const LONE = '\ud800';

const code = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions?.code;

describe('text that is not well-formed Unicode', () => {
  it('is refused in variables, before any upstream call', async () => {
    const res = await g.gql('mutation ($name: String!) { createGroup(input: { name: $name }) { name } }', {
      name: `team${LONE}`,
    });
    expect([res.status, code(res.body)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      '"variables.name" is not well-formed Unicode (it holds a lone surrogate)',
    );
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('is refused in the document’s own string literals, escaped as \\uD800 (by graphql-js’s lexer)', async () => {
    const res = await g.gql('mutation { createGroup(input: { name: "team\\uD800" }) { name } }');
    expect(code(res.body)).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors?.[0]?.message).toContain('Invalid Unicode escape sequence');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('is refused in lookups too, which would otherwise fail to build their path', async () => {
    const res = await g.gql('query ($u: String!) { user(username: $u) { name } }', { u: `jane${LONE}` });
    expect(code(res.body)).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('in a name Openfire already holds, costs only that item of a list: the rest of the page is answered', async () => {
    (await g.ready).edit((draft) => {
      draft.groups.push(newGroup(`broken${LONE}`, null, 'nobody'));
    });
    const res = await g.gql('{ groups { nodes { name members { username } } } }');
    const nodes = res.body.data?.groups.nodes as Array<{ name: string } | null>;
    expect(nodes.map((n) => n?.name ?? null)).toEqual([null, 'developers', 'support']);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({
      path: ['groups', 'nodes', 0, 'members'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
