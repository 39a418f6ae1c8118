import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

/**
 * `npm run schema` writes the SDL printed from the code to schema.graphql; `npm run schema:check` exits 1 when the
 * file differs. An optional path replaces schema.graphql (tests check a stale copy).
 */
const args = process.argv.slice(2);
const check = args.includes('--check');
const file = resolve(
  args.find((arg) => arg !== '--check') ?? fileURLToPath(new URL('../schema.graphql', import.meta.url)),
);
const name = relative(process.cwd(), file) || file;
const printed = `${printSchema(schema)}\n`;

if (check) {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current !== printed) {
    process.stderr.write(
      `${name} is ${current === null ? 'missing' : 'stale'}: run \`npm run schema\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${name} is up to date.\n`);
} else {
  await writeFile(file, printed);
  process.stdout.write(`Wrote ${name}.\n`);
}
