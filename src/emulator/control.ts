import { ClientError } from './clients.js';
import { clientControl, isClientPath } from './clients-control.js';
import type { Faults } from './faults.js';
import { FaultError, parseFault } from './faults.js';
import type { Stats } from './stats.js';
import type { Snapshot, Store } from './store.js';

/**
 * The control plane (`--control`), outside `/plugins`: request statistics, reset, fault injection, the whole state as
 * JSON and simulated XMPP clients, for tests and benchmarks. Not part of Openfire.
 */
export const CONTROL_PREFIX = '/__emulator/';

export interface ControlResponse {
  status: number;
  body?: unknown;
}

export interface ControlDeps {
  readonly store: Store;
  readonly stats: Stats;
  readonly faults: Faults;
  /** The emulator's now, for the sessions simulated clients open and touch. */
  readonly now: () => number;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new FaultError('the body is not valid JSON');
  }
}

function isSnapshot(value: unknown): value is Snapshot {
  const keys = ['users', 'groups', 'services', 'properties', 'sessions'];
  return typeof value === 'object' && value !== null && keys.every((k) => k in value);
}

export function control(method: string, path: string, rawBody: string, deps: ControlDeps): ControlResponse {
  const name = path.slice(CONTROL_PREFIX.length);
  try {
    if (isClientPath(name)) return clientControl(method, name, rawBody, deps.store, deps.now());
    switch (`${method} ${name}`) {
      case 'GET stats':
        return { status: 200, body: deps.stats.toJSON() };
      case 'POST reset':
        deps.store.reset();
        deps.stats.reset();
        deps.faults.clear();
        return { status: 204 };
      case 'GET faults':
        return { status: 200, body: deps.faults.list() };
      case 'POST faults': {
        const input = parseJson(rawBody);
        for (const fault of (Array.isArray(input) ? input : [input]).map(parseFault)) deps.faults.add(fault);
        return { status: 201, body: deps.faults.list() };
      }
      case 'DELETE faults':
        deps.faults.clear();
        return { status: 204 };
      case 'GET state':
        return { status: 200, body: deps.store.snapshot() };
      case 'PUT state': {
        const snapshot = parseJson(rawBody);
        if (!isSnapshot(snapshot)) return { status: 400, body: { error: 'the body is not a state snapshot' } };
        deps.store.load(snapshot);
        return { status: 204 };
      }
      default:
        return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
    }
  } catch (error) {
    if (error instanceof FaultError) return { status: 400, body: { error: error.message } };
    if (error instanceof ClientError) return { status: error.status, body: { error: error.message } };
    throw error;
  }
}
