import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { offlineApp } from '../helpers/gateway.js';

/**
 * The GraphQL-over-HTTP audits of `graphql-http` (MUST, SHOULD and MAY) against the app as `npm start` builds it,
 * GraphiQL on. Every request carries a credential, since the gateway answers 401 without one, and the CSRF
 * prevention header, which the audits' GET requests need; the audits' documents (`{ __typename }` and broken
 * variants) never reach Openfire.
 */
const app = offlineApp();

const fetchFn = async (input: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  headers.set('authorization', 'any-openfire-secret');
  headers.set('x-graphql-yoga-csrf', 'audit');
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
