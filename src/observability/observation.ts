import type { LegacyReport } from './events.js';

/** One GraphQL operation of a request, as logged and counted. */
export interface OperationRecord {
  /** The operation's name; `null` when anonymous. */
  readonly name: string | null;
  /** `query`, `mutation`, `subscription`, or `unknown` when it never reached execution. */
  readonly type: string;
  /** The `extensions.code` of each error, in order; empty on success. */
  readonly codes: readonly string[];
}

/**
 * What the request's layers report while it is served; the HTTP shell hands it to the request log when the response is ready.
 * It is handed down explicitly (see `Observations`; to the legacy endpoint as an argument) rather than found through
 * AsyncLocalStorage, whose promise hooks cost every promise of every request a few percent of the CPU.
 */
export interface Observation {
  /** The sanitised request id, echoed and sent upstream. */
  readonly id: string;
  /** The client's address, through `TRUST_PROXY` proxies only. */
  readonly client: string;
  upstreamCalls: number;
  readonly operations: OperationRecord[];
  legacy: LegacyReport | null;
}

/**
 * Each GraphQL request's observation, found by its `Request` in yoga's plugins and context factory. One per app, not
 * per process. (Not yoga's server context: a context passed to `yoga.fetch` is copied property by property, with
 * descriptors, on every request.)
 */
export type Observations = WeakMap<Request, Observation>;
