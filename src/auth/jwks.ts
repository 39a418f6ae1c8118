import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';

/**
 * A JWKS document fetched over HTTP, its keys cached: read at the first token, again when a token names a key it
 * does not hold (key rotation, no restart) or when older than `maxAgeMs`, and never more than once per
 * `cooldownMs`, whether the last read succeeded or failed. Key selection and import are jose's (`createLocalJWKSet`).
 *
 * Not jose's `createRemoteJWKSet`: its cooldown counts from the last *successful* fetch only (an unreachable JWKS
 * server is asked again for every token with an unknown `kid`), and its clock is `Date.now`, which tests cannot move.
 */
export interface RemoteKeysOptions {
  /** Least time between two reads of the document (default 30 s). */
  readonly cooldownMs?: number;
  /** Keys older than this are read again before use (default 10 min); the old ones serve if that read fails. */
  readonly maxAgeMs?: number;
  /** Time the JWKS server gets to answer (default 5 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_REMOTE_KEYS = { cooldownMs: 30_000, maxAgeMs: 10 * 60_000, timeoutMs: 5_000 } as const;

/** The keys could not be read: a token can be neither accepted nor refused (answered 503, not 401). */
export class KeysUnavailableError extends Error {}

type LocalKeys = ReturnType<typeof createLocalJWKSet>;

/** Why a fetch failed, briefly: fetch's own message is "fetch failed", the network's reason (ECONNREFUSED…) its cause. */
export function fetchFailure(error: unknown): string {
  const failure = error as Error & { cause?: { code?: string; message?: string } };
  if (failure.name === 'SyntaxError') return 'not JSON';
  if (failure.name === 'TimeoutError') return 'no answer in time';
  return failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
}

async function readKeys(url: URL, timeoutMs: number): Promise<LocalKeys> {
  const response = await fetch(url, {
    headers: { accept: 'application/jwk-set+json, application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  // Throws JWKSInvalid for anything but a key set.
  return createLocalJWKSet(await response.json());
}

export function remoteKeys(url: URL, options: RemoteKeysOptions = {}): JWTVerifyGetKey {
  const {
    cooldownMs = DEFAULT_REMOTE_KEYS.cooldownMs,
    maxAgeMs = DEFAULT_REMOTE_KEYS.maxAgeMs,
    timeoutMs = DEFAULT_REMOTE_KEYS.timeoutMs,
    now = Date.now,
  } = options;
  let keys: LocalKeys | null = null;
  let readAt = Number.NEGATIVE_INFINITY;
  let triedAt = Number.NEGATIVE_INFINITY;
  let failure: unknown = null;
  let reading: Promise<void> | null = null;

  /** One read at a time; concurrent tokens wait for the same one. */
  const read = (): Promise<void> => {
    if (reading === null) {
      triedAt = now();
      const current = readKeys(url, timeoutMs).then(
        (fresh) => {
          keys = fresh;
          readAt = now();
          failure = null;
        },
        (error: unknown) => {
          failure = error;
        },
      );
      reading = current;
      void current.finally(() => {
        if (reading === current) reading = null;
      });
    }
    return reading;
  };
  /** A read is under way (join it) or the cooldown has passed. */
  const mayRead = (): boolean => reading !== null || now() - triedAt >= cooldownMs;
  const unavailable = (): KeysUnavailableError => {
    return new KeysUnavailableError(`the signing keys could not be read (${fetchFailure(failure)})`);
  };

  return async (header, token) => {
    if ((keys === null || now() - readAt >= maxAgeMs) && mayRead()) await read();
    const held = keys as LocalKeys | null;
    if (held === null) throw unavailable();
    try {
      return await held(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // An unknown key: rotated in since the last read, unless that read failed or was too recent.
      if (!mayRead()) throw failure === null ? error : unavailable();
      await read();
      const fresh = keys as LocalKeys | null;
      if (failure !== null || fresh === null) throw unavailable();
      return await fresh(header, token);
    }
  };
}
