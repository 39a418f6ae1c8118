import { Pool } from 'undici';
import { DEFAULT_TRANSPORT } from '../../src/upstream/dispatcher.js';

/** What a careful hand-written client does: JSON over a keep-alive pool as large as the gateway's. */
export interface Rest {
  get<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

const API = '/plugins/restapi/v1';

export function rest(origin: string, secret: string): Rest {
  const pool = new Pool(origin, { connections: DEFAULT_TRANSPORT.connections });
  const headers = { accept: 'application/json', authorization: secret };
  return {
    async get<T>(path: string): Promise<T> {
      const res = await pool.request({ method: 'GET', path: API + path, headers });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`GET ${path}: HTTP ${res.statusCode}`);
      }
      return (await res.body.json()) as T;
    },
    close: () => pool.close(),
  };
}

/** `fn` over `items` with at most `limit` calls in flight, results in input order (as the gateway's concurrency cap). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by the workers: each item is taken by exactly one of them.
  const queue = items.entries();
  const worker = async (): Promise<void> => {
    for (const [i, item] of queue) results[i] = await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
