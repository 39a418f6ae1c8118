import fc from 'fast-check';
import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { arbitraries } from './decode-arbitraries.js';
import { renderOptions, shapes } from './decode-shapes.js';
it('samples', () => {
  let out = '';
  for (const e of ['user', 'chatRoom', 'properties', 'bulkResults', 'logs', 'messages', 'affiliations', 'userGroups'] as const) {
    const [[v, o]] = fc.sample(fc.tuple((arbitraries[e] as fc.Arbitrary<unknown>).filter((x) => JSON.stringify(x).length > 60 && JSON.stringify(x).length < 900), renderOptions), { numRuns: 1, seed: 7 }) as any;
    for (const [name, shape] of Object.entries(shapes)) out += `${e} ${name} ${JSON.stringify(o)}\n  ${(shape as any)(e, v, o).body}\n`;
  }
  writeFileSync('/tmp/exp/samples.txt', out);
});
