import type { LiveEvent } from './events.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { round } from './upstream.js';

export interface LiveReporterOptions {
  readonly logger: Logger;
  readonly metrics?: Metrics | null;
}

/**
 * The live hub's `report`: every event in the metrics; in the log, pollers starting and stopping (debug), a topic's
 * polls starting to fail (warn, once per run of failures) and recovering (info), and subscribers dropped for lagging
 * (warn).
 */
export function liveReporter({ logger, metrics }: LiveReporterOptions): (event: LiveEvent) => void {
  return (event) => {
    metrics?.live(event);
    switch (event.kind) {
      case 'poller':
        logger.debug({ topic: event.topic }, event.running ? 'poller started' : 'poller stopped');
        return;
      case 'poll':
        if (event.error !== null && event.failures === 1) {
          logger.warn({ topic: event.topic, err: event.error }, 'poll failed; polling less often until it succeeds');
        } else if (event.error === null && logger.isLevelEnabled('debug')) {
          logger.debug({ topic: event.topic, durationMs: round(event.durationMs) }, 'poll');
        }
        return;
      case 'unsubscribed':
        if (event.reason === 'lagging') {
          logger.warn({ topic: event.topic, transport: event.transport }, 'subscriber dropped: it fell too far behind');
        }
        return;
      default:
        return;
    }
  };
}
