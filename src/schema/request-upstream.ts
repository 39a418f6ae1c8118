import type { CallArgs, ResultOf } from '../upstream/endpoints.js';
import { UpstreamError } from '../upstream/errors.js';
import type { CallOptions, UpstreamClient } from '../upstream/client.js';
import type { RouteKey } from '../upstream/routes.js';
import { fromUpstream } from './errors.js';

/**
 * The upstream client as one GraphQL request sees it: the request's credential, id and deadline applied to every
 * call, at most `concurrency` calls in flight, and upstream failures turned into coded GraphQL errors.
 */
export interface RequestUpstream {
  call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>>;
  /** Like `call`, but a NOT_FOUND answer is `null` (lookups of absent things). */
  find<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K> | null>;
}

export function requestUpstream(client: UpstreamClient, options: CallOptions, concurrency: number): RequestUpstream {
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  async function call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>> {
    await acquire();
    try {
      return await client.call(route, args, options);
    } catch (error) {
      throw error instanceof UpstreamError ? fromUpstream(error) : error;
    } finally {
      release();
    }
  }
  async function find<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K> | null> {
    try {
      return await call(route, args);
    } catch (error) {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return null;
      throw error;
    }
  }
  return { call, find };
}
