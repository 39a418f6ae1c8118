import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LegacyOutcome } from '../legacy/endpoint.js';
import type { CallEvent } from '../upstream/client.js';
import { FastCounter, FastHistogram } from './fast-metrics.js';
import { boundedLabel, methodLabel } from './labels.js';
import type { RouteLabel } from './routes.js';

/** Operation names kept as labels before new ones count as `other`. */
export const MAX_OPERATION_NAMES = 200;

export interface Metrics {
  /** This instance's own registry (never prom-client's global one). */
  readonly registry: Registry;
  httpRequest(route: RouteLabel, method: string, status: number, seconds: number): void;
  graphqlOperation(name: string | null, type: string, code: string): void;
  /** `UpstreamClientOptions.onCall`. */
  upstreamCall(event: CallEvent): void;
  legacyRequest(outcome: Pick<LegacyOutcome, 'type' | 'reply'>): void;
  /** `ContextOptions.onBatch`: keys in one DataLoader batch. */
  batch(loader: string, size: number): void;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop, GC); on by default. */
  readonly process?: boolean;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.process !== false) collectDefaultMetrics({ register: registry });
  const httpTotal = new FastCounter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'],
    registry,
  });
  const httpSeconds = new FastHistogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to its response headers, by route.',
    labelNames: ['route'],
    buckets: SECONDS,
    registry,
  });
  const operations = new FastCounter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations, by operation name, type and the first error code (OK without errors).',
    labelNames: ['operation', 'type', 'code'],
    registry,
  });
  const upstreamTotal = new FastCounter({
    name: 'upstream_calls_total',
    help: 'Calls to the Openfire REST API, by route template, method and status (the error code when no response arrived).',
    labelNames: ['route', 'method', 'status'],
    registry,
  });
  const upstreamSeconds = new FastHistogram({
    name: 'upstream_call_duration_seconds',
    help: 'Duration of Openfire REST API calls, retries included, by route template.',
    labelNames: ['route'],
    buckets: SECONDS,
    registry,
  });
  const legacyTotal = new FastCounter({
    name: 'legacy_requests_total',
    help: 'Legacy /userservice requests, by type (none when missing or unknown) and reply.',
    labelNames: ['type', 'reply'],
    registry,
  });
  const batchSize = new FastHistogram({
    name: 'dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registry,
  });
  const operationName = boundedLabel(MAX_OPERATION_NAMES, 'anonymous');
  const code = boundedLabel(50, 'OK');
  return {
    registry,
    httpRequest(route, method, status, seconds) {
      httpTotal.inc([route, methodLabel(method), String(status)]);
      httpSeconds.observe([route], seconds);
    },
    graphqlOperation(name, type, errorCode) {
      operations.inc([operationName(name), type, code(errorCode)]);
    },
    upstreamCall(event) {
      upstreamTotal.inc([
        event.route,
        event.method,
        event.status === null ? (event.error ?? 'none') : String(event.status),
      ]);
      upstreamSeconds.observe([event.route], event.durationMs / 1000);
    },
    legacyRequest(outcome) {
      legacyTotal.inc([outcome.type ?? 'none', outcome.reply]);
    },
    batch(loader, size) {
      batchSize.observe([loader], size);
    },
  };
}
