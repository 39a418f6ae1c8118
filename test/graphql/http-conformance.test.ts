import { serverAudits } from 'graphql-http';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createUpstreamClient } from '../../src/upstream/client.js';

/**
 * The GraphQL-over-HTTP audits of `graphql-http` (MUST, SHOULD and MAY) against the app as `npm start` builds it,
 * GraphiQL on. Every request carries a credential, since the gateway answers 401 without one; the audits' documents
 * (`{ __typename }` and broken variants) never reach Openfire.
 */
const app = createApp({
  client: createUpstreamClient({ baseUrl: 'http://127.0.0.1:1', dispatcher: new Agent(), credential: { kind: 'none' } }),
  auth: { kind: 'passthrough' },
  upstreamUrl: 'http://127.0.0.1:1',
  listThreshold: 20,
  concurrency: 4,
});

const fetchFn = async (input: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  headers.set('authorization', 'any-openfire-secret');
  return app.fetch(input, { ...init, headers });
};

const audits = serverAudits({ url: 'http://gateway/graphql', fetchFn });

describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  it('has the whole audit list to run', () => {
    expect(audits.length).toBeGreaterThan(50);
  });

  it.each(audits.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });
});
