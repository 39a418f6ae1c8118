import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntity, decodeTolerant } from '../../src/upstream/codec/decode.js';
import {
  agreement,
  canonicalTree,
  type HotEntity,
  hotEntities,
  mutate,
  type Outcome,
  withOtherType,
} from './decode-canonical-wire.js';

/**
 * The fast path (src/upstream/codec/canonical.ts) on generated bodies: it takes every body in the current plugin's
 * JSON shape, and on any departure from it (older versions' variants, openfire-rest-api.md §10, and junk) it declines
 * or returns exactly the tolerant decoder's model.
 */
// A root mutated into `undefined` has no JSON; `null` stands in.
const json = (tree: unknown): string => JSON.stringify(tree) ?? 'null';
const roundTrip = (tree: unknown): unknown => JSON.parse(json(tree));

const mutated = (entity: HotEntity) =>
  fc
    .tuple(canonicalTree(entity), fc.constantFrom(0.005, 0.02, 0.1, 0.3), fc.gen())
    .map(([tree, rate, g]) => mutate(g, entity, tree, rate));

/** What a call returned or threw, comparable across both paths. */
function outcome(call: () => unknown): unknown {
  try {
    return { value: call() };
  } catch (error) {
    return { error: error instanceof Error ? [error.constructor.name, error.message] : error };
  }
}

describe.each(hotEntities)('the fast path for %s', (entity) => {
  it('accepts the current plugin JSON and reads it as the tolerant decoder does', () => {
    fc.assert(
      fc.property(canonicalTree(entity), (tree) => {
        expect(agreement(entity, tree)).toBe('accepted');
        expect(agreement(entity, roundTrip(tree))).toBe('accepted');
      }),
      { numRuns: 100 },
    );
  });

  it('declines or agrees on any departure from it, read as any entity', () => {
    const seen = new Set<Outcome>();
    fc.assert(
      fc.property(mutated(entity), (tree) => {
        for (const as of hotEntities) {
          const result = agreement(as, tree);
          if (as === entity) seen.add(result);
          agreement(as, roundTrip(tree));
        }
      }),
      { numRuns: 150 },
    );
    // Both branches were taken, so the agreement above is not vacuous.
    expect([...seen].sort()).toEqual(['accepted', 'declined']);
  });

  it('declines or agrees when one value anywhere has another type', () => {
    fc.assert(
      fc.property(canonicalTree(entity), fc.gen(), (tree, g) => {
        const changed = withOtherType(g, tree);
        for (const as of hotEntities) agreement(as, changed);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves errors to the tolerant decoder: decodeEntity returns or throws what it alone would', () => {
    fc.assert(
      fc.property(mutated(entity), (tree) => {
        const body = json(tree);
        expect(outcome(() => decodeEntity(entity, body, 'json'))).toStrictEqual(
          outcome(() => decodeTolerant(entity, JSON.parse(body))),
        );
      }),
      { numRuns: 100 },
    );
  });
});
