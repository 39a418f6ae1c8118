/**
 * Tolerant readers over untrusted, already parsed bodies. Every plugin version and format ends up as the same loose
 * tree (XML via `parseXml`, JSON as is), and these readers absorb the differences listed in openfire-rest-api.md §10:
 * scalars as strings, `{"#text": …}` nodes, `null` for absent, one-element lists as bare values, wrapper objects around
 * lists. The `required…`, `checkRoot` and `texts` readers are the exception: they throw {@link DecodeError} when the
 * value cannot be the expected entity.
 */

/** The body is not the expected entity at all (not JSON/XML, or a required field missing). */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export type Loose = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `container[key]`, or `undefined` when the container is not an object. */
export function field(container: unknown, key: string): unknown {
  return isRecord(container) && Object.hasOwn(container, key) ? container[key] : undefined;
}

// An XML element with attributes keeps its text under `#text`; JAXB writes `xsi:nil` elements without any.
function scalar(value: unknown): unknown {
  return isRecord(value) ? value['#text'] : value;
}

export function text(value: unknown): string | null {
  const v = scalar(value);
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return null;
}

const DECIMAL = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function number(value: unknown): number | null {
  const v = scalar(value);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return typeof v === 'string' && DECIMAL.test(v.trim()) ? Number(v.trim()) : null;
}

export function boolean(value: unknown): boolean | null {
  const v = scalar(value);
  if (typeof v === 'boolean') return v;
  const lower = typeof v === 'string' ? v.trim().toLowerCase() : null;
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

const EPOCH = /^[+-]?\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch milliseconds (Jackson) or an ISO-8601 string (JAXB and Jettison write `xs:dateTime`,
 * openfire-rest-api.md §4.4, §4.5). A time without a zone is read as UTC so the result does not depend on this
 * process's time zone.
 */
export function date(value: unknown): number | null {
  const v = scalar(value);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (EPOCH.test(s)) return Number(s);
  if (!ISO_DATE.test(s)) return null;
  const ms = Date.parse(s.includes('T') && !HAS_ZONE.test(s) ? `${s}Z` : s);
  return Number.isNaN(ms) ? null : ms;
}

/** Absent, `null` or a blank string (an empty XML element such as `<members/>`) is an empty list. */
function bare(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' && value.trim() === '' ? [] : [value];
}

/**
 * The items of one list value: an array, a single bare item (Jettison, openfire-rest-api.md §10), or a wrapper object
 * `{ "<item>": x | [x] }` whose key is one of `itemKeys` (Jettison and parsed XML keep list wrappers).
 */
export function items(value: unknown, ...itemKeys: string[]): unknown[] {
  if (isRecord(value)) {
    const key = itemKeys.find((k) => Object.hasOwn(value, k));
    if (key !== undefined) return bare(value[key]);
  }
  return bare(value);
}

/**
 * A list stored under any of `keys` (current plural key, 1.7.0's JAXB item name, …); the keys double as the item
 * names of a wrapper object. The first key with a non-null value wins; nothing found is an empty list.
 */
export function list(container: unknown, ...keys: string[]): unknown[] {
  const key = keys.find((k) => field(container, k) !== undefined && field(container, k) !== null);
  return key === undefined ? [] : items(field(container, key), ...keys);
}

export interface Pair {
  readonly key: string | null;
  readonly value: string | null;
}

/** A key/value pair: Jackson writes attributes as `key`/`value`, Jettison and parsed XML as `@key`/`@value`. */
export function pair(value: unknown): Pair {
  return {
    key: text(field(value, 'key') ?? field(value, '@key')),
    value: text(field(value, 'value') ?? field(value, '@value')),
  };
}

/** A string that must be present (an identifier such as `username`); its absence means a wrong entity. */
export function required(container: unknown, key: string): string {
  const value = text(field(container, key));
  if (value === null) throw new DecodeError(`missing "${key}"`);
  return value;
}

/** A number that must be present (an entity's only content, such as the session counts). */
export function requiredNumber(container: unknown, key: string): number {
  const value = number(field(container, key));
  if (value === null) throw new DecodeError(`missing "${key}"`);
  return value;
}

/** A root holding lists must be an object with one of their keys, or nothing at all (`<users/>`, `{}`). */
export function checkRoot(tree: unknown, keys: readonly string[]): asserts tree is Loose {
  if (!isRecord(tree)) throw new DecodeError('expected an object');
  const known = keys.some((key) => Object.hasOwn(tree, key));
  if (!known && Object.keys(tree).some((key) => key !== '#text' && !key.startsWith('@'))) {
    throw new DecodeError(`expected "${keys[0]}"`);
  }
}

/** The items of a collection root stored under any of `keys`. */
export function rootItems(tree: unknown, keys: readonly string[]): unknown[] {
  checkRoot(tree, keys);
  return list(tree, ...keys);
}

/** List items that must be strings; `null` items (1.7.0 writes nulls) are skipped. */
export function texts(values: readonly unknown[], what: string): string[] {
  return values.flatMap((item) => {
    if (item === null) return [];
    const value = text(item);
    if (value === null) throw new DecodeError(`expected strings in "${what}"`);
    return [value];
  });
}
