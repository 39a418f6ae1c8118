import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { runProcess } from '../helpers/process.js';

const dir = mkdtempSync(join(tmpdir(), 'schema-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the schema script', () => {
  it('is written by `npm run schema` and checked by `npm run schema:check`, which fails when it is stale', async () => {
    const file = join(dir, 'schema.graphql');
    expect((await runProcess('scripts/print-schema.ts', [file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${printSchema(schema)}\n`);
    expect(await runProcess('scripts/print-schema.ts', ['--check', file])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('up to date'),
    });

    writeFileSync(file, readFileSync(file, 'utf8').replace('type Query {', 'type Query {\n  removed: Int'));
    const stale = await runProcess('scripts/print-schema.ts', ['--check', file]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/schema\.graphql is stale: run `npm run schema`/);

    const missing = await runProcess('scripts/print-schema.ts', ['--check', join(dir, 'none.graphql')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('none.graphql is missing');
  });
});
