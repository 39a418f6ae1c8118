import type { UpstreamCallEvent } from './events.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface UpstreamReporterOptions {
  readonly logger: Logger;
  readonly metrics?: Metrics | null;
}

/** `UpstreamClientOptions.onCall`: counts the call in the metrics and logs it at debug level with its request's id. */
export function upstreamReporter(options: UpstreamReporterOptions): (event: UpstreamCallEvent) => void {
  const { logger, metrics } = options;
  return (event) => {
    metrics?.upstreamCall(event);
    if (!logger.isLevelEnabled('debug')) return;
    const { route, status, attempts, error, requestId } = event;
    logger.debug(
      { requestId, upstream: { route, status, durationMs: round(event.durationMs), attempts, error } },
      'upstream call',
    );
  };
}

export const round = (ms: number): number => Math.round(ms * 10) / 10;
