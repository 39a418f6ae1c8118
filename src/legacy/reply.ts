import { XMLBuilder } from 'fast-xml-parser';
import type { LegacyErrorName } from './errors.js';

/**
 * The legacy wire format (openfire-rest-api.md §12.5): one element and a `\n`, no XML prolog, HTTP 200, as old clients
 * match it byte for byte or with `^<result>[A-Za-z0-9 ]+</result>$`. Unlike the original, names are escaped and the
 * charset is UTF-8 (openfire-rest-api.md §12.6 items 4 and 12).
 */
const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: false });

const HEADERS = { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' } as const;

/** Characters XML 1.0 cannot carry even escaped. */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export const representable = (text: string): boolean => text.search(NOT_XML) === -1;

/**
 * Text content escaped no further than well-formedness needs, so names the original wrote correctly stay byte for
 * byte the same (`>`, `"` and `'` are left alone); line breaks become references to keep the reply on one line.
 */
const text = (value: string): string =>
  value
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/]]>/g, ']]&gt;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');

const respond = (tree: Record<string, unknown>): Response =>
  new Response(`${builder.build(tree)}\n`, { status: 200, headers: HEADERS });

/** `<result>ok</result>`: lowercase, as the code wrote it (the plugin readme's "OK" is wrong). */
export const okReply = (): Response => respond({ result: 'ok' });

/**
 * `<result><groupname>…</groupname>…</result>`, `<result></result>` when empty. A group made elsewhere could hold a
 * character XML cannot carry; it is sent as U+FFFD.
 */
export const listReply = (names: readonly string[]): Response =>
  respond({ result: names.length === 0 ? '' : { groupname: names.map(text) } });

export const errorReply = (name: LegacyErrorName): Response => respond({ error: name });
