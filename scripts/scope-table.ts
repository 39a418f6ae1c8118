import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type GraphQLField, type GraphQLObjectType, type GraphQLSchema, isObjectType } from 'graphql';
import { ANYONE, isOpenType } from '../src/schema/scopes.js';

/**
 * The scope table of docs/auth.md, read from the schema's own declarations (@pothos/plugin-scope-auth keeps each
 * field's and type's options in its `extensions`), so the documentation cannot drift from what is enforced.
 * `npm run schema` writes it between the markers; `--check` exits 1 when the file differs.
 */

export const START = '<!-- scope-table:start (written by `npm run schema` from the schema; do not edit) -->';
export const END = '<!-- scope-table:end -->';

interface PothosOptions {
  readonly authScopes?: unknown;
  readonly grantScopes?: unknown;
  readonly skipTypeScopes?: boolean;
}

export const optionsOf = (item: GraphQLObjectType | GraphQLField<unknown, unknown>): PothosOptions =>
  (item.extensions?.pothosOptions ?? {}) as PothosOptions;

/** Who may read a type: its Pothos scopes, or ANYONE for an `OPEN_TYPE` (src/schema/scopes.ts). */
export const typeScopesOf = (type: GraphQLObjectType): unknown =>
  isOpenType(type.extensions) ? ANYONE : optionsOf(type).authScopes;

const ROLES: Record<string, string> = { admin: 'admin', read: 'read', user: 'end users' };

/** A scope declaration in words; one decided per request brings its own (`decided` in src/schema/scopes.ts). */
export function describeScopes(scopes: unknown, where: string): string {
  if (typeof scopes === 'function') {
    const { label } = scopes as { label?: unknown };
    if (typeof label !== 'string') throw new Error(`${where}: a scope decided per request needs decided(label, …)`);
    return label;
  }
  if (typeof scopes === 'boolean') return scopes ? 'everyone' : 'nobody';
  if (typeof scopes !== 'object' || scopes === null) throw new Error(`${where}: no scopes declared`);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(scopes)) {
    if (name === '$granted') parts.push(`end users with \`${String(value)}\``);
    else if (name in ROLES && value === true) parts.push(ROLES[name] as string);
    else throw new Error(`${where}: scope "${name}" cannot be shown in the table`);
  }
  return parts.join(', ');
}

function describeGrants(grants: unknown, where: string): string {
  if (Array.isArray(grants)) return grants.map((grant) => `\`${grant}\``).join(', ');
  return describeScopes(grants, where);
}

const ROOTS = ['Query', 'Mutation', 'Subscription'];

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** Who may use each root field, and who may read each object type and the fields narrower than it. */
export function scopeTable(schema: GraphQLSchema): string {
  const lines = ['### Root fields', '', row(['Field', 'Who may use it']), row(['---', '---'])];
  const types = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const type of types.filter((t) => ROOTS.includes(t.name))) {
    const typeScopes = optionsOf(type).authScopes;
    for (const field of Object.values(type.getFields())) {
      const where = `${type.name}.${field.name}`;
      const options = optionsOf(field);
      const own = options.authScopes === undefined ? null : describeScopes(options.authScopes, where);
      const inherited = options.skipTypeScopes ? null : describeScopes(typeScopes, type.name);
      const who = own === null ? inherited : inherited === null ? own : `${inherited}; and ${own}`;
      lines.push(row([`\`${where}\``, who ?? 'nobody']));
    }
  }
  lines.push('', '### Types', '', row(['Type', 'Who may read it', 'Narrower fields', 'Grants']));
  lines.push(row(['---', '---', '---', '---']));
  for (const type of types.filter((t) => !ROOTS.includes(t.name))) {
    const options = optionsOf(type);
    const narrower = new Map<string, string[]>();
    const grants: string[] = [];
    if (options.grantScopes !== undefined) grants.push(describeGrants(options.grantScopes, type.name));
    for (const field of Object.values(type.getFields())) {
      const where = `${type.name}.${field.name}`;
      const own = optionsOf(field);
      if (own.authScopes !== undefined) {
        const words = describeScopes(own.authScopes, where);
        narrower.set(words, [...(narrower.get(words) ?? []), `\`${field.name}\``]);
      }
      if (own.grantScopes !== undefined) grants.push(`\`${field.name}\` → ${describeGrants(own.grantScopes, where)}`);
    }
    const fields = [...narrower].map(([words, names]) => `${names.join(', ')}: ${words}`).join('; ');
    lines.push(row([`\`${type.name}\``, describeScopes(typeScopesOf(type), type.name), fields, grants.join('; ')]));
  }
  return lines.join('\n');
}

/** The file with its table section replaced. */
export function withTable(document: string, table: string): string {
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start === -1 || end < start) throw new Error(`the markers ${START} … ${END} are missing`);
  return `${document.slice(0, start + START.length)}\n\n${table}\n\n${document.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { schema } = await import('../src/schema/index.js');
  const file = fileURLToPath(new URL('../docs/auth.md', import.meta.url));
  const current = await readFile(file, 'utf8');
  const next = withTable(current, scopeTable(schema));
  if (process.argv.includes('--check')) {
    if (current !== next) {
      process.stderr.write('docs/auth.md has a stale scope table: run `npm run schema` and commit the result.\n');
      process.exit(1);
    }
    process.stdout.write('docs/auth.md scope table is up to date.\n');
  } else if (current !== next) {
    await writeFile(file, next);
    process.stdout.write('Wrote the scope table of docs/auth.md.\n');
  }
}
