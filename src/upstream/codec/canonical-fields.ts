/**
 * Readers of single values for the fast path (canonical.ts). Each takes only what the current plugin's Jackson writes
 * (openfire-rest-api.md §4.4: strings, finite numbers, booleans, arrays, absent for null) and returns exactly what the
 * tolerant readers of loose.ts return for that value. Anything else throws {@link DECLINED}, which hands the whole
 * body to the tolerant decoders: older versions' shapes (openfire-rest-api.md §10) are theirs alone.
 */
import { date } from './loose.js';

export type Json = Readonly<Record<string, unknown>>;

/**
 * Thrown when a value is not in the canonical shape; one shared instance, so declining costs no allocation. Trees
 * come from `JSON.parse`: plain objects whose own properties are the only ones a field name can find.
 */
export const DECLINED = new Error('not the current plugin JSON shape');

export function decline(): never {
  throw DECLINED;
}

const absent = (v: unknown): v is null | undefined => v === undefined || v === null;

/** An entity or list item; the tolerant decoders read anything else as an object without fields. */
export function object(v: unknown): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) decline();
  return v as Json;
}

/** `required` (loose.ts) for a string; a number or boolean, which it would stringify, declines. */
export function requiredText(v: unknown): string {
  if (typeof v !== 'string') decline();
  return v;
}

/** `text` (loose.ts): a string as is, absent or `null` (Jackson leaves nulls out) as `null`. */
export function optionalText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  return absent(v) ? null : decline();
}

/** `number(…) ?? 0` (decoders.ts `int`): a finite JSON number; absent is Java's default 0. */
export function int(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return absent(v) ? 0 : decline();
}

/** `boolean(…) ?? false` (decoders.ts `flag`): a JSON boolean; absent is Java's default false. */
export function flag(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return absent(v) ? false : decline();
}

/**
 * `date` (loose.ts): epoch milliseconds as is (Jackson's dates); a string, such as a history delay stamp
 * (openfire-rest-api.md §9.6), goes through loose.ts's own `date` so both paths read it alike.
 */
export function timestamp(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') return date(v);
  return absent(v) ? null : decline();
}

/**
 * A list under its current key (`list` in loose.ts takes the first non-null of `key`, `older`): an array, each item
 * read by `read`; absent or `null` under both keys is empty. A bare item or a wrapper object declines.
 */
export function items<T>(v: Json, key: string, older: string, read: (item: unknown) => T): T[] {
  const list = v[key];
  if (Array.isArray(list)) return list.map(read);
  return absent(list) && absent(v[older]) ? [] : decline();
}

/**
 * A string list (`names` in decoders.ts). An array of strings is returned itself rather than copied: the tree is
 * discarded after decoding, and this saves an array per list. `null` items, which `texts` skips, decline.
 */
export function texts(v: Json, key: string, older: string): string[] {
  const list = v[key];
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') decline();
    return list as string[];
  }
  return absent(list) && absent(v[older]) ? [] : decline();
}

/** The list of a collection root, under the key `rootItems` (loose.ts) tries first: an array, or decline. */
export function rootList(tree: unknown, key: string): readonly unknown[] {
  const list = object(tree)[key];
  if (!Array.isArray(list)) decline();
  return list;
}
