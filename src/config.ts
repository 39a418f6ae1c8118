import { parseArgs } from 'node:util';
import { ASYMMETRIC_ALGORITHMS, DEFAULT_JWT, type JwtSettings, type KeySource, SECRET_ALGORITHMS } from './auth/jwt.js';
import { AddressListError, parseAddressList } from './common/address-list.js';
import { DEFAULT_ADMISSION } from './graphql/admission/gate.js';
import { type BrowserOptions, DEFAULT_BROWSER } from './graphql/plugins/guards.js';
import { DEFAULT_LIMITS, type DocumentLimits } from './graphql/plugins/use-limits.js';
import { DEFAULT_PERSISTED } from './graphql/plugins/use-persisted.js';
import { DEFAULT_MAX_FAILURES } from './legacy/endpoint.js';
import { DEFAULT_LIVE, type LiveSettings } from './live/hub.js';
import { LOG_LEVELS, type LogLevel } from './observability/logger.js';
import { DEFAULT_USER_POLICY, type Role, type UserPolicy } from './request/caller.js';
import { DEFAULT_FAIR_SHARE, type FairShareOptions } from './request/fair-share.js';
import { DEFAULT_LIST_THRESHOLD } from './request/loaders.js';
import { DEFAULT_BUDGET } from './request/upstream.js';
import type { Credential } from './upstream/client.js';
import { DEFAULT_TRANSPORT } from './upstream/dispatcher.js';

/**
 * The gateway's settings: one table (name, flag, default, meaning, parser) from which the environment reader, the
 * command-line flags and `--help` are all derived; the only reader of `process.env` and `argv` in the gateway.
 * Invalid values fail start-up with a message naming the setting and the expected form; secrets are never echoed,
 * and those only the gateway holds have no flag, so they stay out of process lists.
 */
/** A credential the gateway itself holds for Openfire (never `none`: that is what passthrough forwards). */
export type GatewayCredential = Exclude<Credential, { kind: 'none' }>;

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** In-flight requests get this long to finish after SIGTERM/SIGINT. */
  readonly shutdownTimeoutMs: number;
  /** `GATEWAY_API_KEYS`: key → role; `null` forwards callers' Authorization headers (passthrough). */
  readonly apiKeys: ReadonlyMap<string, Role> | null;
  readonly auth: {
    /** Callers' tokens (`AUTH_JWT_*`, `AUTH_OIDC_ISSUER`); `null`: no key source (embedded mode then trusts a demo key). */
    readonly jwt: JwtSettings | null;
    /** `AUTH_USER_PASSWORD_CHANGE`, `AUTH_USER_DIRECTORY`: what end users may do beyond their own data. */
    readonly userPolicy: UserPolicy;
  };
  /** From this many users (or sessions) wanted in one batch, one list call replaces single lookups. */
  readonly listThreshold: number;
  /** `GRAPHQL_JIT`: queries and mutations run compiled by graphql-jit; off, graphql-js runs every operation. */
  readonly jit: boolean;
  /** Upstream calls one HTTP request to `/graphql` may have in flight. */
  readonly upstreamConcurrency: number;
  /** `UPSTREAM_CONNECTIONS` and `UPSTREAM_CALLER_CONCURRENCY`: the pool, and one caller's share of it. */
  readonly upstreamShare: FairShareOptions;
  /** Time Openfire gets to answer one call (headers, then between body chunks). */
  readonly upstreamTimeoutMs: number;
  /** `XMPP_DOMAIN`: saves reading `xmpp.domain` from Openfire in requests that need it; `null` reads it. */
  readonly xmppDomain: string | null;
  /** A real Openfire's base URL (`http://openfire:9090`); `null` starts the embedded emulator. */
  readonly openfireUrl: string | null;
  /** The upstream credential; `null` in embedded mode without OPENFIRE_SECRET (a random secret is made). */
  readonly credential: GatewayCredential | null;
  /** `SEED`: the embedded emulator's start data (a name `main.ts` checks against the emulator's seeds). */
  readonly seed: string;
  /** `TRUST_PROXY`: proxies (addresses, CIDR ranges) whose `X-Forwarded-For` is believed. */
  readonly trustProxy: readonly string[];
  /** `REDIS_URL`: state shared by replicas (throttle, persisted queries); `null` keeps it in this process. */
  readonly redisUrl: string | null;
  readonly userservice: {
    /** `USERSERVICE_SECRET`; `null` disables the legacy endpoint (`UserServiceDisabled`). */
    readonly secret: string | null;
    /** `USERSERVICE_ALLOWED_IPS`; empty allows every address. */
    readonly allowedIps: readonly string[];
    /** `USERSERVICE_MAX_FAILURES`: wrong secrets per client and minute before it is refused. */
    readonly maxFailures: number;
  };
  readonly limits: DocumentLimits & {
    /** Deadline of one HTTP request to `/graphql` (a batch shares it), upstream calls included. */
    readonly requestTimeoutMs: number;
    /** Upstream calls one HTTP request to `/graphql` (a batch shares them) may make in total. */
    readonly maxUpstreamCalls: number;
    /** `MAX_INFLIGHT_COST`: the expected size of the expensive operations running at once. */
    readonly maxInflightCost: number;
  };
  readonly browser: BrowserOptions & {
    readonly graphiql: boolean;
  };
  /** `SUBSCRIPTION_*`: polling, buffers and limits of subscriptions. */
  readonly live: LiveSettings;
  readonly persisted: {
    /** Automatic persisted queries: a hash stands for a query text registered earlier. */
    readonly apq: boolean;
    /** A JSON file `{ "<sha256>": "<query>" }` of known operations; `null` for none. */
    readonly file: string | null;
    /** Accept only the operations of `file`. */
    readonly only: boolean;
  };
  readonly logLevel: LogLevel;
  readonly metrics: {
    readonly enabled: boolean;
    /** `METRICS_TOKEN`: `/metrics` then needs `Authorization: Bearer <token>`; `null` leaves it open. */
    readonly token: string | null;
  };
}

export class ConfigError extends Error {}

type Parse<T> = (value: string, name: string) => T;

interface Setting {
  readonly env: string;
  /** Absent for secrets: environment only. */
  readonly flag?: string;
  /** Shown in `--help`; `undefined` means unset. */
  readonly fallback?: string;
  readonly help: string;
}

/** Every setting, in `--help` order. */
const SETTINGS = [
  { env: 'PORT', flag: 'port', fallback: '4000', help: 'port to listen on' },
  { env: 'HOST', flag: 'host', fallback: '127.0.0.1', help: 'address to bind' },
  {
    env: 'SHUTDOWN_TIMEOUT_MS',
    flag: 'shutdown-timeout-ms',
    fallback: '10000',
    help: 'time in-flight requests get to finish on SIGTERM/SIGINT',
  },
  {
    env: 'OPENFIRE_URL',
    flag: 'openfire-url',
    help: 'Openfire base URL, e.g. http://openfire:9090 (unset: embedded emulator)',
  },
  {
    env: 'OPENFIRE_SECRET',
    flag: 'openfire-secret',
    help: 'REST API shared secret (embedded mode: the emulator’s secret)',
  },
  { env: 'SEED', flag: 'seed', fallback: 'showcase', help: 'embedded emulator data: showcase|demo|empty' },
  { env: 'OPENFIRE_USERNAME', flag: 'openfire-username', help: 'admin user for HTTP Basic (with OPENFIRE_PASSWORD)' },
  { env: 'OPENFIRE_PASSWORD', help: 'its password' },
  {
    env: 'XMPP_DOMAIN',
    flag: 'xmpp-domain',
    help: 'Openfire’s XMPP domain, saves reading it per request (unset: read)',
  },
  {
    env: 'UPSTREAM_TIMEOUT_MS',
    flag: 'upstream-timeout-ms',
    fallback: String(DEFAULT_TRANSPORT.headersTimeoutMs),
    help: 'time Openfire gets to answer one call',
  },
  {
    env: 'UPSTREAM_CONCURRENCY',
    flag: 'upstream-concurrency',
    fallback: String(DEFAULT_BUDGET.concurrency),
    help: 'upstream calls one /graphql request (a whole batch) may have in flight',
  },
  {
    env: 'UPSTREAM_CONNECTIONS',
    flag: 'upstream-connections',
    fallback: String(DEFAULT_FAIR_SHARE.capacity),
    help: 'connections to Openfire: calls in flight at once, all callers together',
  },
  {
    env: 'UPSTREAM_CALLER_CONCURRENCY',
    flag: 'upstream-caller-concurrency',
    fallback: String(DEFAULT_FAIR_SHARE.perCaller),
    help: 'upstream calls one caller (API key, credential, legacy client) may have in flight',
  },
  {
    env: 'BATCH_LIST_THRESHOLD',
    flag: 'batch-list-threshold',
    fallback: String(DEFAULT_LIST_THRESHOLD),
    help: 'users wanted at once before one GET /users replaces single lookups',
  },
  {
    env: 'GATEWAY_API_KEYS',
    help: 'key:admin,key2:read: callers send "Authorization: Bearer <key>" (unset: forwarded)',
  },
  {
    env: 'AUTH_JWT_JWKS_URL',
    flag: 'auth-jwt-jwks-url',
    help: 'JWKS URL whose keys sign callers’ tokens (JWT auth; or AUTH_OIDC_ISSUER, or AUTH_JWT_SECRET)',
  },
  {
    env: 'AUTH_OIDC_ISSUER',
    flag: 'auth-oidc-issuer',
    help: 'OpenID provider whose discovery document names the JWKS (read at start-up)',
  },
  { env: 'AUTH_JWT_SECRET', help: `HS256 secret of callers' tokens, ${DEFAULT_JWT.secretMinBytes} bytes or more` },
  {
    env: 'AUTH_JWT_ISSUER',
    flag: 'auth-jwt-issuer',
    help: 'required iss of tokens (with AUTH_OIDC_ISSUER: the discovered one)',
  },
  { env: 'AUTH_JWT_AUDIENCE', flag: 'auth-jwt-audience', help: 'required aud of tokens' },
  {
    env: 'AUTH_JWT_ALGORITHMS',
    flag: 'auth-jwt-algorithms',
    fallback: DEFAULT_JWT.algorithms.join(','),
    help: `accepted token algorithms (with AUTH_JWT_SECRET: ${DEFAULT_JWT.secretAlgorithms.join(',')})`,
  },
  {
    env: 'AUTH_JWT_CLOCK_TOLERANCE_S',
    flag: 'auth-jwt-clock-tolerance-s',
    fallback: String(DEFAULT_JWT.clockToleranceS),
    help: 'seconds of clock skew allowed for exp and nbf',
  },
  {
    env: 'AUTH_JWT_USERNAME_CLAIM',
    flag: 'auth-jwt-username-claim',
    fallback: DEFAULT_JWT.usernameClaim,
    help: 'claim holding the Openfire username or a bare JID',
  },
  {
    env: 'AUTH_JWT_ROLES_CLAIM',
    flag: 'auth-jwt-roles-claim',
    fallback: DEFAULT_JWT.rolesClaim,
    help: 'claim (or dotted path) holding the caller’s roles',
  },
  {
    env: 'AUTH_JWT_ADMIN_ROLE',
    flag: 'auth-jwt-admin-role',
    fallback: DEFAULT_JWT.adminRole,
    help: 'role making a token an admin caller',
  },
  {
    env: 'AUTH_JWT_READ_ROLE',
    flag: 'auth-jwt-read-role',
    fallback: DEFAULT_JWT.readRole,
    help: 'role making a token a read-only caller',
  },
  {
    env: 'AUTH_USER_PASSWORD_CHANGE',
    flag: 'auth-user-password-change',
    fallback: String(DEFAULT_USER_POLICY.passwordChange),
    help: 'end users may change their own password',
  },
  {
    env: 'AUTH_USER_DIRECTORY',
    flag: 'auth-user-directory',
    fallback: String(DEFAULT_USER_POLICY.directory),
    help: 'end users may look other users up',
  },
  {
    env: 'REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    fallback: String(DEFAULT_BUDGET.timeoutMs),
    help: 'deadline of one /graphql request (a whole batch), upstream calls included',
  },
  {
    env: 'MAX_UPSTREAM_CALLS',
    flag: 'max-upstream-calls',
    fallback: String(DEFAULT_BUDGET.maxCalls),
    help: 'upstream calls one /graphql request (a whole batch) may make',
  },
  {
    env: 'MAX_INFLIGHT_COST',
    flag: 'max-inflight-cost',
    fallback: String(DEFAULT_ADMISSION.maxCost),
    help: 'expected size (field values) of the expensive operations running at once; more wait their turn',
  },
  {
    env: 'SUBSCRIPTION_POLL_MS',
    flag: 'subscription-poll-ms',
    fallback: String(DEFAULT_LIVE.pollMs),
    help: 'wait between two polls of Openfire for one live topic, in milliseconds',
  },
  {
    env: 'SUBSCRIPTION_BUFFER',
    flag: 'subscription-buffer',
    fallback: String(DEFAULT_LIVE.buffer),
    help: 'events a subscriber may fall behind before it is dropped',
  },
  {
    env: 'SUBSCRIPTION_MAX_PER_CALLER',
    flag: 'subscription-max-per-caller',
    fallback: String(DEFAULT_LIVE.maxPerCaller),
    help: 'open subscriptions of one caller',
  },
  {
    env: 'SUBSCRIPTION_MAX',
    flag: 'subscription-max',
    fallback: String(DEFAULT_LIVE.max),
    help: 'open subscriptions of the process',
  },
  {
    env: 'BODY_LIMIT',
    flag: 'body-limit',
    fallback: String(DEFAULT_LIMITS.bodyBytes),
    help: 'largest /graphql request body, in bytes',
  },
  {
    env: 'GRAPHQL_MAX_DEPTH',
    flag: 'graphql-max-depth',
    fallback: String(DEFAULT_LIMITS.maxDepth),
    help: 'deepest field nesting of an operation',
  },
  {
    env: 'GRAPHQL_MAX_ALIASES',
    flag: 'graphql-max-aliases',
    fallback: String(DEFAULT_LIMITS.maxAliases),
    help: 'aliases in one operation',
  },
  {
    env: 'GRAPHQL_MAX_TOKENS',
    flag: 'graphql-max-tokens',
    fallback: String(DEFAULT_LIMITS.maxTokens),
    help: 'tokens in one GraphQL document',
  },
  {
    env: 'GRAPHQL_MAX_BATCH',
    flag: 'graphql-max-batch',
    fallback: String(DEFAULT_LIMITS.maxBatch),
    help: 'operations in one batched request (1: no batching)',
  },
  {
    env: 'GRAPHQL_JIT',
    flag: 'graphql-jit',
    fallback: 'on',
    help: 'run queries and mutations compiled by graphql-jit (off: graphql-js runs everything)',
  },
  {
    env: 'INTROSPECTION',
    flag: 'introspection',
    fallback: String(DEFAULT_BROWSER.introspection),
    help: 'answer schema introspection',
  },
  { env: 'GRAPHIQL', flag: 'graphiql', fallback: 'true', help: 'serve GraphiQL to browsers at GET /graphql' },
  {
    env: 'CSRF_PREVENTION',
    flag: 'csrf-prevention',
    fallback: String(DEFAULT_BROWSER.csrfPrevention),
    help: 'refuse GET and form-like POST requests without a GraphQL-specific header',
  },
  {
    env: 'CORS_ORIGINS',
    flag: 'cors-origins',
    help: 'browser origins allowed to call /graphql, comma-separated (unset: none)',
  },
  {
    env: 'APQ',
    flag: 'apq',
    fallback: String(DEFAULT_PERSISTED.apq),
    help: 'automatic persisted queries (a hash for a query sent once)',
  },
  {
    env: 'PERSISTED_OPERATIONS',
    flag: 'persisted-operations',
    help: 'JSON file { "<sha256>": "<query>" } of known operations',
  },
  {
    env: 'PERSISTED_ONLY',
    flag: 'persisted-only',
    fallback: String(DEFAULT_PERSISTED.only),
    help: 'accept only the operations of PERSISTED_OPERATIONS',
  },
  {
    env: 'REDIS_URL',
    help: 'Redis shared by several gateway replicas (redis:// or rediss://, password in the URL; unset: one process)',
  },
  { env: 'USERSERVICE_SECRET', help: 'the legacy /userservice secret (unset: it answers UserServiceDisabled)' },
  {
    env: 'USERSERVICE_ALLOWED_IPS',
    flag: 'userservice-allowed-ips',
    help: 'addresses and CIDR ranges allowed to call /userservice (unset: all)',
  },
  {
    env: 'USERSERVICE_MAX_FAILURES',
    flag: 'userservice-max-failures',
    fallback: String(DEFAULT_MAX_FAILURES),
    help: 'wrong secrets per client and minute before it is refused',
  },
  {
    env: 'TRUST_PROXY',
    flag: 'trust-proxy',
    help: 'proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed',
  },
  { env: 'LOG_LEVEL', flag: 'log-level', fallback: 'info', help: `${LOG_LEVELS.join('|')}` },
  { env: 'METRICS', flag: 'metrics', fallback: 'true', help: 'serve Prometheus metrics at /metrics' },
  { env: 'METRICS_TOKEN', help: '/metrics then needs "Authorization: Bearer <token>" (unset: open)' },
] as const satisfies readonly Setting[];

type SettingName = (typeof SETTINGS)[number]['env'];

/** Settings with a default, which `get` reads; the others are optional (`maybe`). */
type DefaultedName = Extract<(typeof SETTINGS)[number], { fallback: string }>['env'];

const FALLBACKS = Object.fromEntries(
  SETTINGS.flatMap((s: Setting) => (s.fallback === undefined ? [] : [[s.env, s.fallback]])),
) as Record<DefaultedName, string>;

function usage(): string {
  const lines = SETTINGS.map((s: Setting) => {
    const flag = s.flag ? `--${s.flag} V` : '(environment only)';
    const fallback = s.fallback === undefined ? '' : ` (default ${s.fallback})`;
    return `  ${s.env.padEnd(29)}${flag.padEnd(36)}${s.help}${fallback}`;
  });
  return `Usage: npm start -- [options]   (each flag mirrors an environment variable; flags win)\n\n${lines.join('\n')}\n  ${'--help'.padEnd(65)}show this text\n`;
}

export const GATEWAY_USAGE = usage();

const port: Parse<number> = (value, name) => {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new ConfigError(`${name} must be an integer between 0 and 65535, got "${value}"`);
  return Number(value);
};

const positive: Parse<number> = (value, name) => {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(`${name} must be a positive integer, got "${value}"`);
  }
  return Number(value);
};

const boolean: Parse<boolean> = (value, name) => {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
};

const addresses: Parse<string[]> = (value, name) => {
  try {
    return parseAddressList(value);
  } catch (error) {
    if (error instanceof AddressListError) throw new ConfigError(`${name}: ${error.message}`);
    throw error;
  }
};

/** `https://app.example.com,http://localhost:3000`: origins only (scheme, host, port), no paths or wildcards. */
const origins: Parse<string[]> = (value, name) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const url = URL.canParse(entry) ? new URL(entry) : null;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
        throw new ConfigError(`${name}: "${entry}" is not an origin such as https://app.example.com`);
      }
      return url.origin;
    });

const logLevel: Parse<LogLevel> = (value, name) => {
  if (!(LOG_LEVELS as readonly string[]).includes(value))
    throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return value as LogLevel;
};

/** `key:admin,key2:read`; the keys themselves never appear in messages. */
const apiKeys: Parse<ReadonlyMap<string, Role> | null> = (value, name) => {
  if (value.trim() === '') return null;
  const keys = new Map<string, Role>();
  value.split(',').forEach((entry, i) => {
    const colon = entry.lastIndexOf(':');
    const key = entry.slice(0, colon).trim();
    const role = entry.slice(colon + 1).trim();
    if (colon === -1 || key === '' || (role !== 'admin' && role !== 'read')) {
      throw new ConfigError(`${name} entry ${i + 1} must look like <key>:admin or <key>:read`);
    }
    keys.set(key, role);
  });
  return keys;
};

/** A Redis URL; the error never repeats the value, which may hold a password. */
const redisUrl: Parse<string> = (value, name) => {
  const protocol = URL.canParse(value) ? new URL(value).protocol : null;
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new ConfigError(`${name} must be a redis:// or rediss:// URL such as redis://:password@redis:6379/0`);
  return value;
};

const openfireUrl: Parse<string> = (value, name) => {
  if (!URL.canParse(value))
    throw new ConfigError(`${name} must be an absolute http(s) URL such as http://openfire:9090`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${name} must use http or https, got "${url.protocol}"`);
  return url.origin + url.pathname.replace(/\/+$/, '');
};

function credential(get: (name: SettingName) => string | undefined): GatewayCredential | null {
  const secretValue = get('OPENFIRE_SECRET');
  const username = get('OPENFIRE_USERNAME');
  const password = get('OPENFIRE_PASSWORD');
  if (secretValue !== undefined && username !== undefined) {
    throw new ConfigError('set either OPENFIRE_SECRET or OPENFIRE_USERNAME and OPENFIRE_PASSWORD, not both');
  }
  if (username !== undefined) {
    if (password === undefined) throw new ConfigError('OPENFIRE_USERNAME needs OPENFIRE_PASSWORD');
    return { kind: 'basic', username, password };
  }
  if (password !== undefined) throw new ConfigError('OPENFIRE_PASSWORD needs OPENFIRE_USERNAME');
  return secretValue === undefined ? null : { kind: 'secret', secret: secretValue };
}

const nonNegative: Parse<number> = (value, name) => {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(`${name} must be an integer of 0 or more, got "${value}"`);
  }
  return Number(value);
};

const httpUrl: Parse<string> = (value, name) => {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${value}"`);
  return url.href;
};

/** The `AUTH_*` settings that shape token checks; each needs a key source. */
const JWT_DETAILS = [
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'AUTH_JWT_ALGORITHMS',
  'AUTH_JWT_CLOCK_TOLERANCE_S',
  'AUTH_JWT_USERNAME_CLAIM',
  'AUTH_JWT_ROLES_CLAIM',
  'AUTH_JWT_ADMIN_ROLE',
  'AUTH_JWT_READ_ROLE',
] as const satisfies readonly SettingName[];

const KEY_SOURCES = [
  'AUTH_JWT_JWKS_URL',
  'AUTH_OIDC_ISSUER',
  'AUTH_JWT_SECRET',
] as const satisfies readonly SettingName[];

/** The token settings: one key source at most; `null` when none is set. The secret is never echoed. */
function jwtSettings(optional: (name: SettingName) => string | undefined): JwtSettings | null {
  const given = KEY_SOURCES.filter((name) => optional(name) !== undefined);
  if (given.length > 1) throw new ConfigError(`set one key source for tokens, not ${given.join(' and ')}`);
  const [sourceName] = given;
  if (sourceName === undefined) {
    const stray = JWT_DETAILS.find((name) => optional(name) !== undefined);
    if (stray) throw new ConfigError(`${stray} needs a key source: ${KEY_SOURCES.join(', ')}`);
    return null;
  }
  const value = optional(sourceName) ?? '';
  let source: KeySource;
  if (sourceName === 'AUTH_JWT_SECRET') {
    if (Buffer.byteLength(value, 'utf8') < DEFAULT_JWT.secretMinBytes)
      throw new ConfigError(`AUTH_JWT_SECRET must be at least ${DEFAULT_JWT.secretMinBytes} bytes long`);
    source = { kind: 'secret', secret: value };
  } else if (sourceName === 'AUTH_JWT_JWKS_URL') {
    source = { kind: 'jwks', url: httpUrl(value.trim(), sourceName) };
  } else {
    source = { kind: 'oidc', issuer: httpUrl(value.trim(), sourceName) };
  }
  const text = (name: SettingName): string | null => optional(name)?.trim() ?? null;
  const issuer = text('AUTH_JWT_ISSUER');
  const audience = text('AUTH_JWT_AUDIENCE');
  const missing = [
    ...(issuer === null && source.kind === 'jwks' ? ['AUTH_JWT_ISSUER'] : []),
    ...(audience === null && source.kind !== 'secret' ? ['AUTH_JWT_AUDIENCE'] : []),
  ];
  if (missing.length > 0) throw new ConfigError(`${sourceName} needs ${missing.join(' and ')}`);
  const secret = source.kind === 'secret';
  const allowed: readonly string[] = secret ? SECRET_ALGORITHMS : ASYMMETRIC_ALGORITHMS;
  const listed = optional('AUTH_JWT_ALGORITHMS');
  const algorithms =
    listed === undefined
      ? [...(secret ? DEFAULT_JWT.secretAlgorithms : DEFAULT_JWT.algorithms)]
      : listed
          .split(',')
          .map((alg) => alg.trim())
          .filter((alg) => alg !== '');
  for (const alg of algorithms) {
    if (!allowed.includes(alg))
      throw new ConfigError(
        `AUTH_JWT_ALGORITHMS: "${alg}" is not allowed with ${sourceName}; use ${allowed.join(', ')}`,
      );
  }
  if (algorithms.length === 0)
    throw new ConfigError(`AUTH_JWT_ALGORITHMS must name at least one of ${allowed.join(', ')}`);
  const clockTolerance = optional('AUTH_JWT_CLOCK_TOLERANCE_S');
  return {
    source,
    issuer,
    audience,
    algorithms,
    clockToleranceS:
      clockTolerance === undefined
        ? DEFAULT_JWT.clockToleranceS
        : nonNegative(clockTolerance, 'AUTH_JWT_CLOCK_TOLERANCE_S'),
    usernameClaim: text('AUTH_JWT_USERNAME_CLAIM') ?? DEFAULT_JWT.usernameClaim,
    rolesClaim: text('AUTH_JWT_ROLES_CLAIM') ?? DEFAULT_JWT.rolesClaim,
    adminRole: text('AUTH_JWT_ADMIN_ROLE') ?? DEFAULT_JWT.adminRole,
    readRole: text('AUTH_JWT_READ_ROLE') ?? DEFAULT_JWT.readRole,
  };
}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
): GatewayConfig & { readonly help: boolean } {
  let flags: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      SETTINGS.flatMap((s: Setting) => (s.flag === undefined ? [] : [[s.flag, { type: 'string' as const }]])),
    );
    ({ values: flags } = parseArgs({
      args: [...argv],
      strict: true,
      options: { ...options, help: { type: 'boolean' } },
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const byEnv = new Map<string, Setting>(SETTINGS.map((s: Setting) => [s.env, s]));
  /** The flag, else the environment; `undefined` when neither is given. */
  const raw = (name: SettingName): string | undefined => {
    const flag = byEnv.get(name)?.flag;
    const fromFlag = flag === undefined ? undefined : flags[flag];
    return typeof fromFlag === 'string' ? fromFlag : env[name];
  };
  /** Blank counts as unset (a `FOO=` line in an env file): the default, or none. */
  const optional = (name: SettingName): string | undefined => {
    const value = raw(name);
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const get = <T>(name: DefaultedName, parse: Parse<T>): T => parse(optional(name) ?? FALLBACKS[name], name);
  const maybe = <T>(name: SettingName, parse: Parse<T>): T | null => {
    const value = optional(name);
    return value === undefined ? null : parse(value, name);
  };
  const config = {
    port: get('PORT', port),
    host: get('HOST', (v) => v),
    shutdownTimeoutMs: get('SHUTDOWN_TIMEOUT_MS', positive),
    apiKeys: apiKeys(raw('GATEWAY_API_KEYS') ?? '', 'GATEWAY_API_KEYS'),
    auth: {
      jwt: jwtSettings(optional),
      userPolicy: {
        passwordChange: get('AUTH_USER_PASSWORD_CHANGE', boolean),
        directory: get('AUTH_USER_DIRECTORY', boolean),
      },
    },
    listThreshold: get('BATCH_LIST_THRESHOLD', positive),
    jit: get('GRAPHQL_JIT', boolean),
    upstreamConcurrency: get('UPSTREAM_CONCURRENCY', positive),
    upstreamShare: {
      capacity: get('UPSTREAM_CONNECTIONS', positive),
      perCaller: get('UPSTREAM_CALLER_CONCURRENCY', positive),
    },
    upstreamTimeoutMs: get('UPSTREAM_TIMEOUT_MS', positive),
    xmppDomain: maybe('XMPP_DOMAIN', (v) => v.toLowerCase()),
    openfireUrl: maybe('OPENFIRE_URL', openfireUrl),
    credential: credential(optional),
    seed: get('SEED', (v) => v),
    trustProxy: maybe('TRUST_PROXY', addresses) ?? [],
    redisUrl: maybe('REDIS_URL', redisUrl),
    userservice: {
      secret: maybe('USERSERVICE_SECRET', (v) => v),
      allowedIps: maybe('USERSERVICE_ALLOWED_IPS', addresses) ?? [],
      maxFailures: get('USERSERVICE_MAX_FAILURES', positive),
    },
    limits: {
      bodyBytes: get('BODY_LIMIT', positive),
      maxDepth: get('GRAPHQL_MAX_DEPTH', positive),
      maxAliases: get('GRAPHQL_MAX_ALIASES', positive),
      maxTokens: get('GRAPHQL_MAX_TOKENS', positive),
      maxBatch: get('GRAPHQL_MAX_BATCH', positive),
      requestTimeoutMs: get('REQUEST_TIMEOUT_MS', positive),
      maxUpstreamCalls: get('MAX_UPSTREAM_CALLS', positive),
      maxInflightCost: get('MAX_INFLIGHT_COST', positive),
    },
    browser: {
      corsOrigins: maybe('CORS_ORIGINS', origins) ?? [],
      csrfPrevention: get('CSRF_PREVENTION', boolean),
      graphiql: get('GRAPHIQL', boolean),
      introspection: get('INTROSPECTION', boolean),
    },
    live: {
      pollMs: get('SUBSCRIPTION_POLL_MS', positive),
      buffer: get('SUBSCRIPTION_BUFFER', positive),
      maxPerCaller: get('SUBSCRIPTION_MAX_PER_CALLER', positive),
      max: get('SUBSCRIPTION_MAX', positive),
    },
    persisted: {
      apq: get('APQ', boolean),
      file: maybe('PERSISTED_OPERATIONS', (v) => v),
      only: get('PERSISTED_ONLY', boolean),
    },
    logLevel: get('LOG_LEVEL', logLevel),
    metrics: {
      enabled: get('METRICS', boolean),
      token: maybe('METRICS_TOKEN', (v) => v),
    },
    help: flags.help === true,
  };
  const tokenSource = KEY_SOURCES.find((name) => optional(name) !== undefined);
  if (tokenSource !== undefined && config.openfireUrl !== null && config.credential === null) {
    throw new ConfigError(
      `${tokenSource} with OPENFIRE_URL needs the gateway's own Openfire credential: OPENFIRE_SECRET, or ` +
        'OPENFIRE_USERNAME and OPENFIRE_PASSWORD',
    );
  }
  if (config.openfireUrl !== null && config.credential === null) {
    throw new ConfigError(
      'OPENFIRE_URL needs a credential: OPENFIRE_SECRET, or OPENFIRE_USERNAME and OPENFIRE_PASSWORD',
    );
  }
  if (config.persisted.only && config.persisted.file === null) {
    throw new ConfigError('PERSISTED_ONLY needs PERSISTED_OPERATIONS, the file of known operations');
  }
  return config;
}
