import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntity, type DecodableEntity } from '../../src/upstream/codec/decode.js';
import { arbitraries } from './decode-arbitraries.js';
import { renderOptions, shapes } from './decode-shapes.js';

/** Every decodable entity, rendered in every historical shape (§10), decodes back to the canonical value. */
const entities = Object.keys(arbitraries) as DecodableEntity[];

describe.each(entities)('decoding %s', (entity) => {
  it.each(Object.entries(shapes))('reads the %s shape', (_name, shape) => {
    fc.assert(
      fc.property(arbitraries[entity], renderOptions, (value, options) => {
        const { body, format, expected } = shape(entity, value, options);
        expect(decodeEntity(entity, body, format)).toStrictEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});
