/** A live topic's snapshot as JSON and back, for replicas that share a poll through Redis (src/redis/polling.ts). */
export interface Codec<S> {
  encode(snapshot: S): unknown;
  decode(json: unknown): S;
}

/** JSON values as they are. */
export const plainCodec = <S>(): Codec<S> => ({ encode: (snapshot) => snapshot, decode: (json) => json as S });

/** A map as a list of its entries. */
export const mapCodec = <V>(): Codec<ReadonlyMap<string, V>> => ({
  encode: (snapshot) => [...snapshot],
  decode: (json) => new Map(json as Array<[string, V]>),
});
