import { Pool } from 'undici';

/** The transport to one Openfire: a connection pool with explicit limits (undici's defaults are unbounded/300 s). */
export interface TransportOptions {
  /** Openfire's base URL, e.g. `http://openfire:9090`. */
  readonly origin: string;
  readonly connections?: number;
  readonly connectTimeoutMs?: number;
  /** Time allowed for the response headers. */
  readonly headersTimeoutMs?: number;
  /** Time allowed between body chunks. */
  readonly bodyTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
}

export const DEFAULT_TRANSPORT = {
  connections: 32,
  connectTimeoutMs: 2_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  keepAliveTimeoutMs: 4_000,
} as const;

export function createTransport(options: TransportOptions): Pool {
  const o = { ...DEFAULT_TRANSPORT, ...options };
  return new Pool(new URL(o.origin).origin, {
    connections: o.connections,
    connect: { timeout: o.connectTimeoutMs },
    headersTimeout: o.headersTimeoutMs,
    bodyTimeout: o.bodyTimeoutMs,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    // Openfire's Jetty closes idle connections after 30 s; stay well below it.
    keepAliveMaxTimeout: 10_000,
  });
}
