import type { UpstreamClient } from './upstream/client.js';
import { createLoaders, type LoaderOptions, type Loaders } from './schema/loaders.js';
import { requestUpstream, type RequestUpstream } from './schema/request-upstream.js';

/** What may a caller do: `admin` everything, `read` queries only. */
export type Role = 'admin' | 'read';

/** A fresh object per GraphQL request; the loaders' caches live and die with it. */
export interface Context {
  readonly upstream: RequestUpstream;
  readonly loaders: Loaders;
  readonly role: Role;
}

export interface ContextOptions extends LoaderOptions {
  /** Upstream calls one request may have in flight at once. */
  readonly concurrency: number;
}

export interface RequestIdentity {
  readonly role: Role;
  /** Forwarded to Openfire instead of the gateway's credential (passthrough mode). */
  readonly authorization?: string;
  readonly requestId?: string;
  readonly signal?: AbortSignal;
}

export function createContext(client: UpstreamClient, identity: RequestIdentity, options: ContextOptions): Context {
  const upstream = requestUpstream(
    client,
    { authorization: identity.authorization, requestId: identity.requestId, signal: identity.signal },
    options.concurrency,
  );
  return { upstream, loaders: createLoaders(upstream, options), role: identity.role };
}
