import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** What the start-up banner tells a person: where things are and which credential to send. */
export interface BannerFacts {
  /** The address the server was bound to (`HOST`) and the port it got. */
  readonly host: string;
  readonly port: number;
  readonly upstream:
    | { readonly kind: 'embedded'; readonly url: string; readonly seed: string; readonly secret: string }
    | { readonly kind: 'remote'; readonly url: string };
  /** `keys` when `GATEWAY_API_KEYS` is set, else the caller's credential is forwarded. */
  readonly auth: 'keys' | 'passthrough';
  readonly graphiql: boolean;
  readonly legacy: boolean;
}

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::';

/** A URL a person can open: a wildcard bind is shown as this machine's first external IPv4 address. */
export function reachableBase(host: string, port: number): string {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal)?.address;
  const shown = isWildcard(host) ? (external ?? '127.0.0.1') : host;
  return `http://${isIP(shown) === 6 ? `[${shown}]` : shown}:${port}`;
}

/** The credential line: the one a caller of the gateway (not of Openfire) must send. */
function credentialLine(facts: BannerFacts): string {
  if (facts.auth === 'keys') return 'Authorization: Bearer <one of GATEWAY_API_KEYS>';
  if (facts.upstream.kind === 'embedded') return `Authorization: ${facts.upstream.secret}`;
  return 'Authorization: <your Openfire secret, or Basic with an admin account>';
}

/**
 * Warnings for a person starting the gateway: the embedded emulator on a non-loopback address serves demo data to
 * the network, and in passthrough mode GraphiQL hands its credential to anyone who opens the page.
 */
export function startWarnings(facts: BannerFacts): string[] {
  if (facts.upstream.kind !== 'embedded' || isLoopback(facts.host)) return [];
  const handsOut = facts.auth === 'passthrough' && facts.graphiql;
  return [
    `warning: HOST=${facts.host} with the embedded emulator: anyone who can reach port ${facts.port} can use its ` +
      `demo data${handsOut ? ', and GraphiQL hands them its credential' : ''}. ` +
      'Bind HOST=127.0.0.1, or set OPENFIRE_URL for a real Openfire.',
  ];
}

export function banner(facts: BannerFacts): string {
  const base = reachableBase(facts.host, facts.port);
  const upstream =
    facts.upstream.kind === 'embedded'
      ? `embedded Openfire REST API emulator at ${facts.upstream.url} (${facts.upstream.seed} data)`
      : facts.upstream.url;
  const legacy = facts.legacy ? '' : ' (disabled: set USERSERVICE_SECRET)';
  return [
    `Openfire gateway listening on ${base}`,
    `  upstream: ${upstream}`,
    `  credential: ${credentialLine(facts)}`,
    `  GraphQL: ${base}/graphql`,
    ...(facts.graphiql ? [`  GraphiQL: ${base}/graphql`] : []),
    `  health: ${base}/healthz`,
    `  legacy: ${base}/userservice?type=grouplist&secret=<USERSERVICE_SECRET>${legacy}`,
    ...startWarnings(facts),
    '',
  ].join('\n');
}
