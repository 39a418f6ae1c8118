import { randomBytes } from 'node:crypto';
import { createApp } from './app.js';
import { demoTokens } from './auth/demo.js';
import { type AuthMode, keyMatcher } from './auth/identify.js';
import { openTokenVerifier, TokenSetupError, type TokenVerifier } from './auth/jwt.js';
import { type BannerFacts, banner } from './banner.js';
import { ConfigError, GATEWAY_USAGE, loadConfig } from './config.js';
import { isSeedName, SEED_NAMES, SEEDS, type SeedName } from './emulator/seeds/index.js';
import type { Emulator } from './emulator/server.js';
import { attachWebSocket } from './graphql/transports/websocket.js';
import { createNodeServer, ListenError, listen } from './http/node-server.js';
import { drainable } from './http/shutdown.js';
import { DEFAULT_FAILURE_WINDOW_MS } from './legacy/endpoint.js';
import { createLogger, stdoutDestination } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { upstreamReporter } from './observability/upstream.js';
import { createReadiness } from './ops/readiness.js';
import { readPersistedOperations } from './persisted-operations.js';
import type { ReplicaEvents } from './redis/replicas.js';
import { fairShare } from './request/fair-share.js';
import { createBreaker } from './upstream/breaker.js';
import { type Credential, createUpstreamClient } from './upstream/client.js';
import { createTransport } from './upstream/dispatcher.js';
import { BASE_PATH } from './upstream/routes.js';
import { nodeprep } from './xmpp/jid.js';

/** The demo user whose ready token embedded mode prints (both seeds with users have her). */
const DEMO_USER = 'jane';

/** Process entry: config → embedded emulator (when no OPENFIRE_URL) → app → listen; SIGTERM/SIGINT close cleanly. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  let seed: SeedName;
  let persistedOperations: ReadonlyMap<string, string> | null = null;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
    if (!isSeedName(config.seed))
      throw new ConfigError(`SEED must be one of ${SEED_NAMES.join(', ')}, got "${config.seed}"`);
    seed = config.seed;
    if (config.persisted.file !== null && !config.help)
      persistedOperations = await readPersistedOperations(config.persisted.file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n\n${GATEWAY_USAGE}`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(GATEWAY_USAGE);
    return;
  }
  // Token verification (one verifier per process): the OIDC discovery document is read now or never.
  let tokens: TokenVerifier | null = null;
  if (config.auth.jwt !== null) {
    try {
      tokens = await openTokenVerifier(config.auth.jwt, { nodeprep });
    } catch (error) {
      if (!(error instanceof TokenSetupError)) throw error;
      process.stderr.write(`gateway: ${error.message}\n`);
      process.exit(2);
    }
  }
  const destination = stdoutDestination();
  // Every exit, the graceful one and a crash alike, writes the lines still buffered.
  process.once('exit', () => destination.flushSync());
  const logger = createLogger({ level: config.logLevel, destination });
  const metrics = config.metrics.enabled ? createMetrics() : null;
  let emulator: Emulator | null = null;
  let upstreamUrl = config.openfireUrl;
  let credential: Credential = config.credential ?? { kind: 'none' };
  let upstream: BannerFacts['upstream'];
  let graphiqlHeaders: Record<string, string> | undefined;
  let userToken: { readonly username: string; readonly token: string } | null = null;
  if (upstreamUrl === null) {
    const secret =
      config.credential?.kind === 'secret' ? config.credential.secret : randomBytes(12).toString('base64url');
    const snapshot = SEEDS[seed]({ domain: 'example.org', secret, httpAuth: 'secret' });
    // Loaded only here: a gateway in front of a real Openfire does not hold the emulator's code (docs/benchmarks.md,
    // Memory). A gentle stream of simulated logins, presence changes and room joins, so a newcomer sees live data.
    const { startEmulator } = await import('./emulator/server.js');
    emulator = await startEmulator({ seed: snapshot, port: 0, activity: { rate: 1 } });
    // Without a key source of its own, embedded mode trusts a key made now and hands out a ready end-user token.
    if (tokens === null) {
      const demo = await demoTokens({ nodeprep });
      tokens = demo.verifier;
      if (snapshot.users.some((user) => user.username === DEMO_USER))
        userToken = { username: DEMO_USER, token: await demo.sign(DEMO_USER) };
    }
    upstreamUrl = emulator.url;
    credential = { kind: 'secret', secret };
    // Callers forward the emulator's secret in passthrough mode; with API keys it is not theirs to send.
    if (!config.apiKeys) graphiqlHeaders = { Authorization: secret };
    upstream = { kind: 'embedded', url: `${emulator.url}${BASE_PATH}`, seed, secret };
  } else {
    upstream = { kind: 'remote', url: `${upstreamUrl}${BASE_PATH}` };
  }
  const transport = createTransport({
    origin: upstreamUrl,
    connections: config.upstreamShare.capacity,
    headersTimeoutMs: config.upstreamTimeoutMs,
    bodyTimeoutMs: config.upstreamTimeoutMs,
  });
  const auth: AuthMode = config.apiKeys
    ? { kind: 'keys', match: keyMatcher(config.apiKeys), tokens }
    : { kind: 'passthrough', tokens };
  const client = createUpstreamClient({
    baseUrl: upstreamUrl,
    dispatcher: transport,
    credential,
    breaker: createBreaker(),
    onCall: upstreamReporter({ logger, metrics }),
  });
  // With REDIS_URL the replicas share their state (docs/operations.md, Several replicas); the Redis client's code is
  // loaded only then.
  const shared =
    config.redisUrl === null
      ? null
      : (await import('./redis/replicas.js')).sharedReplicaState(
          {
            url: config.redisUrl,
            legacyMaxFailures: config.userservice.maxFailures,
            legacyWindowMs: DEFAULT_FAILURE_WINDOW_MS,
            pollMs: config.live.pollMs,
            apqMaxBytes: config.limits.bodyBytes,
            callLeaseMs: 2 * Math.max(config.limits.requestTimeoutMs, config.upstreamTimeoutMs),
          },
          redisEvents(logger),
        );
  const readiness = createReadiness({ client, sharedState: shared?.state });
  const app = createApp({
    client,
    auth,
    userPolicy: config.auth.userPolicy,
    upstreamUrl,
    listThreshold: config.listThreshold,
    concurrency: config.upstreamConcurrency,
    share: fairShare(config.upstreamShare, shared?.upstreamPermits),
    requestTimeoutMs: config.limits.requestTimeoutMs,
    maxUpstreamCalls: config.limits.maxUpstreamCalls,
    maxInflightCost: config.limits.maxInflightCost,
    jit: config.jit,
    readiness,
    logger,
    metrics,
    metricsToken: config.metrics.token,
    trustProxy: config.trustProxy,
    // The embedded emulator's domain is known; for a real Openfire it is configured or read per request.
    domain: config.xmppDomain ?? (emulator ? 'example.org' : null),
    graphiql: config.browser.graphiql
      ? {
          defaultHeaders: graphiqlHeaders,
          userHeaders: userToken ? { Authorization: `Bearer ${userToken.token}` } : undefined,
        }
      : false,
    limits: config.limits,
    browser: config.browser,
    live: { ...config.live, coordinate: shared?.coordinate, permits: shared?.subscriptionPermits },
    persisted: {
      apq: config.persisted.apq,
      operations: persistedOperations,
      only: config.persisted.only,
      store: shared?.apq,
    },
    legacy: {
      secret: config.userservice.secret,
      allowedIps: config.userservice.allowedIps,
      maxFailures: config.userservice.maxFailures,
      throttle: shared?.throttle,
      leases: shared?.leases,
    },
  });
  const server = createNodeServer(app);
  const draining = drainable(server);
  const sockets = attachWebSocket(server, {
    run: app.run,
    origins: config.browser.corsOrigins,
    trustProxy: config.trustProxy,
    maxMessageBytes: config.limits.bodyBytes,
  });
  let port: number;
  try {
    ({ port } = await listen(server, config.port, config.host));
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n`);
    process.exit(2);
  }
  // Set before the banner, which tells a supervisor (or a test) the gateway is up: a signal sent as soon as it is
  // printed must find the handler. A second signal during the drain is not caught (`once`): it ends the process.
  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    readiness.drain();
    // Subscriptions end with a completion first, so their streams are finished requests for the drain.
    app.closeStreams();
    Promise.all([draining.drain(config.shutdownTimeoutMs), sockets.close(config.shutdownTimeoutMs)])
      .then(async ([cut]) => {
        if (cut > 0) logger.warn({ requests: cut }, 'requests still running at SHUTDOWN_TIMEOUT_MS were cut');
        await Promise.all([cut > 0 ? transport.destroy() : transport.close(), emulator?.close(), shared?.close()]);
      })
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(
    banner({
      host: config.host,
      port,
      upstream,
      auth: auth.kind,
      tokens: userToken ? { kind: 'demo', ...userToken } : tokenSource(config.auth.jwt),
      graphiql: config.browser.graphiql,
      legacy: config.userservice.secret !== null,
    }),
  );
  logger.info(
    {
      url: `http://${config.host}:${port}`,
      upstream: upstreamUrl,
      embedded: emulator !== null,
      legacy: config.userservice.secret !== null,
      metrics: metrics !== null,
    },
    'gateway listening',
  );
}

/**
 * Redis's connection going and coming back, logged once per change (its errors repeat with every reconnect); a use
 * falling back to its policy is a warning the first time after each (re)connection, debug after that.
 */
function redisEvents(logger: ReturnType<typeof createLogger>): ReplicaEvents {
  let up = true;
  const warned = new Set<string>();
  return {
    onError: (error: Error) => {
      if (!up) return;
      up = false;
      logger.warn({ err: { message: error.message } }, 'Redis unreachable; retrying');
    },
    onReady: () => {
      if (!up) logger.info('Redis reachable again');
      up = true;
      warned.clear();
    },
    onFallback: (use, error) => {
      const level = warned.has(use) ? 'debug' : 'warn';
      warned.add(use);
      logger[level](
        { use, err: { message: error instanceof Error ? error.message : String(error) } },
        'Redis did not answer; following its policy',
      );
    },
  };
}

/** Where configured tokens come from, for the banner (never the secret). */
function tokenSource(jwt: ReturnType<typeof loadConfig>['auth']['jwt']): BannerFacts['tokens'] {
  if (jwt === null) return null;
  const { source } = jwt;
  const from = source.kind === 'jwks' ? source.url : source.kind === 'oidc' ? source.issuer : 'AUTH_JWT_SECRET';
  return { kind: 'configured', from };
}

await main();
