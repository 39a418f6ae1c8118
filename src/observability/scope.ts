import { AsyncLocalStorage } from 'node:async_hooks';
import type { LegacyOutcome } from '../legacy/endpoint.js';

/** One GraphQL operation of a request, as logged and counted. */
export interface OperationRecord {
  /** The operation's name; `null` when anonymous. */
  readonly name: string | null;
  /** `query`, `mutation`, `subscription`, or `unknown` when it never reached execution. */
  readonly type: string;
  /** The `extensions.code` of each error, in order; empty on success. */
  readonly codes: readonly string[];
}

/** What the request's layers report while it is served; `observe()` logs and counts it when the response is ready. */
export interface Observation {
  /** The sanitised request id, echoed and sent upstream. */
  readonly id: string;
  upstreamCalls: number;
  readonly operations: OperationRecord[];
  legacy: LegacyOutcome | null;
}

/*
 * The upstream client (and its onCall) is built once and shared by every request, and the legacy endpoint reports
 * its outcome without a reference to the request: the async context is what links their reports to the request.
 */
const scope = new AsyncLocalStorage<Observation>();

/** Runs `serve` with `observation` as the current request's. */
export const withObservation = <T>(observation: Observation, serve: () => T): T => scope.run(observation, serve);

/** The observation of the request being served, if any. */
export const currentObservation = (): Observation | undefined => scope.getStore();

/** `LegacyOptions.onOutcome` for the app: the outcome lands on the request's log line and metrics. */
export function recordLegacyOutcome(outcome: LegacyOutcome): void {
  const observation = scope.getStore();
  if (observation) observation.legacy = outcome;
}
