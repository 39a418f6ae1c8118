import type { CallEvent } from '../upstream/client.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { currentObservation } from './scope.js';

export interface UpstreamReporterOptions {
  readonly logger: Logger;
  readonly metrics?: Metrics | null;
}

/** `UpstreamClientOptions.onCall`: counts the call for its request and the metrics, and logs it at debug level. */
export function upstreamReporter(options: UpstreamReporterOptions): (event: CallEvent) => void {
  const { logger, metrics } = options;
  return (event) => {
    const observation = currentObservation();
    if (observation) observation.upstreamCalls++;
    metrics?.upstreamCall(event);
    if (!logger.isLevelEnabled('debug')) return;
    const { route, status, attempts, error } = event;
    logger.debug({ upstream: { route, status, durationMs: round(event.durationMs), attempts, error } }, 'upstream call');
  };
}

export const round = (ms: number): number => Math.round(ms * 10) / 10;
