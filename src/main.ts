import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { LegacyOutcome } from './legacy/endpoint.js';
import { keyMatcher, type AuthMode } from './http/auth.js';
import { createUpstreamClient, type Credential } from './upstream/client.js';
import { createTransport } from './upstream/dispatcher.js';
import { ConfigError, GATEWAY_USAGE, loadConfig } from './config.js';
import { demoSeed } from './emulator/seeds/demo.js';
import { startEmulator, type Emulator } from './emulator/server.js';
import { BASE_PATH } from './upstream/routes.js';

/** A failed legacy operation that could not be undone leaves Openfire half-changed: the operator must know. */
function reportIncompleteRollback(outcome: LegacyOutcome): void {
  if (outcome.rollback !== 'incomplete') return;
  const cause = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'legacy operation failed and could not be fully undone', type: outcome.type, reply: outcome.reply, cause })}\n`);
}

/** Process entry: config → embedded emulator (when no OPENFIRE_URL) → app → listen; SIGTERM/SIGINT close cleanly. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n\n${GATEWAY_USAGE}`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(GATEWAY_USAGE);
    return;
  }
  let emulator: Emulator | null = null;
  let upstreamUrl = config.openfireUrl;
  let credential: Credential = config.credential ?? { kind: 'none' };
  let banner: string;
  let graphiqlHeaders: Record<string, string> | undefined;
  if (upstreamUrl === null) {
    const secret = config.credential?.kind === 'secret' ? config.credential.secret : randomBytes(12).toString('base64url');
    emulator = await startEmulator({ seed: demoSeed({ domain: 'example.org', secret, httpAuth: 'secret' }), port: 0 });
    upstreamUrl = emulator.url;
    credential = { kind: 'secret', secret };
    // Callers forward the emulator's secret in passthrough mode; with API keys it is not theirs to send.
    if (!config.apiKeys) graphiqlHeaders = { Authorization: secret };
    banner =
      `  upstream: embedded Openfire REST API emulator at ${emulator.url}${BASE_PATH} (demo data)\n` +
      `  credential: Authorization: ${secret}\n`;
  } else {
    banner = `  upstream: ${upstreamUrl}${BASE_PATH}\n`;
  }
  const transport = createTransport({ origin: upstreamUrl });
  const auth: AuthMode = config.apiKeys ? { kind: 'keys', match: keyMatcher(config.apiKeys) } : { kind: 'passthrough' };
  const client = createUpstreamClient({ baseUrl: upstreamUrl, dispatcher: transport, credential });
  const app = createApp({
    client,
    auth,
    upstreamUrl,
    listThreshold: config.listThreshold,
    concurrency: config.upstreamConcurrency,
    // The embedded emulator's domain is known; for a real Openfire it is configured or read per request.
    domain: config.xmppDomain ?? (emulator ? 'example.org' : null),
    graphiql: { defaultHeaders: graphiqlHeaders },
    legacy: {
      secret: config.userservice.secret,
      allowedIps: config.userservice.allowedIps,
      trustProxy: config.trustProxy,
      maxFailures: config.userservice.maxFailures,
      onOutcome: reportIncompleteRollback,
    },
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${config.host}:${port}`;
  const legacy = config.userservice.secret === null ? ' (disabled: set USERSERVICE_SECRET)' : '';
  process.stdout.write(
    `Openfire gateway listening on ${base}\n${banner}  GraphQL: ${base}/graphql\n  GraphiQL: ${base}/graphql\n  health: ${base}/healthz\n` +
      `  legacy: ${base}/userservice?type=grouplist&secret=<USERSERVICE_SECRET>${legacy}\n`,
  );
  const stop = (): void => {
    server.close(() => {
      Promise.all([transport.close(), emulator?.close()]).then(() => process.exit(0), () => process.exit(1));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
