import type { GeneratedSizes } from '../../src/emulator/seeds/generated.js';
import type { Load } from './load.js';
import type { Stack } from './stack.js';

/** The sides one scenario compares; `floor` where a bare-yoga reference (bench/reference/floor.mjs) answers the same operation. */
export interface Sides {
  readonly gateway: Load;
  readonly direct: Load;
  readonly floor?: Load;
}

export interface Scenario {
  /** Selected with `--only`. */
  readonly id: string;
  readonly title: string;
  /** The emulator's generated data set (`--users --groups --members --rooms`). */
  readonly sizes: GeneratedSizes;
  /** Also measure the bare-yoga reference (bench/reference/floor.mjs), which answers this scenario's query; its row's title. */
  readonly floor?: { readonly title: string };
  /** Settings the gateway needs beyond the bench's own (e.g. a higher `MAX_UPSTREAM_CALLS`). */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /** Fixed connections (the one-connection latency rows); otherwise `--connections`. */
  readonly connections?: number;
  /** The fewest upstream calls the REST API allows for one operation, and why. */
  readonly minimum: { readonly calls: number; readonly per: string; readonly why: string };
  /** What the direct REST side does for one operation, and how it is driven, in one line. */
  readonly directRest: string;
  sides(stack: Stack): Sides;
}
