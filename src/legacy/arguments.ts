import { bare, InvalidJidError, legacyUsername, parseJid } from '../xmpp/jid.js';
import { LegacyError } from './errors.js';

/**
 * The request's parameters as the legacy operations read them, checked before any upstream call so that bad input
 * never leaves a half-done operation behind.
 */
export interface LegacyParams {
  /** Servlet `getParameter`: the first value, `null` when absent (`name=` is present and empty). */
  get(name: string): string | null;
}

const invalid = (): never => {
  throw new LegacyError('IllegalArgumentException');
};

/** `.` and `..` cannot be REST path segments: they would address another resource (`/users/./roster/x`). */
const isDots = (value: string): boolean => value === '.' || value === '..';

/**
 * openfire-rest-api.md §12.3 normalisation; a value nodeprep refuses is an `IllegalArgumentException` (the original
 * sent the gnu library's exception text, openfire-rest-api.md §12.6 item 4), and so is `.` or `..`, which no REST path
 * can address.
 */
export function normaliseUsername(raw: string): string {
  try {
    const username = legacyUsername(raw);
    return isDots(username) ? invalid() : username;
  } catch (error) {
    if (error instanceof InvalidJidError) return invalid();
    throw error;
  }
}

/** `StringTokenizer(value, ",")`: tokens are not trimmed and empty ones are skipped (openfire-rest-api.md §12.4). */
const tokens = (value: string | null): string[] => (value ?? '').split(',').filter((t) => t !== '');

/**
 * Openfire group names from `groups`, each once. Refused up front, where the original created the user first and
 * then failed (openfire-rest-api.md §12.4 add): a whitespace-only name; and a name with `/`, `.` or `..`, which no REST
 * path could address afterwards (openfire-rest-api.md §4.7).
 */
export function groupNames(value: string | null): string[] {
  const names = [...new Set(tokens(value))];
  if (names.some((name) => name.trim() === '' || name.includes('/') || isDots(name))) invalid();
  return names;
}

/** Personal roster group names from `groups`, as given (any text, repeats kept as Openfire keeps them). */
export const rosterGroups = (value: string | null): string[] => tokens(value);

/**
 * `item_jid` as a bare JID (items are keyed by bare JID, openfire-rest-api.md §7.4); an invalid JID is an
 * `IllegalArgumentException`.
 */
export function itemJid(value: string | null): string {
  try {
    const jid = bare(parseJid(value ?? ''));
    return isDots(jid) ? invalid() : jid;
  } catch (error) {
    if (error instanceof InvalidJidError) return invalid();
    throw error;
  }
}

const SUBSCRIPTIONS = new Map([
  ['-1', -1],
  ['0', 0],
  ['1', 1],
  ['2', 2],
  ['3', 3],
]);

/** `subscription`: exactly one of `-1`…`3` when present (openfire-rest-api.md §12.2 step 7); `null` when absent. */
export function subscription(value: string | null): number | null {
  if (value === null) return null;
  return SUBSCRIPTIONS.get(value) ?? invalid();
}
