import type { CallOptions, UpstreamClient } from '../upstream/client.js';

/**
 * The XMPP domain for the whole process: configured (`XMPP_DOMAIN`), or read from Openfire's `xmpp.domain` by the
 * first request that needs it and then kept. It changes only when Openfire is set up again, so it is read again in
 * the background when older than `refreshMs`, while requests go on with the value they have: no request but the
 * first ever waits for it.
 */
export interface DomainSource {
  /** The domain; `read` fetches it (with the asking request's credential) when there is none yet or it is stale. */
  get(read: () => Promise<string>): Promise<string>;
}

export interface DomainSourceOptions {
  readonly configured: string | null;
  readonly refreshMs?: number;
  readonly now?: () => number;
  /** Told when a background refresh fails; the value in hand is kept and read again next time. */
  readonly onRefreshError?: (error: unknown) => void;
}

export const DEFAULT_DOMAIN_REFRESH_MS = 10 * 60_000;

export function domainSource(options: DomainSourceOptions): DomainSource {
  const { configured, refreshMs = DEFAULT_DOMAIN_REFRESH_MS, now = Date.now } = options;
  if (configured !== null) return { get: () => Promise.resolve(configured) };
  let known: { value: string; at: number } | null = null;
  let reading: Promise<string> | null = null;
  const fetch = (read: () => Promise<string>): Promise<string> => {
    reading ??= read().then(
      (value) => {
        known = { value, at: now() };
        reading = null;
        return value;
      },
      (error: unknown) => {
        // A failed read is not kept: the next request tries again.
        reading = null;
        throw error;
      },
    );
    return reading;
  };
  return {
    get(read) {
      if (known === null) return fetch(read);
      if (now() - known.at >= refreshMs && reading === null)
        fetch(read).catch((error: unknown) => options.onRefreshError?.(error));
      return Promise.resolve(known.value);
    },
  };
}

/**
 * Openfire's `xmpp.domain` read through `sources` (the process's one value), outside any request's budget and
 * caches: the value outlives the request that reads it. `options` carry the asking request's id and credential.
 */
export function readDomain(
  sources: DomainSource,
  client: UpstreamClient,
  options: Pick<CallOptions, 'authorization' | 'requestId' | 'onCall'>,
): Promise<string> {
  return sources.get(async () => {
    const property = await client.call(
      'GET /system/properties/{propertyKey}',
      { path: { propertyKey: 'xmpp.domain' } },
      options,
    );
    return property.value ?? '';
  });
}
