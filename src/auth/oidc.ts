import { fetchFailure } from './jwks.js';

/** What start-up needs from an OpenID provider's discovery document. */
export interface Discovered {
  /** The provider's `issuer`: the default for the tokens' `iss`. */
  readonly issuer: string;
  /** Where its signing keys are (`jwks_uri`). */
  readonly jwksUri: string;
}

/** The discovery document could not be read or lacks what is needed; start-up stops with this message. */
export class DiscoveryError extends Error {}

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0, section 4). */
export const discoveryUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

const isHttpUrl = (value: unknown): value is string =>
  typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

/** Reads the discovery document once, at start-up. */
export async function discover(issuer: string, timeoutMs = 10_000): Promise<Discovered> {
  const url = discoveryUrl(issuer);
  let document: unknown;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    document = await response.json();
  } catch (error) {
    throw new DiscoveryError(`cannot read ${url}: ${fetchFailure(error)}`);
  }
  const { issuer: found, jwks_uri: jwksUri } = (document ?? {}) as Record<string, unknown>;
  if (!isHttpUrl(jwksUri)) throw new DiscoveryError(`${url} has no jwks_uri (an http or https URL)`);
  if (typeof found !== 'string' || found === '') throw new DiscoveryError(`${url} has no issuer`);
  return { issuer: found, jwksUri };
}
