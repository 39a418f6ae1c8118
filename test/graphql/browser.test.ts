import { describe, expect, it } from 'vitest';
import { SECRET } from '../helpers/emulator.js';
import { type TestGateway, useGateway } from '../helpers/gateway.js';

/** What browser frontends meet at `/graphql`: CSRF prevention, CORS, and the production switches. */
const g = useGateway();
const APP = 'https://app.example.com';
const cors = useGateway({ app: { browser: { corsOrigins: [APP, 'http://localhost:3000'] } } });
const open = useGateway({ app: { browser: { csrfPrevention: false } } });
const production = useGateway({ app: { browser: { introspection: false }, graphiql: false } });

const query = '{ user(username: "john") { name } }';
const getUrl = `/graphql?query=${encodeURIComponent(query)}`;
const john = { data: { user: { name: 'John Doe' } } };
const jsonPost = (headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SECRET, ...headers },
  body: JSON.stringify({ query }),
});

describe('CSRF prevention (CSRF_PREVENTION, default on)', () => {
  it('refuses a GET without the x-graphql-yoga-csrf header with 403, before any upstream call', async () => {
    const res = await g.fetch(getUrl, { headers: { accept: 'application/json', authorization: SECRET } });
    // @graphql-yoga/plugin-csrf-prevention's own refusal: it names no header and carries no extensions.code.
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ message: 'Required CSRF header(s) not present' }] });
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('refuses a form POST without the header, which a page on another site could submit', async () => {
    const res = await g.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SECRET },
      body: new URLSearchParams({ query }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ message: 'Required CSRF header(s) not present' }] });
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('runs a GET with the header, and a JSON POST without it', async () => {
    const get = await g.fetch(getUrl, {
      headers: { accept: 'application/json', authorization: SECRET, 'x-graphql-yoga-csrf': '1' },
    });
    expect([get.status, await get.json()]).toEqual([200, john]);
    const post = await g.fetch('/graphql', jsonPost());
    expect([post.status, await post.json()]).toEqual([200, john]);
  });

  it('lets a GET through without the header when switched off', async () => {
    const res = await open.fetch(getUrl, { headers: { accept: 'application/json', authorization: SECRET } });
    expect([res.status, await res.json()]).toEqual([200, john]);
  });

  it('has GraphiQL send the header with every request', async () => {
    const page = await (await g.fetch('/graphql', { headers: { accept: 'text/html' } })).text();
    const config = JSON.parse(
      /<script type="application\/json" id="graphiql-config">(.*?)<\/script>/s.exec(page)?.[1] ?? 'null',
    );
    expect(config.options.additionalHeaders).toEqual({ 'x-graphql-yoga-csrf': 'graphiql' });
  });
});

/** A browser's preflight before a cross-origin JSON POST with a credential. */
const preflight = (gateway: TestGateway, origin: string) =>
  gateway.fetch('/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, x-request-id',
    },
  });

describe('CORS (CORS_ORIGINS, default none)', () => {
  it('answers an allowed origin’s preflight itself, without touching Openfire', async () => {
    const res = await preflight(cors, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/i);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')?.split(', ')).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'x-request-id',
        'x-graphql-yoga-csrf',
        'x-graphql-event-stream-token',
      ]),
    );
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await cors.upstreamCalls()).total).toBe(0);
  });

  it('gives an allowed origin its header on the answer to the actual request', async () => {
    const res = await cors.fetch('/graphql', jsonPost({ origin: 'http://localhost:3000' }));
    expect(await res.json()).toEqual(john);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/i);
    // A frontend may read why a token was refused, and the id to quote in a support request.
    expect(res.headers.get('access-control-expose-headers')).toBe('x-request-id, www-authenticate');
  });

  it('gives another origin no CORS header, preflight or not', async () => {
    const pre = await preflight(cors, 'https://evil.example.net');
    expect(pre.status).toBe(204);
    const res = await cors.fetch('/graphql', jsonPost({ origin: 'https://evil.example.net' }));
    for (const r of [pre, res]) {
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      expect(r.headers.get('access-control-allow-headers')).toBeNull();
      expect(r.headers.get('vary')).toMatch(/\bOrigin\b/i);
    }
    expect((await cors.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 1 });
  });

  it('allows no origin by default, still answering preflights without Openfire', async () => {
    for (const origin of [APP, 'https://evil.example.net']) {
      const pre = await preflight(g, origin);
      expect(pre.status).toBe(204);
      const res = await g.fetch('/graphql', jsonPost({ origin }));
      for (const r of [pre, res]) {
        expect(r.headers.get('access-control-allow-origin')).toBeNull();
        expect(r.headers.get('access-control-allow-methods')).toBeNull();
      }
    }
    expect((await g.upstreamCalls()).total).toBe(2);
  });
});

describe('production switches', () => {
  it('refuses introspection when INTROSPECTION is off, before any upstream call; __typename still works', async () => {
    const res = await production.fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: SECRET,
      },
      body: JSON.stringify({ query: '{ __schema { types { name } } user(username: "john") { name } }' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toContain('introspection has been disabled');
    expect((await production.upstreamCalls()).total).toBe(0);
    expect((await production.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    expect((await g.gql('{ __schema { queryType { name } } }')).body).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
  });

  it('serves no GraphiQL page when GRAPHIQL is off', async () => {
    const res = await production.fetch('/graphql', { headers: { accept: 'text/html', authorization: SECRET } });
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await res.text()).not.toContain('<html');
    const on = await g.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(on.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
