import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SECRET } from '../helpers/emulator.js';
import { offlineApp, useGateway } from '../helpers/gateway.js';

/**
 * Abusive requests are refused before any upstream call, each with `BAD_USER_INPUT` and a message naming the
 * setting; the operations used would reach Openfire if they ran. The first gateway has the default limits.
 */
const g = useGateway();
const small = useGateway({
  app: { limits: { bodyBytes: 2000, maxDepth: 3, maxAliases: 2, maxTokens: 100, maxBatch: 1 } },
});

/** GraphQL over HTTP: a refused document is HTTP 400 for this media type (200 for plain `application/json`). */
// A function: the adapter's Request adds content-length to a headers object it is given.
const json = () => ({
  'content-type': 'application/json',
  accept: 'application/graphql-response+json',
  authorization: SECRET,
});
const post = (gateway: typeof g, body: string, headers: Record<string, string> = {}) =>
  gateway.fetch('/graphql', { method: 'POST', headers: { ...json(), ...headers }, body });

/** `user { roster { user { roster … } } }` with `depth` levels of fields, the last one a scalar. */
function deepQuery(depth: number): string {
  let query = depth % 2 === 0 ? 'username' : 'jid';
  for (let level = depth - 1; level >= 1; level--) {
    const field = level === 1 ? 'user(username: "john")' : level % 2 === 1 ? 'user' : 'roster';
    query = `${field} { ${query} }`;
  }
  return `{ ${query} }`;
}

const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `u${i}: user(username: "john") { name }`).join(' ')} }`;

async function expectRefused(gateway: typeof g, res: Response, status: number, message: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual({
    errors: [expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT' } })],
  });
  expect((await gateway.upstreamCalls()).total).toBe(0);
}

describe('query depth', () => {
  it('refuses a query one level deeper than GRAPHQL_MAX_DEPTH (default 15) before any upstream call', async () => {
    const res = await post(g, JSON.stringify({ query: deepQuery(16) }));
    await expectRefused(g, res, 400, 'Query depth exceeds GRAPHQL_MAX_DEPTH (15)');
  });

  it('answers a client accepting only application/json with 200, as GraphQL over HTTP prescribes', async () => {
    const res = await post(small, JSON.stringify({ query: deepQuery(4) }), { accept: 'application/json' });
    await expectRefused(small, res, 200, 'Query depth exceeds GRAPHQL_MAX_DEPTH (3)');
  });

  it('runs a query exactly at the limit', async () => {
    const { body } = await g.gql(deepQuery(15));
    expect(body.errors).toBeUndefined();
    expect(body.data.user.roster[0].user.roster).toBeDefined();
    expect((await g.upstreamCalls()).total).toBeGreaterThan(0);
  });

  it('follows the setting', async () => {
    await expectRefused(
      small,
      await post(small, JSON.stringify({ query: deepQuery(4) })),
      400,
      'Query depth exceeds GRAPHQL_MAX_DEPTH (3)',
    );
  });

  it('does not count introspection, so GraphiQL’s introspection query passes under the defaults and a small depth', async () => {
    for (const app of [offlineApp(), offlineApp({ limits: { maxDepth: 3 } })]) {
      const res = await app.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: json(),
        body: JSON.stringify({ query: getIntrospectionQuery() }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).data.__schema.queryType).toMatchObject({ name: 'Query' });
    }
  });
});

describe('aliases', () => {
  it('refuses an alias flood beyond GRAPHQL_MAX_ALIASES (default 50) before any upstream call', async () => {
    await expectRefused(
      g,
      await post(g, JSON.stringify({ query: aliases(51) })),
      400,
      'Query has more aliases than GRAPHQL_MAX_ALIASES (50)',
    );
  });

  it('runs 50 aliases (one upstream call: the loader de-duplicates them)', async () => {
    const { body } = await g.gql(aliases(50));
    expect(Object.keys(body.data)).toHaveLength(50);
    expect((await g.upstreamCalls()).total).toBe(1);
  });

  it('follows the setting', async () => {
    await expectRefused(
      small,
      await post(small, JSON.stringify({ query: aliases(3) })),
      400,
      'Query has more aliases than GRAPHQL_MAX_ALIASES (2)',
    );
  });
});

describe('tokens', () => {
  it('refuses a document with more tokens than GRAPHQL_MAX_TOKENS (default 5000) before any upstream call', async () => {
    const query = `{ user(username: "john") { name ${'__typename '.repeat(5000)}} }`;
    await expectRefused(
      g,
      await post(g, JSON.stringify({ query })),
      400,
      'Query has more tokens than GRAPHQL_MAX_TOKENS (5000)',
    );
  });

  it('follows the setting', async () => {
    const query = `{ user(username: "john") { name ${'__typename '.repeat(100)}} }`;
    await expectRefused(
      small,
      await post(small, JSON.stringify({ query })),
      400,
      'Query has more tokens than GRAPHQL_MAX_TOKENS (100)',
    );
  });
});

describe('request body size', () => {
  const huge = JSON.stringify({ query: `{ user(username: "john") { name } }\n#${'x'.repeat(1_048_576)}` });

  it('answers 413 to a body over BODY_LIMIT (default 1 MiB)', async () => {
    await expectRefused(g, await post(g, huge), 413, 'Request body exceeds BODY_LIMIT (1048576 bytes)');
  });

  it('counts the bytes of a body streamed without content-length', async () => {
    const bytes = new TextEncoder().encode(huge);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
        controller.close();
      },
    });
    const res = await g.fetch('/graphql', { method: 'POST', headers: json(), body, duplex: 'half' } as RequestInit);
    await expectRefused(g, res, 413, 'Request body exceeds BODY_LIMIT (1048576 bytes)');
  });

  it('answers 413 from the announced content-length alone', async () => {
    const res = await post(small, 'x', { 'content-length': '2001' });
    await expectRefused(small, res, 413, 'Request body exceeds BODY_LIMIT (2000 bytes)');
  });

  it('answers 413 over a real socket, and runs a body within the limit', async () => {
    const app = offlineApp({ limits: { bodyBytes: 1000 } });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const big = await fetch(url, {
        method: 'POST',
        headers: json(),
        body: JSON.stringify({ query: `{ __typename }#${'x'.repeat(1000)}` }),
      });
      expect(big.status).toBe(413);
      expect((await big.json()).errors[0].message).toBe('Request body exceeds BODY_LIMIT (1000 bytes)');
      const fine = await fetch(url, {
        method: 'POST',
        headers: json(),
        body: JSON.stringify({ query: `{ __typename }#${'x'.repeat(900)}` }),
      });
      expect(await fine.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('batched operations', () => {
  const batch = (n: number) =>
    JSON.stringify(Array.from({ length: n }, () => ({ query: '{ user(username: "john") { name } }' })));

  it('refuses more operations than GRAPHQL_MAX_BATCH (default 10) before any upstream call', async () => {
    await expectRefused(g, await post(g, batch(11)), 413, 'Batch of 11 operations exceeds GRAPHQL_MAX_BATCH (10)');
  });

  it('runs a batch of 10', async () => {
    const res = await post(g, batch(10));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(Array.from({ length: 10 }, () => ({ data: { user: { name: 'John Doe' } } })));
  });

  it('refuses any batch when GRAPHQL_MAX_BATCH is 1', async () => {
    await expectRefused(small, await post(small, batch(1)), 400, 'Batched requests are off (GRAPHQL_MAX_BATCH is 1)');
  });
});
