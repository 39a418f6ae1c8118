import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands alone: a person who clones it has nothing beside it. So no file refers to a path outside
 * the tree or to a document the tree does not hold, section citations name a document under docs/, and every
 * relative link in the Markdown resolves.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'out', 'fixtures'].includes(entry.name) ? [] : filesUnder(path);
    return /\.(ts|mjs|js|md|json|sh)$/.test(entry.name) ? [path] : [];
  });
}

const code = ['src', 'test', 'bench', 'scripts', 'examples'].flatMap(filesUnder);
const markdown = [
  'README.md',
  ...filesUnder('docs'),
  ...filesUnder('examples').filter((f) => f.endsWith('.md')),
  ...filesUnder('test/fixtures').filter((f) => f.endsWith('.md')),
];
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

// Spelled in pieces so that this file does not match itself.
const outside = [['..', 'shared'].join('/'), ['shared', 'reference'].join('/'), ['DESIGN', 'md'].join('.')];
const docs = new Set(readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')));

/** The numbers of a Markdown file's numbered headings (`### 7.4 Roster` → `7.4`), which it may cite bare. */
const headingNumbers = (text: string): Set<string> =>
  new Set([...text.matchAll(/^#+ (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1] ?? ''));

/**
 * Section citations that do not name a document of docs/: a `§N` must follow `<name>.md ` on its line, or continue
 * a citation that did within a few characters (`openfire-rest-api.md §7.2, §7.5`), or be a section of the document
 * it stands in (`own`).
 */
function strayCitations(line: string, own: ReadonlySet<string>): string[] {
  const stray: string[] = [];
  let previousEnd: number | null = null;
  for (const match of line.matchAll(/§[\d.]*\d/g)) {
    const start = match.index;
    const named = /([\w-]+\.md)\s*$/.exec(line.slice(0, start));
    const between = previousEnd === null ? null : line.slice(previousEnd, start);
    const continues = between !== null && between.length <= 25 && !between.includes('.md');
    const self = own.has(match[0].slice(1));
    if (named ? !docs.has(named[1] ?? '') : !continues && !self) stray.push(match[0]);
    if (named || continues) previousEnd = start + match[0].length;
  }
  return stray;
}

describe('the repository stands alone', () => {
  it('has no reference to a path outside it', () => {
    const hits = [...code, ...markdown].flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (outside.some((needle) => line.includes(needle)) ? [`${file}:${i + 1}: ${line}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('cites sections only of documents under docs/', () => {
    const hits = [...code, ...markdown].flatMap((file) => {
      const own = file.endsWith('.md') ? headingNumbers(read(file)) : new Set<string>();
      return read(file)
        .split('\n')
        .flatMap((line, i) => {
          const stray = strayCitations(line, own);
          return stray.length > 0 ? [`${file}:${i + 1}: ${stray.join(' ')} in ${line.trim()}`] : [];
        });
    });
    expect(hits).toEqual([]);
  });

  it('has no Markdown link to a file that does not exist', () => {
    const broken = markdown.flatMap((file) =>
      [...read(file).matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(resolve(root, dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('keeps its tests, sources and docs inside the tree', () => {
    for (const file of [...code, ...markdown]) expect(relative(root, join(root, file)).startsWith('..')).toBe(false);
    expect(statSync(join(root, 'docs', 'openfire-rest-api.md')).isFile()).toBe(true);
  });
});
