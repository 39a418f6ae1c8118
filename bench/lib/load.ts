import type { Sample } from './stats.js';

/** One side of a comparison (the gateway, direct REST or the reference floor) and how it is driven. */
export interface Load {
  /** How operations are generated and timed, printed under the table. */
  readonly driver: string;
  /** `connections` operations in flight at all times for `seconds`; every answer is checked, a bad one throws. */
  measure(connections: number, seconds: number): Promise<Sample>;
  /** `n` operations one after another (to count the upstream calls of one operation). */
  sequential(n: number): Promise<void>;
}
