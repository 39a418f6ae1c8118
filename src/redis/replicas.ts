import { sharedApqStore } from './apq.js';
import { openSharedState, type SharedStateOptions } from './connection.js';
import { sharedLock } from './lock.js';
import { sharedPermits } from './permits.js';
import { sharedPolling } from './polling.js';
import { sharedThrottle } from './throttle.js';

/**
 * Everything replicas share through one `REDIS_URL` (docs/operations.md, Several replicas), under fixed key prefixes
 * so that every replica of a deployment meets the others' keys: the legacy throttle and leases, the APQ texts, who
 * polls each live topic, and callers' shares of Openfire and of subscriptions.
 */
export interface ReplicaSettings {
  readonly url: string;
  /** `USERSERVICE_MAX_FAILURES` and the window they are counted in. */
  readonly legacyMaxFailures: number;
  readonly legacyWindowMs: number;
  /** `SUBSCRIPTION_POLL_MS`. */
  readonly pollMs: number;
  /** The longest APQ text kept (`MAX_BODY_BYTES`). */
  readonly apqMaxBytes: number;
  /** The longest an upstream call may hold a caller's permit: a replica dying mid-call frees it then. */
  readonly callLeaseMs: number;
}

export interface ReplicaEvents extends SharedStateOptions {
  /** A use that could not reach Redis and followed its policy instead; `use` names it for the log. */
  readonly onFallback: (use: string, error: unknown) => void;
}

/** A legacy operation's lease on its user and groups, renewed by each write; also how long another replica waits. */
const LEGACY_LEASE_MS = 10_000;
/** How long an APQ text is kept after its last registration. */
const APQ_TTL_S = 24 * 60 * 60;
/** An open subscription's permit: renewed three times per lease by the replica serving it. */
const SUBSCRIPTION_LEASE_MS = 30_000;

const PREFIX = 'openfire-gateway:';

export function sharedReplicaState(settings: ReplicaSettings, events: ReplicaEvents) {
  const state = openSharedState(settings.url, events);
  const polling = sharedPolling(state, {
    prefix: `${PREFIX}live:`,
    pollMs: settings.pollMs,
    onError: (error) => events.onFallback('live poll', error),
  });
  const subscriptionPermits = sharedPermits(state, {
    prefix: `${PREFIX}subscriptions:`,
    leaseMs: SUBSCRIPTION_LEASE_MS,
    renewMs: SUBSCRIPTION_LEASE_MS / 3,
    onError: (error) => events.onFallback('subscription count', error),
  });
  return {
    state,
    throttle: sharedThrottle(state, {
      maxFailures: settings.legacyMaxFailures,
      windowMs: settings.legacyWindowMs,
      prefix: `${PREFIX}throttle:`,
    }),
    leases: sharedLock(state, { prefix: `${PREFIX}lock:`, leaseMs: LEGACY_LEASE_MS, waitMs: LEGACY_LEASE_MS }),
    apq: sharedApqStore(state, {
      prefix: `${PREFIX}apq:`,
      ttlSeconds: APQ_TTL_S,
      maxBytes: settings.apqMaxBytes,
      onError: (error) => events.onFallback('persisted query', error),
    }),
    coordinate: polling.coordinate,
    upstreamPermits: sharedPermits(state, {
      prefix: `${PREFIX}upstream:`,
      leaseMs: settings.callLeaseMs,
      onError: (error) => events.onFallback('upstream share', error),
    }),
    subscriptionPermits,
    async close(): Promise<void> {
      subscriptionPermits.close();
      await polling.close();
      await state.close();
    },
  };
}
