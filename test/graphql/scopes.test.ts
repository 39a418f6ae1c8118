import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { END, optionsOf, START, scopeTable, typeScopesOf, withTable } from '../../scripts/scope-table.js';
import { schema } from '../../src/schema/index.js';
import { isOpenType } from '../../src/schema/scopes.js';

/**
 * Who may use what is declared on the schema, nowhere else: a walk over every type and root field proves none was
 * left to a default it did not choose, and docs/auth.md's table is what the declarations say.
 */
const objectTypes = Object.values(schema.getTypeMap())
  .filter(isObjectType)
  .filter((type) => !type.name.startsWith('__'));
const roots = objectTypes.filter((type) => ['Query', 'Mutation', 'Subscription'].includes(type.name));

describe('the scope walk', () => {
  it.each(objectTypes.map((type) => [type.name, type] as const))('%s declares who may read it', (_name, type) => {
    expect(typeScopesOf(type)).toBeDefined();
  });

  it('finds no type both open to anyone and scoped: one declaration per type', () => {
    const both = objectTypes.filter((type) => isOpenType(type.extensions) && optionsOf(type).authScopes !== undefined);
    expect(both.map((type) => type.name)).toEqual([]);
  });

  it('finds every root field covered: by its own scopes, which then replace the root type’s, or by the root’s', () => {
    const fields = roots.flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field })));
    expect(fields.length).toBeGreaterThan(50);
    const loose = fields
      .filter(({ field }) => {
        const { authScopes, skipTypeScopes } = optionsOf(field);
        // Own scopes on top of the root's would need both; the table states one rule per field.
        return authScopes !== undefined && skipTypeScopes !== true;
      })
      .map(({ type, field }) => `${type.name}.${field.name}`);
    expect(loose).toEqual([]);
  });

  it('keeps every mutation from read keys and end users unless the mutation opens itself', () => {
    const [query, mutation] = [schema.getQueryType(), schema.getMutationType()];
    expect(query && optionsOf(query).authScopes).toEqual({ admin: true, read: true });
    expect(mutation && optionsOf(mutation).authScopes).toEqual({ admin: true });
  });
});

describe('docs/auth.md', () => {
  const file = fileURLToPath(new URL('../../docs/auth.md', import.meta.url));

  it('holds the scope table the schema declares (run `npm run schema` after changing a scope)', () => {
    const document = readFileSync(file, 'utf8');
    expect(document).toBe(withTable(document, scopeTable(schema)));
  });

  it('refuses to place a table in a document without the markers', () => {
    expect(() => withTable('# Auth\n', 'table')).toThrow(`the markers ${START} … ${END} are missing`);
  });
});
