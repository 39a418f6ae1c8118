import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, GATEWAY_USAGE, loadConfig } from '../src/config.js';

describe('gateway configuration', () => {
  it('defaults to 127.0.0.1:4000 with the embedded emulator', () => {
    expect(loadConfig({}, [])).toEqual({
      port: 4000,
      host: '127.0.0.1',
      apiKeys: null,
      auth: { jwt: null, userPolicy: { passwordChange: true, directory: true } },
      listThreshold: 20,
      jit: true,
      upstreamConcurrency: 16,
      upstreamShare: { capacity: 32, perCaller: 16 },
      xmppDomain: null,
      openfireUrl: null,
      credential: null,
      seed: 'showcase',
      trustProxy: [],
      userservice: { secret: null, allowedIps: [], maxFailures: 10 },
      shutdownTimeoutMs: 10_000,
      upstreamTimeoutMs: 10_000,
      limits: {
        bodyBytes: 1_048_576,
        maxDepth: 15,
        maxAliases: 50,
        maxTokens: 5000,
        maxBatch: 10,
        requestTimeoutMs: 15_000,
        maxUpstreamCalls: 1000,
        maxInflightCost: 200000,
      },
      browser: { corsOrigins: [], csrfPrevention: true, graphiql: true, introspection: true },
      live: { pollMs: 2000, buffer: 100, maxPerCaller: 20, max: 10_000 },
      redisUrl: null,
      persisted: { apq: true, file: null, only: false },
      logLevel: 'info',
      metrics: { enabled: true, token: null },
      help: false,
    });
  });

  it('reads the legacy userservice settings', () => {
    const config = loadConfig(
      {
        USERSERVICE_SECRET: 'old-app',
        USERSERVICE_ALLOWED_IPS: '10.0.0.0/8, 192.168.1.5,fd00::/8',
        TRUST_PROXY: '127.0.0.1',
        USERSERVICE_MAX_FAILURES: '3',
      },
      [],
    );
    expect(config.userservice).toEqual({
      secret: 'old-app',
      allowedIps: ['10.0.0.0/8', '192.168.1.5', 'fd00::/8'],
      maxFailures: 3,
    });
    expect(config.trustProxy).toEqual(['127.0.0.1']);
  });

  it('reads API keys with their roles, and rejects malformed entries without echoing keys', () => {
    expect(loadConfig({ GATEWAY_API_KEYS: 'k1:admin, k2:read' }, []).apiKeys).toEqual(
      new Map([
        ['k1', 'admin'],
        ['k2', 'read'],
      ]),
    );
    expect(() => loadConfig({ GATEWAY_API_KEYS: 'topsecret:owner' }, [])).toThrow(
      /GATEWAY_API_KEYS entry 1 must look like/,
    );
    expect(() => loadConfig({ GATEWAY_API_KEYS: 'topsecret:owner' }, [])).not.toThrow(/topsecret/);
    expect(() => loadConfig({ BATCH_LIST_THRESHOLD: '0' }, [])).toThrow(
      /BATCH_LIST_THRESHOLD must be a positive integer/,
    );
  });

  it('reads a real Openfire and its credential from the environment, flags winning', () => {
    const config = loadConfig({ OPENFIRE_URL: 'http://openfire:9090/', OPENFIRE_SECRET: 'env', PORT: '8080' }, [
      '--port',
      '8081',
    ]);
    expect(config).toMatchObject({
      port: 8081,
      openfireUrl: 'http://openfire:9090',
      credential: { kind: 'secret', secret: 'env' },
    });
    expect(
      loadConfig({ OPENFIRE_URL: 'https://of', OPENFIRE_USERNAME: 'admin', OPENFIRE_PASSWORD: 'pw' }, []).credential,
    ).toEqual({
      kind: 'basic',
      username: 'admin',
      password: 'pw',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ OPENFIRE_URL: 'openfire:9090', OPENFIRE_SECRET: 's' }, /OPENFIRE_URL must/],
    [{ OPENFIRE_URL: 'http://openfire:9090' }, /OPENFIRE_URL needs a credential/],
    [{ OPENFIRE_USERNAME: 'admin' }, /OPENFIRE_USERNAME needs OPENFIRE_PASSWORD/],
    [{ OPENFIRE_SECRET: 's', OPENFIRE_USERNAME: 'a', OPENFIRE_PASSWORD: 'p' }, /either OPENFIRE_SECRET or/],
    [{ OPENFIRE_URL: 'http://openfire:9090', OPENFIRE_SECRET: ' ' }, /OPENFIRE_URL needs a credential/],
    [
      { USERSERVICE_ALLOWED_IPS: '10.0.0.0/33' },
      /USERSERVICE_ALLOWED_IPS: "10.0.0.0\/33" is not an IP address or CIDR range/,
    ],
    [{ TRUST_PROXY: 'proxy.local' }, /TRUST_PROXY: "proxy.local" is not an IP address/],
    [{ REDIS_URL: 'http://user:pw@redis:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ USERSERVICE_MAX_FAILURES: '0' }, /USERSERVICE_MAX_FAILURES must be a positive integer/],
    [{ SUBSCRIPTION_POLL_MS: '0' }, /SUBSCRIPTION_POLL_MS must be a positive integer/],
    [{ SUBSCRIPTION_BUFFER: 'many' }, /SUBSCRIPTION_BUFFER must be a positive integer/],
    [{ PORT: '65536' }, /PORT must be an integer between 0 and 65535, got "65536"/],
    [{ GRAPHQL_MAX_DEPTH: '0' }, /GRAPHQL_MAX_DEPTH must be a positive integer, got "0"/],
    [{ BODY_LIMIT: '1e6' }, /BODY_LIMIT must be a positive integer, got "1e6"/],
    [{ REQUEST_TIMEOUT_MS: '-5' }, /REQUEST_TIMEOUT_MS must be a positive integer/],
    [{ CSRF_PREVENTION: 'maybe' }, /CSRF_PREVENTION must be true or false, got "maybe"/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS: "\*" is not an origin such as https:\/\/app.example.com/],
    [
      { CORS_ORIGINS: 'https://app.example.com/path' },
      /CORS_ORIGINS: "https:\/\/app.example.com\/path" is not an origin/,
    ],
    [{ CORS_ORIGINS: 'ftp://files.example.com' }, /CORS_ORIGINS: "ftp:\/\/files.example.com" is not an origin/],
    [
      { LOG_LEVEL: 'verbose' },
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/,
    ],
    [{ OPENFIRE_URL: 'file:///etc/passwd', OPENFIRE_SECRET: 's' }, /OPENFIRE_URL must use http or https/],
    [{ OPENFIRE_PASSWORD: 'pw' }, /OPENFIRE_PASSWORD needs OPENFIRE_USERNAME/],
    [{ PERSISTED_ONLY: 'true' }, /PERSISTED_ONLY needs PERSISTED_OPERATIONS/],
  ])('rejects %j with a message naming the setting and never the secret', (env, message) => {
    expect(() => loadConfig(env, [])).toThrow(ConfigError);
    expect(() => loadConfig(env, [])).toThrow(message);
    try {
      loadConfig(env, []);
    } catch (error) {
      expect((error as Error).message).not.toContain('pw');
    }
  });
});

describe('configuration from flags and environment', () => {
  it('reads the limit, browser and persisted-query settings', () => {
    const config = loadConfig(
      {
        BODY_LIMIT: '2048',
        GRAPHQL_MAX_DEPTH: '8',
        GRAPHQL_MAX_ALIASES: '5',
        GRAPHQL_MAX_TOKENS: '900',
        GRAPHQL_MAX_BATCH: '1',
        CORS_ORIGINS: 'https://app.example.com/, http://localhost:3000',
        CSRF_PREVENTION: 'off',
        GRAPHIQL: 'no',
        INTROSPECTION: '0',
        APQ: 'false',
        PERSISTED_OPERATIONS: '/etc/gateway/operations.json',
        PERSISTED_ONLY: 'yes',
      },
      [],
    );
    expect(config.limits).toMatchObject({ bodyBytes: 2048, maxDepth: 8, maxAliases: 5, maxTokens: 900, maxBatch: 1 });
    expect(config.browser).toEqual({
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      csrfPrevention: false,
      graphiql: false,
      introspection: false,
    });
    expect(config.persisted).toEqual({ apq: false, file: '/etc/gateway/operations.json', only: true });
  });

  it('switches compiled execution off with GRAPHQL_JIT=off, and refuses what is not on or off', () => {
    expect(loadConfig({ GRAPHQL_JIT: 'off' }, []).jit).toBe(false);
    expect(loadConfig({}, ['--graphql-jit', 'on']).jit).toBe(true);
    expect(() => loadConfig({ GRAPHQL_JIT: 'fast' }, [])).toThrow(/GRAPHQL_JIT must be true or false, got "fast"/);
  });

  it('lets flags win over the environment, for every kind of value', () => {
    const env = {
      GRAPHQL_MAX_DEPTH: '5',
      CSRF_PREVENTION: 'true',
      CORS_ORIGINS: 'https://env.example.com',
      LOG_LEVEL: 'warn',
      HOST: '0.0.0.0',
    };
    const flags = [
      '--graphql-max-depth',
      '9',
      '--csrf-prevention',
      'false',
      '--cors-origins',
      'https://flag.example.com',
      '--log-level',
      'debug',
      '--host',
      '::1',
    ];
    const config = loadConfig(env, flags);
    expect([
      config.limits.maxDepth,
      config.browser.csrfPrevention,
      config.browser.corsOrigins,
      config.logLevel,
      config.host,
    ]).toEqual([9, false, ['https://flag.example.com'], 'debug', '::1']);
    expect(loadConfig(env, []).limits.maxDepth).toBe(5);
  });

  it('treats a blank optional value as unset, secrets included, and refuses unknown flags', () => {
    const blank = {
      CORS_ORIGINS: ' ',
      PERSISTED_OPERATIONS: '',
      XMPP_DOMAIN: '',
      USERSERVICE_SECRET: '',
      OPENFIRE_SECRET: ' ',
      METRICS_TOKEN: '',
      GATEWAY_API_KEYS: '',
      PORT: '',
      HOST: ' ',
      APQ: '',
      SEED: '',
    };
    expect(loadConfig(blank, [])).toMatchObject({
      browser: { corsOrigins: [] },
      persisted: { file: null, apq: true },
      xmppDomain: null,
      userservice: { secret: null },
      credential: null,
      metrics: { token: null },
      apiKeys: null,
      port: 4000,
      host: '127.0.0.1',
      seed: 'showcase',
    });
    expect(() => loadConfig({}, ['--graphql-max-dept', '3'])).toThrow(ConfigError);
    expect(() => loadConfig({}, ['--graphql-max-dept', '3'])).toThrow(/--graphql-max-dept/);
  });

  it('never echoes a secret, in errors or anywhere else', () => {
    const secrets = {
      OPENFIRE_SECRET: 'of-secret-1',
      OPENFIRE_PASSWORD: 'of-password-1',
      METRICS_TOKEN: 'metrics-token-1',
    };
    const failures = [
      { ...secrets, OPENFIRE_USERNAME: 'admin' },
      { OPENFIRE_PASSWORD: secrets.OPENFIRE_PASSWORD },
      { GATEWAY_API_KEYS: 'key-secret-1:root' },
      { OPENFIRE_URL: 'not a url of-secret-1', OPENFIRE_SECRET: secrets.OPENFIRE_SECRET },
    ];
    for (const env of failures) {
      let message = '';
      try {
        loadConfig(env, []);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      for (const secret of [...Object.values(secrets), 'key-secret-1']) expect(message).not.toContain(secret);
    }
  });
});

describe('the usage text (npm start -- --help)', () => {
  /** `NAME  --flag V  meaning (default D)` lines of the usage text. */
  const lines = GATEWAY_USAGE.split('\n').filter((line) => /^ {2}[A-Z_]+ /.test(line));

  it.each([
    ['PORT', '--port', '4000'],
    ['HOST', '--host', '127.0.0.1'],
    ['SHUTDOWN_TIMEOUT_MS', '--shutdown-timeout-ms', '10000'],
    ['OPENFIRE_URL', '--openfire-url', 'unset'],
    ['OPENFIRE_SECRET', '--openfire-secret', 'unset'],
    ['SEED', '--seed', 'showcase'],
    ['OPENFIRE_USERNAME', '--openfire-username', 'unset'],
    ['OPENFIRE_PASSWORD', '(environment only)', 'unset'],
    ['XMPP_DOMAIN', '--xmpp-domain', 'unset'],
    ['UPSTREAM_TIMEOUT_MS', '--upstream-timeout-ms', '10000'],
    ['UPSTREAM_CONCURRENCY', '--upstream-concurrency', '16'],
    ['UPSTREAM_CONNECTIONS', '--upstream-connections', '32'],
    ['UPSTREAM_CALLER_CONCURRENCY', '--upstream-caller-concurrency', '16'],
    ['BATCH_LIST_THRESHOLD', '--batch-list-threshold', '20'],
    ['GATEWAY_API_KEYS', '(environment only)', 'unset'],
    ['AUTH_JWT_JWKS_URL', '--auth-jwt-jwks-url', 'unset'],
    ['AUTH_OIDC_ISSUER', '--auth-oidc-issuer', 'unset'],
    ['AUTH_JWT_SECRET', '(environment only)', 'unset'],
    ['AUTH_JWT_ISSUER', '--auth-jwt-issuer', 'unset'],
    ['AUTH_JWT_AUDIENCE', '--auth-jwt-audience', 'unset'],
    ['AUTH_JWT_ALGORITHMS', '--auth-jwt-algorithms', 'RS256,ES256,EdDSA'],
    ['AUTH_JWT_CLOCK_TOLERANCE_S', '--auth-jwt-clock-tolerance-s', '30'],
    ['AUTH_JWT_USERNAME_CLAIM', '--auth-jwt-username-claim', 'preferred_username'],
    ['AUTH_JWT_ROLES_CLAIM', '--auth-jwt-roles-claim', 'roles'],
    ['AUTH_JWT_ADMIN_ROLE', '--auth-jwt-admin-role', 'openfire-admin'],
    ['AUTH_JWT_READ_ROLE', '--auth-jwt-read-role', 'openfire-read'],
    ['AUTH_USER_PASSWORD_CHANGE', '--auth-user-password-change', 'true'],
    ['AUTH_USER_DIRECTORY', '--auth-user-directory', 'true'],
    ['REQUEST_TIMEOUT_MS', '--request-timeout-ms', '15000'],
    ['MAX_UPSTREAM_CALLS', '--max-upstream-calls', '1000'],
    ['BODY_LIMIT', '--body-limit', '1048576'],
    ['GRAPHQL_MAX_DEPTH', '--graphql-max-depth', '15'],
    ['GRAPHQL_MAX_ALIASES', '--graphql-max-aliases', '50'],
    ['GRAPHQL_MAX_TOKENS', '--graphql-max-tokens', '5000'],
    ['GRAPHQL_MAX_BATCH', '--graphql-max-batch', '10'],
    ['GRAPHQL_JIT', '--graphql-jit', 'on'],
    ['INTROSPECTION', '--introspection', 'true'],
    ['GRAPHIQL', '--graphiql', 'true'],
    ['CSRF_PREVENTION', '--csrf-prevention', 'true'],
    ['CORS_ORIGINS', '--cors-origins', 'unset'],
    ['APQ', '--apq', 'true'],
    ['PERSISTED_OPERATIONS', '--persisted-operations', 'unset'],
    ['PERSISTED_ONLY', '--persisted-only', 'false'],
    ['USERSERVICE_SECRET', '(environment only)', 'unset'],
    ['USERSERVICE_ALLOWED_IPS', '--userservice-allowed-ips', 'unset'],
    ['USERSERVICE_MAX_FAILURES', '--userservice-max-failures', '10'],
    ['TRUST_PROXY', '--trust-proxy', 'unset'],
    ['LOG_LEVEL', '--log-level', 'info'],
    ['METRICS', '--metrics', 'true'],
    ['METRICS_TOKEN', '(environment only)', 'unset'],
  ])('lists %s with %s and its default (%s)', (name, flag, fallback) => {
    const line = lines.find((l) => l.startsWith(`  ${name} `)) ?? '';
    expect(line).toContain(flag);
    if (fallback === 'unset') expect(line).not.toContain('(default');
    else expect(line).toMatch(new RegExp(`\\(default ${fallback.replace(/\./g, '\\.')}\\)$`));
  });

  it('lists nothing more, and docs/configuration.md has a row for every setting and no other', () => {
    expect(lines).toHaveLength(56);
    const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(lines.map((line) => line.trim().split(' ')[0]).sort());
  });
});
