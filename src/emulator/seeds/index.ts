import type { Snapshot } from '../store.js';
import { demoSeed, emptySeed } from './demo.js';
import type { PropertySettings } from './properties.js';
import { showcaseSeed } from './showcase.js';

/** The named start data sets, for `npm run emulator -- --seed` and the gateway's `SEED`. */
export const SEEDS = {
  showcase: showcaseSeed,
  demo: demoSeed,
  empty: emptySeed,
} as const satisfies Record<string, (settings: PropertySettings) => Snapshot>;

export type SeedName = keyof typeof SEEDS;

export const SEED_NAMES = Object.keys(SEEDS) as SeedName[];

export const isSeedName = (name: string): name is SeedName => Object.hasOwn(SEEDS, name);
