/** JAX-RS content negotiation as the plugin experiences it (openfire-rest-api.md §4.2, §4.3). */
export type Format = 'xml' | 'json';

export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  /** The range as the client wrote it, parameters included (minus q). */
  readonly raw: string;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [];
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mediaType = '', ...params] = part.split(';').map((s) => s.trim());
    const [type = '', subtype = '*'] = mediaType.toLowerCase().split('/');
    if (type === '') continue;
    let q = 1;
    const kept: string[] = [];
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((s) => s.trim());
      if (name.toLowerCase() === 'q') q = Number.parseFloat(value) || 0;
      else kept.push(param);
    }
    ranges.push({ type, subtype, q, raw: [mediaType, ...kept].join(';') });
  }
  return ranges;
}

function formatOf(type: string, subtype: string): Format | null {
  if ((type === 'application' || type === 'text') && (subtype === 'xml' || subtype.endsWith('+xml'))) return 'xml';
  if (type === 'application' && (subtype === 'json' || subtype.endsWith('+json'))) return 'json';
  return null;
}

function matches(range: MediaRange, type: string, subtype: string): boolean {
  return (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype);
}

/**
 * Picks the entity format for a success response of an endpoint producing `application/xml` and `application/json`,
 * as Jersey does: acceptable ranges by quality then specificity, the first one that either type satisfies wins, XML
 * first on a wildcard (it is listed first in `@Produces`). `null` means 406.
 */
export function successFormat(accept: string | undefined): Format | null {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'xml';
  const specificity = (r: MediaRange): number => (r.type === '*' ? 0 : 1) + (r.subtype === '*' ? 0 : 1);
  const ordered = ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || specificity(b) - specificity(a));
  for (const range of ordered) {
    if (matches(range, 'application', 'xml')) return 'xml';
    if (matches(range, 'application', 'json')) return 'json';
  }
  return null;
}

export interface ErrorMedia {
  readonly format: Format;
  readonly contentType: string;
}

/**
 * `RESTExceptionMapper`'s odd rule: exactly one acceptable media type that is not `*\/*` wins verbatim, else the
 * request's Content-Type, else XML. `null` means the chosen type cannot be written (an unmapped 500 upstream).
 */
export function errorMedia(accept: string | undefined, contentType: string | undefined): ErrorMedia | null {
  const ranges = parseAccept(accept);
  let chosen: string | undefined;
  const only = ranges.length === 1 ? ranges[0] : undefined;
  if (only && only.type !== '*') chosen = only.raw;
  else if (contentType !== undefined && contentType.trim() !== '') chosen = contentType.trim();
  if (chosen === undefined) return { format: 'xml', contentType: 'application/xml' };
  const [type = '', subtype = ''] = (chosen.split(';')[0] ?? '').trim().toLowerCase().split('/');
  const format = formatOf(type, subtype);
  return format ? { format, contentType: chosen } : null;
}

/** Body media types accepted by `@Consumes({application/xml, application/json})`; `null` means 415. */
export function bodyFormat(contentType: string | undefined): Format | null {
  if (contentType === undefined) return null;
  const [type = '', subtype = ''] = (contentType.split(';')[0] ?? '').trim().toLowerCase().split('/');
  if (type === 'application' && subtype === 'xml') return 'xml';
  if (type === 'application' && subtype === 'json') return 'json';
  return null;
}
