import { readFile } from 'node:fs/promises';
import { parse } from 'graphql';
import { ConfigError } from './config.js';
import { sha256 } from './graphql/plugins/use-apq.js';

/**
 * Reads `PERSISTED_OPERATIONS`, a JSON object `{ "<sha256 hex>": "<query>" }`, at start-up. Every key must be the
 * SHA-256 of its query (what APQ clients compute) and every query must parse, so a stale or hand-edited file stops
 * start-up instead of failing requests later.
 */
export async function readPersistedOperations(path: string): Promise<ReadonlyMap<string, string>> {
  const fail = (reason: string): never => {
    throw new ConfigError(`PERSISTED_OPERATIONS: ${path} ${reason}`);
  };
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('must hold a JSON object { "<sha256 hex>": "<query>" }');
  const operations = new Map<string, string>();
  for (const [key, query] of Object.entries(json as Record<string, unknown>)) {
    const hash = key.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) fail(`has a key that is not a SHA-256 hex digest: "${key.slice(0, 80)}"`);
    if (typeof query !== 'string') fail(`maps ${key} to something other than a query string`);
    if (sha256(query as string) !== hash) fail(`maps ${key} to a query whose SHA-256 is ${sha256(query as string)}`);
    try {
      parse(query as string);
    } catch (error) {
      fail(`maps ${key} to a query that does not parse: ${(error as Error).message}`);
    }
    operations.set(hash, query as string);
  }
  return operations;
}
