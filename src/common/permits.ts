/**
 * Counted permits per key (a caller): at most `limit` held at once. In one process the counts are local; with
 * `REDIS_URL` they are counted across replicas (src/redis/permits.ts), which is what this interface lets the request
 * and live layers use without knowing Redis.
 */
export interface Permits {
  /** Takes one of `limit` permits of `key`: the function that gives it back (once), or `null` while all are taken. */
  take(key: string, limit: number): Promise<(() => void) | null>;
}
