/**
 * The plain events observability receives from the layers it watches (the HTTP shell, the GraphQL endpoint, the legacy
 * endpoint, the upstream client). They are its own types: it imports none of those layers, which report by shape.
 */

/** One finished upstream call, as the upstream client reports it (`UpstreamClientOptions.onCall`). */
export interface UpstreamCallEvent {
  /** The route template, e.g. `GET /users/{username}`. */
  readonly route: string;
  readonly method: string;
  /** The final HTTP status, `null` when no response arrived. */
  readonly status: number | null;
  readonly durationMs: number;
  readonly attempts: number;
  /** The error code, `null` on success. */
  readonly error: string | null;
  readonly requestId?: string;
}

/** What the legacy endpoint reports of one request (no parameter values). */
export interface LegacyReport {
  /** The `type` asked for when it is one of the ten, else `null`. */
  readonly type: string | null;
  /** `ok`, `list`, or the error name sent. */
  readonly reply: string;
  /** `incomplete` when a failed operation could not be fully undone. */
  readonly rollback: 'none' | 'complete' | 'incomplete';
  /** What went wrong, for the operator. */
  readonly error?: unknown;
}

/** What the live hub reports (src/live/hub.ts): subscriptions, pollers, polls and events handed to transports. */
export type LiveEvent =
  | { readonly kind: 'subscribed'; readonly topic: string; readonly transport: string }
  | {
      readonly kind: 'unsubscribed';
      readonly topic: string;
      readonly transport: string;
      /** `left` (the client went), `ended` (shutdown, or the topic ended), `lagging` (fell too far behind). */
      readonly reason: 'left' | 'ended' | 'lagging';
    }
  | { readonly kind: 'poller'; readonly topic: string; readonly running: boolean }
  | {
      readonly kind: 'poll';
      readonly topic: string;
      readonly durationMs: number;
      /** `null` on success. */
      readonly error: unknown;
      /** Failed polls in a row, this one included (0 after a success). */
      readonly failures: number;
    }
  | { readonly kind: 'sent'; readonly topic: string };
