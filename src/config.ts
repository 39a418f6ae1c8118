import { parseArgs } from 'node:util';
import { AddressListError, parseAddressList } from './http/address-list.js';

/**
 * The gateway's settings, from the environment with command-line flags mirroring them; the only reader of
 * `process.env` and `argv` in the gateway. Invalid values fail start-up with a message naming the setting; secrets
 * are never echoed.
 */
export type UpstreamCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export type ApiKeyRole = 'admin' | 'read';

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** `GATEWAY_API_KEYS`: key → role; `null` forwards callers' Authorization headers (passthrough). */
  readonly apiKeys: ReadonlyMap<string, ApiKeyRole> | null;
  /** From this many users (or sessions) wanted in one batch, one list call replaces single lookups. */
  readonly listThreshold: number;
  /** Upstream calls one GraphQL request may have in flight. */
  readonly upstreamConcurrency: number;
  /** `XMPP_DOMAIN`: saves reading `xmpp.domain` from Openfire in requests that need it; `null` reads it. */
  readonly xmppDomain: string | null;
  /** A real Openfire's base URL (`http://openfire:9090`); `null` starts the embedded emulator. */
  readonly openfireUrl: string | null;
  /** The upstream credential; `null` in embedded mode without OPENFIRE_SECRET (a random secret is made). */
  readonly credential: UpstreamCredential | null;
  /** `TRUST_PROXY`: proxies (addresses, CIDR ranges) whose `X-Forwarded-For` is believed. */
  readonly trustProxy: readonly string[];
  readonly userservice: {
    /** `USERSERVICE_SECRET`; `null` disables the legacy endpoint (`UserServiceDisabled`). */
    readonly secret: string | null;
    /** `USERSERVICE_ALLOWED_IPS`; empty allows every address. */
    readonly allowedIps: readonly string[];
    /** `USERSERVICE_MAX_FAILURES`: wrong secrets per address and minute before it is refused. */
    readonly maxFailures: number;
  };
}

export class ConfigError extends Error {}

export const GATEWAY_USAGE = `Usage: npm start -- [options]   (each option mirrors an environment variable)

  --port N              PORT               port to listen on (default 4000)
  --host ADDR           HOST               address to bind (default 127.0.0.1)
  --openfire-url URL    OPENFIRE_URL       Openfire base URL, e.g. http://openfire:9090 (unset: embedded emulator)
  --openfire-secret S   OPENFIRE_SECRET    REST API shared secret (embedded mode: the emulator's secret)
  --openfire-username U OPENFIRE_USERNAME  admin user for HTTP Basic (with OPENFIRE_PASSWORD)
                        OPENFIRE_PASSWORD  its password (environment only, so it stays out of process lists)
                        GATEWAY_API_KEYS   key:admin,key2:read: callers send "Authorization: Bearer <key>"
                                           (unset: the caller's Authorization header is forwarded to Openfire)
                        BATCH_LIST_THRESHOLD  users wanted at once before one GET /users replaces single lookups (20)
                        UPSTREAM_CONCURRENCY  upstream calls one GraphQL request may have in flight (16)
                        XMPP_DOMAIN        Openfire's XMPP domain, saves reading it per request (unset: read)
                        USERSERVICE_SECRET the legacy /userservice secret (unset: it answers UserServiceDisabled)
                        USERSERVICE_ALLOWED_IPS  addresses and CIDR ranges allowed to call /userservice (unset: all)
                        USERSERVICE_MAX_FAILURES wrong secrets per client and minute before it is refused (10)
                        TRUST_PROXY        proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed
  --help                show this text
`;

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return Number(value);
}

function positive(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new ConfigError(`${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

/** `key:admin,key2:read`; the keys themselves never appear in messages. */
function apiKeys(value: string | undefined): ReadonlyMap<string, ApiKeyRole> | null {
  if (value === undefined || value.trim() === '') return null;
  const keys = new Map<string, ApiKeyRole>();
  value.split(',').forEach((entry, i) => {
    const colon = entry.lastIndexOf(':');
    const key = entry.slice(0, colon).trim();
    const role = entry.slice(colon + 1).trim();
    if (colon === -1 || key === '' || (role !== 'admin' && role !== 'read')) {
      throw new ConfigError(`GATEWAY_API_KEYS entry ${i + 1} must look like <key>:admin or <key>:read`);
    }
    keys.set(key, role);
  });
  return keys;
}

function addresses(name: string, value: string | undefined): string[] {
  try {
    return parseAddressList(value ?? '');
  } catch (error) {
    if (error instanceof AddressListError) throw new ConfigError(`${name}: ${error.message}`);
    throw error;
  }
}

function userserviceSecret(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (value === '') throw new ConfigError('USERSERVICE_SECRET must not be empty (unset it to disable /userservice)');
  return value;
}

function openfireUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`OPENFIRE_URL must be an absolute http(s) URL such as http://openfire:9090`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`OPENFIRE_URL must use http or https, got "${url.protocol}"`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function credential(env: Readonly<Record<string, string | undefined>>, username: string | undefined): UpstreamCredential | null {
  const secret = env.OPENFIRE_SECRET;
  const password = env.OPENFIRE_PASSWORD;
  if (secret !== undefined && username !== undefined) {
    throw new ConfigError('set either OPENFIRE_SECRET or OPENFIRE_USERNAME and OPENFIRE_PASSWORD, not both');
  }
  if (username !== undefined) {
    if (password === undefined) throw new ConfigError('OPENFIRE_USERNAME needs OPENFIRE_PASSWORD');
    return { kind: 'basic', username, password };
  }
  if (password !== undefined) throw new ConfigError('OPENFIRE_PASSWORD needs OPENFIRE_USERNAME');
  if (secret === '') throw new ConfigError('OPENFIRE_SECRET must not be empty');
  return secret === undefined ? null : { kind: 'secret', secret };
}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
): GatewayConfig & { readonly help: boolean } {
  let flags;
  try {
    ({ values: flags } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'openfire-url': { type: 'string' },
        'openfire-secret': { type: 'string' },
        'openfire-username': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const merged = {
    ...env,
    ...(flags['openfire-secret'] !== undefined && { OPENFIRE_SECRET: flags['openfire-secret'] }),
  };
  const url = flags['openfire-url'] ?? env.OPENFIRE_URL;
  const config = {
    port: port(flags.port ?? env.PORT ?? '4000'),
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    apiKeys: apiKeys(env.GATEWAY_API_KEYS),
    listThreshold: positive('BATCH_LIST_THRESHOLD', env.BATCH_LIST_THRESHOLD ?? '20'),
    upstreamConcurrency: positive('UPSTREAM_CONCURRENCY', env.UPSTREAM_CONCURRENCY ?? '16'),
    xmppDomain: env.XMPP_DOMAIN === undefined || env.XMPP_DOMAIN === '' ? null : env.XMPP_DOMAIN.toLowerCase(),
    openfireUrl: url === undefined || url === '' ? null : openfireUrl(url),
    credential: credential(merged, flags['openfire-username'] ?? env.OPENFIRE_USERNAME),
    trustProxy: addresses('TRUST_PROXY', env.TRUST_PROXY),
    userservice: {
      secret: userserviceSecret(env.USERSERVICE_SECRET),
      allowedIps: addresses('USERSERVICE_ALLOWED_IPS', env.USERSERVICE_ALLOWED_IPS),
      maxFailures: positive('USERSERVICE_MAX_FAILURES', env.USERSERVICE_MAX_FAILURES ?? '10'),
    },
    help: flags.help ?? false,
  };
  if (config.openfireUrl !== null && config.credential === null) {
    throw new ConfigError('OPENFIRE_URL needs a credential: OPENFIRE_SECRET, or OPENFIRE_USERNAME and OPENFIRE_PASSWORD');
  }
  return config;
}
