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
  /**
   * Tokens, beside the credential above: embedded mode's ready token for a demo user (signed by a key made at
   * start), or where configured tokens come from (a URL, or `AUTH_JWT_SECRET`, never the secret).
   */
  readonly tokens?:
    | { readonly kind: 'demo'; readonly username: string; readonly token: string }
    | { readonly kind: 'configured'; readonly from: string }
    | null;
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

/** The token line: how end users sign in, or a ready token to try it with. */
function tokenLine(tokens: BannerFacts['tokens']): string[] {
  if (!tokens) return [];
  if (tokens.kind === 'demo') return [`  user token (${tokens.username}): Bearer ${tokens.token}`];
  return [`  tokens: Authorization: Bearer <JWT signed by ${tokens.from}>`];
}

/**
 * Warnings for a person starting the gateway: the embedded emulator on a non-loopback address serves demo data to
 * the network, and GraphiQL hands a credential (passthrough mode's, the demo user's token) to anyone who opens the
 * page.
 */
export function startWarnings(facts: BannerFacts): string[] {
  if (facts.upstream.kind !== 'embedded' || isLoopback(facts.host)) return [];
  const handsOut = facts.graphiql && (facts.auth === 'passthrough' || facts.tokens?.kind === 'demo');
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
    ...tokenLine(facts.tokens),
    `  GraphQL: ${base}/graphql`,
    ...(facts.graphiql ? [`  GraphiQL: ${base}/graphql`] : []),
    `  health: ${base}/healthz`,
    `  legacy: ${base}/userservice?type=grouplist&secret=<USERSERVICE_SECRET>${legacy}`,
    ...startWarnings(facts),
    '',
  ].join('\n');
}
