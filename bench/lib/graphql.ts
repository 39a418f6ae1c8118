import { cannon } from './cannon.js';
import type { Load } from './load.js';

/**
 * One GraphQL query POSTed over and over. An answer is good when it is a 200 without `errors` that `complete`
 * accepts (e.g. it holds every member expected).
 */
export function graphql(
  url: string | readonly string[],
  query: string,
  complete: (body: string) => boolean,
  authorization?: string,
): Load {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return cannon(
    url,
    [{ method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query }) }],
    (status, body) => status === 200 && !body.includes('"errors"') && complete(body),
  );
}

/** Occurrences of `part` in `text`. */
export const occurrences = (text: string, part: string): number => text.split(part).length - 1;
