import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

/** schema.graphql is the reviewed artifact: it must be what the code prints (`npm run schema` writes it). */
const checkedIn = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

describe('schema.graphql', () => {
  it('is the schema printed from the code (run `npm run schema` after changing it)', () => {
    expect(readFileSync(checkedIn, 'utf8')).toBe(`${printSchema(schema)}\n`);
  });
});
