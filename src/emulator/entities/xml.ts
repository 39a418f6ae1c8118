import { XMLBuilder, XMLParser, XMLValidator, type XmlBuilderOptions } from 'fast-xml-parser';
import { parseIsoDate, xsDateTime } from './dates.js';
import { type EntitySchema, type Field, type ScalarField, xmlFieldOrder } from './schema.js';

/** JAXB's prolog; every XML entity body starts with it and has no trailing newline (openfire-rest-api.md §4.5). */
export const XML_PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

const ATTR = '@_';

// JAXB escapes only & < > in text; `null` renders as a self-closing element, which is how empty wrappers look.
// `entities` is a builder option its type declarations do not list yet.
const builderOptions: XmlBuilderOptions & { entities: Array<{ regex: RegExp; val: string }> } = {
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  unpairedTags: ['property'],
  suppressUnpairedNode: false,
  processEntities: true,
  entities: [
    { regex: /&/g, val: '&amp;' },
    { regex: />/g, val: '&gt;' },
    { regex: /</g, val: '&lt;' },
  ],
};
const builder = new XMLBuilder(builderOptions);

// Every element is read as an array so a single item and a list look alike; values stay strings.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

function scalarText(field: ScalarField, value: unknown, timeZone: string): string {
  if (field.kind === 'date') return xsDateTime(value as number, timeZone);
  return String(value);
}

function content(schema: EntitySchema, value: Readonly<Record<string, unknown>>, timeZone: string): Node | null {
  const node: Node = {};
  for (const name of xmlFieldOrder(schema)) {
    const field = schema.fields[name] as Field;
    const v = value[name];
    if (v === null || v === undefined) continue;
    if (field.kind !== 'list') {
      node[field.attribute ? ATTR + name : name] = scalarText(field, v, timeZone);
      continue;
    }
    const items = (v as unknown[]).map((item) =>
      field.of === 'string' ? String(item) : content(field.of, item as Record<string, unknown>, timeZone),
    );
    if (field.wrapper === undefined) {
      if (items.length > 0) node[field.item] = items;
    } else {
      node[field.wrapper] = items.length > 0 ? { [field.item]: items } : null;
    }
  }
  return Object.keys(node).length > 0 ? node : null;
}

/** Serialises an entity exactly as JAXB does: prolog, no whitespace, empty wrappers self-closed. */
export function writeXml(schema: EntitySchema, value: Readonly<Record<string, unknown>>, timeZone: string): string {
  return XML_PROLOG + (builder.build({ [schema.root]: content(schema, value, timeZone) }) as string);
}

export class XmlReadError extends Error {}

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const t = (node as Node)['#text'];
    return typeof t === 'string' ? t : '';
  }
  return '';
}

// JAXB reports unparsable numbers/booleans as validation events and carries on with the default value [ambiguous].
function readScalar(field: ScalarField, raw: string): unknown {
  switch (field.kind) {
    case 'string':
      return raw;
    case 'int':
    case 'long': {
      const n = Number.parseInt(raw.trim(), 10);
      return Number.isNaN(n) ? 0 : n;
    }
    case 'boolean':
      return raw.trim() === 'true' || raw.trim() === '1';
    case 'date':
      return parseIsoDate(raw);
  }
}

function readNode(schema: EntitySchema, node: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.kind !== 'list') {
      const raw = field.attribute ? node[ATTR + name] : (node[name] as unknown[] | undefined)?.[0];
      out[name] = raw === undefined ? null : readScalar(field, field.attribute ? String(raw) : text(raw));
      continue;
    }
    let items: unknown[] | undefined;
    if (field.wrapper === undefined) {
      items = node[field.item] as unknown[] | undefined;
    } else {
      const wrapper = (node[field.wrapper] as unknown[] | undefined)?.[0];
      if (wrapper !== undefined)
        items = (typeof wrapper === 'object' ? ((wrapper as Node)[field.item] as unknown[]) : []) ?? [];
    }
    const of = field.of;
    out[name] =
      items === undefined
        ? null
        : items.map((item) =>
            of === 'string' ? text(item) : readNode(of, (typeof item === 'object' ? item : {}) as Node),
          );
  }
  return out;
}

/**
 * Reads a request entity the way JAXB does: element order free, unknown elements ignored; malformed XML, an empty
 * body or the wrong root element throw {@link XmlReadError} (a 400 without entity upstream, openfire-rest-api.md §4.1).
 */
export function readXml(schema: EntitySchema, body: string): Record<string, unknown> {
  if (body.trim() === '' || XMLValidator.validate(body) !== true) throw new XmlReadError('malformed XML');
  const doc = parser.parse(body) as Node;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && k !== '#text');
  if (roots.length !== 1 || roots[0] !== schema.root) throw new XmlReadError(`unexpected root element`);
  const root = (doc[schema.root] as unknown[])[0];
  return readNode(schema, (typeof root === 'object' && root !== null ? root : {}) as Node);
}

/** Checks that a body is well-formed XML (for raw vCards). */
export function isWellFormedXml(body: string): boolean {
  return body.trim() !== '' && XMLValidator.validate(body) === true;
}
