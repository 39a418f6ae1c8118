import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ and which ones each may import (docs/architecture.md, Layers): entry → HTTP shell → faces
 * (GraphQL, legacy, ops endpoints) → request scope → upstream client → route table. Observability and the leaf
 * utilities import nothing of the gateway; the emulator borrows only the route table, the scheduler and the JID rules.
 */
const LAYERS = {
  entry: ['*'],
  app: ['http', 'graphql', 'schema', 'legacy', 'ops', 'auth', 'live', 'request', 'observability', 'upstream', 'common'],
  http: ['observability', 'common'],
  graphql: ['schema', 'auth', 'live', 'request', 'observability', 'upstream', 'common'],
  schema: ['live', 'request', 'upstream', 'xmpp'],
  legacy: ['request', 'upstream', 'xmpp', 'common'],
  ops: ['observability', 'upstream', 'common'],
  auth: ['request', 'common'],
  live: ['request', 'upstream', 'observability', 'common'],
  redis: ['common'],
  request: ['upstream', 'xmpp', 'common'],
  upstream: ['common'],
  observability: [],
  common: [],
  xmpp: [],
  emulator: ['upstream/routes', 'common/scheduler', 'xmpp'],
} as const satisfies Record<string, readonly string[]>;

type Layer = keyof typeof LAYERS;

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** `main.ts`, `config.ts`… at the top are the entry; `app.ts` composes; every folder is a layer of its own name. */
function layerOf(file: string): Layer {
  const path = relative(src, file);
  if (path === 'app.ts') return 'app';
  const top = path.split('/')[0] ?? '';
  if (!path.includes('/')) return 'entry';
  if (!(top in LAYERS)) throw new Error(`${path}: folder "${top}" is no layer of test/architecture.test.ts`);
  return top as Layer;
}

const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(src, f));

/** Relative imports of a file, as paths under src/ without extension (TypeScript's own pre-processor finds them). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(src, join(dirname(file), name)).replace(/\.js$/, ''));
}

function allowed(from: Layer, target: string): boolean {
  const to = layerOf(join(src, `${target}.ts`));
  if (to === from) return true;
  const may: readonly string[] = LAYERS[from];
  return may.includes('*') || may.includes(to) || may.some((entry) => entry.includes('/') && target === entry);
}

describe('the layers of src/', () => {
  it('import only the layers below them', () => {
    const wrong = files.flatMap((file) => {
      const from = layerOf(file);
      return importsOf(file)
        .filter((target) => !allowed(from, target))
        .map((target) => `${relative(src, file)} (${from}) imports ${target} (${layerOf(join(src, `${target}.ts`))})`);
    });
    expect(wrong).toEqual([]);
  });

  it('let only main.ts start the emulator: the gateway runs unchanged against a real Openfire', () => {
    const users = files.filter(
      (file) => layerOf(file) !== 'emulator' && importsOf(file).some((target) => target.startsWith('emulator/')),
    );
    expect(users.map((file) => relative(src, file))).toEqual(['main.ts']);
  });

  it('name every folder of src/', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((folder) => folder.name).filter((name) => !(name in LAYERS))).toEqual([]);
  });
});
