import { DEFAULTS } from './config.js';
import { createLoaders, type LoaderOptions, type Loaders } from './schema/loaders.js';
import { type RequestUpstream, requestUpstream } from './schema/request-upstream.js';
import type { CallOptions, UpstreamClient } from './upstream/client.js';

/** What may a caller do: `admin` everything, `read` queries only. */
export type Role = 'admin' | 'read';

/** A fresh object per GraphQL request; the loaders' caches live and die with it. */
export interface Context {
  readonly upstream: RequestUpstream;
  readonly loaders: Loaders;
  readonly role: Role;
  /** The XMPP domain: configured, or read once per request from `xmpp.domain`. */
  domain(): Promise<string>;
  /** A per-request singleton (e.g. a resource file's own DataLoader), created on first use. */
  memo<T>(key: string, create: () => T): T;
  /** Cancels upstream calls still running once the response is decided (a failed field ends the operation). */
  finish(): void;
}

export interface ContextOptions extends LoaderOptions {
  /** Upstream calls one request may have in flight at once. */
  readonly concurrency: number;
  /** The XMPP domain when known (`XMPP_DOMAIN`, or the embedded emulator's); saves a lookup per request. */
  readonly domain?: string | null;
  /** `REQUEST_TIMEOUT_MS`: upstream calls still running then are aborted and answered `UPSTREAM_TIMEOUT`. */
  readonly requestTimeoutMs?: number;
  /** `MAX_UPSTREAM_CALLS`: upstream calls one request may make in total. */
  readonly maxUpstreamCalls?: number;
}

export interface RequestIdentity {
  readonly role: Role;
  /** Forwarded to Openfire instead of the gateway's credential (passthrough mode). */
  readonly authorization?: string;
  readonly requestId?: string;
  readonly signal?: AbortSignal;
  /** Told about each upstream call once finished (the request's log line counts them). */
  readonly onCall?: CallOptions['onCall'];
}

export function createContext(client: UpstreamClient, identity: RequestIdentity, options: ContextOptions): Context {
  const upstream = requestUpstream(
    client,
    {
      authorization: identity.authorization,
      requestId: identity.requestId,
      signal: identity.signal,
      onCall: identity.onCall,
    },
    {
      concurrency: options.concurrency,
      maxCalls: options.maxUpstreamCalls ?? DEFAULTS.limits.maxUpstreamCalls,
      timeoutMs: options.requestTimeoutMs ?? DEFAULTS.limits.requestTimeoutMs,
    },
  );
  const loaders = createLoaders(upstream, options);
  const memos = new Map<string, unknown>();
  return {
    upstream,
    loaders,
    role: identity.role,
    domain: async () => options.domain ?? (await loaders.property.load('xmpp.domain')) ?? '',
    memo<T>(key: string, create: () => T): T {
      if (!memos.has(key)) memos.set(key, create());
      return memos.get(key) as T;
    },
    finish: upstream.close,
  };
}
