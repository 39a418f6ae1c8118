import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Observation } from './observation.js';
import { scrub } from './scrub.js';
import { round } from './upstream.js';

/** One answered HTTP request, as the HTTP shell reports it. */
export interface RequestReport {
  readonly observation: Observation;
  readonly method: string;
  /** The path without query string (never logged). */
  readonly path: string;
  /** One of the gateway's routes, or `other` (a fixed set, so it can be a label). */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
  /** The client's address, through trusted proxies. */
  readonly client: string;
  readonly userAgent: string | null;
}

const clip = (value: string | null, max: number): string | undefined =>
  value === null ? undefined : value.slice(0, max);

/**
 * What happens to a finished request: its one log line (`error` for a 5xx), its metrics, and an extra error line
 * when a legacy operation could not be fully undone. Bodies and query strings are never logged.
 */
export function requestLog(logger: Logger, metrics: Metrics | null): (report: RequestReport) => void {
  return ({ observation, method, path, route, status, seconds, client, userAgent }) => {
    const { id, legacy, operations } = observation;
    metrics?.httpRequest(route, method, status, seconds);
    for (const op of operations) metrics?.graphqlOperation(op.name, op.type, op.codes[0] ?? 'OK');
    if (legacy) metrics?.legacyRequest(legacy);
    const line = {
      requestId: id,
      method,
      path: clip(path, 512),
      route,
      status,
      durationMs: round(seconds * 1000),
      client,
      userAgent: clip(userAgent, 256),
      upstreamCalls: observation.upstreamCalls,
      ...(operations.length > 0 && { graphql: operations }),
      ...(legacy && { legacy: { type: legacy.type, reply: legacy.reply, rollback: legacy.rollback } }),
    };
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
    if (legacy?.rollback === 'incomplete') {
      const cause = legacy.error instanceof Error ? legacy.error.message : String(legacy.error);
      logger.error(
        { requestId: id, legacy: { type: legacy.type, reply: legacy.reply }, cause: scrub(cause) },
        'legacy operation failed and could not be fully undone',
      );
    }
  };
}
