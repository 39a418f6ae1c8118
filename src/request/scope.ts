import type { CallEvent, UpstreamClient } from '../upstream/client.js';
import { type Caller, DEFAULT_USER_POLICY, type UserPolicy } from './caller.js';
import { type DomainSource, readDomain as readDomainOf } from './domain.js';
import type { FairShare } from './fair-share.js';
import { createLoaders, type LoaderOptions, type Loaders } from './loaders.js';
import { type Budget, type RequestUpstream, type RequestUpstreamOptions, requestUpstream } from './upstream.js';

/**
 * Everything one HTTP request holds while it is served: who calls, the upstream as that caller may use it (budget,
 * deadline, cancellation, identical reads made once) and the loaders. Every operation of a batched request shares
 * it, so the budget and the caches are the request's, not each operation's.
 */
export interface RequestScope {
  readonly caller: Caller;
  /** What end users may do beyond their own data. */
  readonly userPolicy: UserPolicy;
  readonly upstream: RequestUpstream;
  readonly loaders: Loaders;
  /** The XMPP domain: configured, or read from `xmpp.domain` once per process (see domain.ts). */
  domain(): Promise<string>;
  /** The answer is decided: calls still running are cancelled, none is sent any more. */
  close(): void;
}

export interface ScopeOptions extends LoaderOptions {
  readonly budget: Budget;
  readonly userPolicy?: UserPolicy;
  /** The process's XMPP domain (configured, or read once and kept). */
  readonly domains: DomainSource;
  /** The upstream pool shared fairly between callers. */
  readonly share: FairShare;
  /** What callers see instead of upstream and budget failures (see `RequestUpstreamOptions.mapError`). */
  readonly mapError?: RequestUpstreamOptions['mapError'];
}

export interface RequestFacts {
  readonly requestId?: string;
  /** The HTTP request's signal: once its client has gone, no new call is sent. */
  readonly signal?: AbortSignal;
  /** Told about each upstream call once finished (the request's log line counts them). */
  readonly onCall?: (event: CallEvent) => void;
}

export function createRequestScope(
  client: UpstreamClient,
  caller: Caller,
  facts: RequestFacts,
  options: ScopeOptions,
): RequestScope {
  const readDomain = (): Promise<string> =>
    readDomainOf(options.domains, client, {
      authorization: caller.authorization,
      requestId: facts.requestId,
      onCall: facts.onCall,
    });
  // Named one by one rather than spread: properties after a spread make the object slow to build under Node 20's V8,
  // about 10 µs per request here (docs/benchmarks.md, S1).
  const upstream = requestUpstream(client, {
    requestId: facts.requestId,
    signal: facts.signal,
    onCall: facts.onCall,
    authorization: caller.authorization,
    budget: options.budget,
    share: () => options.share.acquire(caller.key),
    mapError: options.mapError,
    // What the request read before it changed Openfire is stale afterwards.
    onWrite: () => loaders.clearAll(),
  });
  const loaders = createLoaders(upstream, readDomain, options);
  const userPolicy = options.userPolicy ?? DEFAULT_USER_POLICY;
  return { caller, userPolicy, upstream, loaders, domain: readDomain, close: upstream.close };
}
