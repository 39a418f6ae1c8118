import { parseIsoDate } from './dates.js';
import type { EntitySchema, Field, Scalar } from './schema.js';

function ordered(schema: EntitySchema, value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    const v = value[name];
    if (v === null || v === undefined) continue;
    if (field.kind === 'list') {
      const of = field.of;
      out[field.json] = (v as unknown[]).map((item) =>
        of === 'string' ? String(item) : ordered(of, item as Record<string, unknown>),
      );
    } else {
      out[name] = v;
    }
  }
  return out;
}

/**
 * Serialises an entity as the plugin's Jackson mapper does: no root wrapping, nulls omitted, lists as arrays
 * (openfire-rest-api.md §4.4).
 */
export function writeJson(schema: EntitySchema, value: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(ordered(schema, value));
}

/**
 * A Jackson mapping or parse failure: upstream a 400 `text/plain` whose body is Jackson's message
 * (openfire-rest-api.md §4.1).
 */
export class JsonReadError extends Error {}

const javaTypes: Record<Scalar, string> = {
  string: 'java.lang.String',
  int: 'int',
  long: 'long',
  boolean: 'boolean',
  date: 'java.util.Date',
};

function tokenOf(v: unknown): string {
  if (Array.isArray(v)) return 'Array value (token `JsonToken.START_ARRAY`)';
  if (typeof v === 'object') return 'Object value (token `JsonToken.START_OBJECT`)';
  if (typeof v === 'string') return `String value (token \`JsonToken.VALUE_STRING\`)`;
  if (typeof v === 'boolean') return `Boolean value (token \`JsonToken.VALUE_${v ? 'TRUE' : 'FALSE'}\`)`;
  return 'Number value (token `JsonToken.VALUE_NUMBER_INT`)';
}

function cannot(type: string, v: unknown, chain: string): JsonReadError {
  return new JsonReadError(
    `Cannot deserialize value of type \`${type}\` from ${tokenOf(v)}\n (through reference chain: ${chain})`,
  );
}

// Jackson's default coercions: scalars become strings, numeric/boolean strings become numbers/booleans.
function readScalar(kind: Scalar, input: unknown, chain: string): unknown {
  if (input === null || input === undefined) return null;
  if (typeof input === 'object') throw cannot(javaTypes[kind], input, chain);
  const v = input as string | number | boolean;
  switch (kind) {
    case 'string':
      return String(v);
    case 'int':
    case 'long': {
      if (typeof v === 'number') return Math.trunc(v);
      if (typeof v === 'boolean') throw cannot(javaTypes[kind], v, chain);
      if (v.trim() === '') return 0;
      if (!/^[+-]?\d+$/.test(v.trim())) {
        throw new JsonReadError(
          `Cannot deserialize value of type \`${javaTypes[kind]}\` from String "${v}": not a valid \`${javaTypes[kind]}\` value\n (through reference chain: ${chain})`,
        );
      }
      return Number.parseInt(v, 10);
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (v === 'true' || v === 'false') return v === 'true';
      if (v.trim() === '') return false;
      throw new JsonReadError(
        `Cannot deserialize value of type \`boolean\` from String "${v}": only "true" or "false" recognized\n (through reference chain: ${chain})`,
      );
    }
    case 'date': {
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') throw cannot(javaTypes[kind], v, chain);
      const parsed = parseIsoDate(v);
      if (parsed === null) {
        throw new JsonReadError(
          `Cannot deserialize value of type \`java.util.Date\` from String "${v}": not a valid representation\n (through reference chain: ${chain})`,
        );
      }
      return parsed;
    }
  }
}

function readField(field: Field, v: unknown, chain: string): unknown {
  if (field.kind !== 'list') return readScalar(field.kind, v, chain);
  if (v === null) return null;
  const itemType = field.of === 'string' ? 'java.lang.String' : field.of.javaClass;
  if (!Array.isArray(v)) throw cannot(`java.util.List<${itemType}>`, v, chain);
  const of = field.of;
  return v.map((item, i) =>
    of === 'string' ? readScalar('string', item, `${chain}[${i}]`) : readObject(of, item, `${chain}[${i}]`),
  );
}

function readObject(schema: EntitySchema, v: unknown, chain: string): Record<string, unknown> | null {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw cannot(schema.javaClass, v, chain || schema.javaClass);
  const byJsonKey = new Map<string, [string, Field]>();
  for (const [name, field] of Object.entries(schema.fields)) {
    byJsonKey.set(field.kind === 'list' ? field.json : name, [name, field]);
  }
  const out: Record<string, unknown> = Object.fromEntries(Object.keys(schema.fields).map((name) => [name, null]));
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    const entry = byJsonKey.get(key);
    const where = `${chain || schema.javaClass}["${key}"]`;
    if (!entry) {
      const known = [...byJsonKey.keys()].map((k) => `"${k}"`).join(', ');
      throw new JsonReadError(
        `Unrecognized field "${key}" (class ${schema.javaClass}), not marked as ignorable (${byJsonKey.size} known properties: ${known})\n (through reference chain: ${where})`,
      );
    }
    out[entry[0]] = readField(entry[1], value, where);
  }
  return out;
}

/**
 * Reads a request entity with the plugin's Jackson rules: unknown properties rejected, no scalar-to-list coercion,
 * an empty body is a `null` entity (openfire-rest-api.md §4.1).
 */
export function readJson(schema: EntitySchema, body: string): Record<string, unknown> | null {
  if (body.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new JsonReadError(`Unexpected character in JSON input: ${(error as Error).message}`);
  }
  return readObject(schema, parsed, '');
}
