import { createHash } from 'node:crypto';
import type { SharedState } from './connection.js';

/** Lua: `now`, Redis's own clock in ms, so that replicas' clocks need not agree. */
export const REDIS_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)";

/** Runs a script with its keys and arguments; rejects when Redis cannot answer. */
export type Script = (state: SharedState, keys: readonly string[], args: readonly string[]) => Promise<unknown>;

/**
 * A Lua script sent by its SHA1 (EVALSHA), in full only when the server does not know it yet (NOSCRIPT: first use,
 * or after Redis restarted): hot paths send a few bytes instead of the script on every call.
 */
export function script(source: string): Script {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (state, keys, args) => {
    const options = { keys: [...keys], arguments: [...args] };
    try {
      return await state.client.evalSha(sha, options);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return state.client.eval(source, options);
    }
  };
}
