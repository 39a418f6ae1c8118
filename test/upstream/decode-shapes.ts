import fc from 'fast-check';
import { affiliationLists, catalog } from '../../src/emulator/entities/catalog.js';
import { xsDateTime } from '../../src/emulator/entities/dates.js';
import { writeJson } from '../../src/emulator/entities/json.js';
import type { EntitySchema } from '../../src/emulator/entities/schema.js';
import { writeXml } from '../../src/emulator/entities/xml.js';
import type { DecodableEntity } from '../../src/upstream/codec/decode.js';
import type { ResponseModels } from '../../src/upstream/endpoints.js';
import type { RoomMessage, SecurityLogEntry, User } from '../../src/upstream/model.js';

/**
 * Renders canonical values into every historical response shape (openfire-rest-api.md §10): the current plugin's JSON
 * and XML through the emulator's writers, and the 1.7.0, 1.3–1.6 and 1.0–1.2 (Jettison) JSON variants from the same
 * schemas.
 */

type Wire = Record<string, unknown>;

/** Random choices a rendering may take. */
export interface RenderOptions {
  readonly timeZone: string;
  readonly affiliation: 'owners' | 'admins' | 'members' | 'outcasts';
  /** 1.7.0: an empty list written as `null`. */
  readonly nullLists: boolean;
  /** Jettison: the root element kept (`{"user":{…}}`). */
  readonly wrapRoot: boolean;
  /** Jettison: numbers and booleans as strings. */
  readonly stringify: boolean;
  /** Jettison: dates as ISO strings rather than epoch milliseconds. */
  readonly isoDates: boolean;
  /** Jettison: an empty list as an empty element `""` rather than left out. */
  readonly emptyElement: boolean;
}

export const renderOptions: fc.Arbitrary<RenderOptions> = fc.record({
  timeZone: fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
  affiliation: fc.constantFrom('owners' as const, 'admins' as const, 'members' as const, 'outcasts' as const),
  nullLists: fc.boolean(),
  wrapRoot: fc.boolean(),
  stringify: fc.boolean(),
  isoDates: fc.boolean(),
  emptyElement: fc.boolean(),
});

// Canonical → the wire value the plugin serialises, shaped like the emulator handlers build them.
const userWire = (u: User): Wire => ({ ...u, name: u.name ?? '' });
const messageWire = (m: RoomMessage): Wire => ({
  to: m.to,
  from: m.from,
  type: m.type,
  body: m.body,
  delay_stamp: m.delayStamp === null ? null : new Date(m.delayStamp).toISOString(),
  delay_from: m.delayFrom,
});
const logWire = (l: SecurityLogEntry): Wire => ({ ...l, timestamp: l.timestamp / 1000 });

const wires: { readonly [E in DecodableEntity]: (value: ResponseModels[E], options: RenderOptions) => Wire } = {
  users: (v) => ({ users: v.map(userWire) }),
  user: userWire,
  userGroups: (v) => ({ groupnames: v }),
  roster: (v) => ({ rosterItem: v }),
  groups: (v) => ({ groups: v }),
  group: (v) => ({ ...v }),
  chatServices: (v) => ({ chatService: v }),
  chatRooms: (v) => ({ chatRooms: v }),
  chatRoom: (v) => ({ ...v }),
  bulkResults: (v) => ({ ...v }),
  participants: (v) => ({ participants: v }),
  occupants: (v) => ({ occupants: v }),
  messages: (v) => ({ message: v.map(messageWire) }),
  affiliations: (v, o) => ({ [o.affiliation]: v }),
  properties: (v) => ({ property: v }),
  property: (v) => ({ ...v }),
  sessionCounts: (v) => ({ ...v }),
  clustering: (v) => ({ status: v }),
  clusterNodes: (v) => ({ clusterNodes: v }),
  clusterNode: (v) => ({ ...v }),
  sessions: (v) => ({ sessions: v }),
  archive: (v) => ({ ...v }),
  logs: (v) => ({ logs: v.map(logWire) }),
};

const schemaOf = (entity: DecodableEntity, o: RenderOptions): EntitySchema =>
  entity === 'affiliations' ? (affiliationLists[o.affiliation] as EntitySchema) : catalog[entity];

/**
 * 1.7.0: JAXB item names as list keys, `null` fields written out (openfire-rest-api.md §10); bulk results keep their
 * wrapper names.
 */
function jaxbFirst(schema: EntitySchema, value: Wire, o: RenderOptions): Wire {
  const out: Wire = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    const v = value[name] ?? null;
    if (field.kind !== 'list') {
      out[name] = v;
      continue;
    }
    const of = field.of;
    const items = (v ?? []) as Wire[];
    const key = ['success', 'failure', 'other'].includes(field.json) ? field.json : field.item;
    out[key] = items.length === 0 && o.nullLists ? null : items.map((i) => (of === 'string' ? i : jaxbFirst(of, i, o)));
  }
  return out;
}

/** Jettison: one item bare, several as an array, none as an empty element or nothing. */
function pack(items: unknown[], o: RenderOptions): unknown {
  if (items.length === 0) return o.emptyElement ? '' : undefined;
  return items.length === 1 ? items[0] : items;
}

function jettisonScalar(kind: string, v: unknown, o: RenderOptions): unknown {
  if (kind === 'date') return o.isoDates ? xsDateTime(v as number, o.timeZone) : String(v);
  return kind !== 'string' && o.stringify ? String(v) : v;
}

/**
 * 1.0–1.2 (Jettison "mapped" notation, openfire-rest-api.md §10): XML structure with wrappers and `@` attributes, in
 * JSON.
 */
function jettison(schema: EntitySchema, value: Wire, o: RenderOptions): Wire {
  const out: Wire = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    const v = value[name];
    if (v === null || v === undefined) continue;
    if (field.kind !== 'list') {
      out[field.attribute ? `@${name}` : name] = jettisonScalar(field.kind, v, o);
      continue;
    }
    const of = field.of;
    const items = (v as Wire[]).map((i) => (of === 'string' ? i : jettison(of, i, o)));
    const packed = pack(items, o);
    if (packed === undefined) continue;
    if (field.wrapper === undefined) out[field.item] = packed;
    else out[field.wrapper] = items.length === 0 ? packed : { [field.item]: packed };
  }
  return out;
}

export interface Rendered<E extends DecodableEntity> {
  readonly body: string;
  readonly format: 'json' | 'xml';
  readonly expected: ResponseModels[E];
}

export type Shape = <E extends DecodableEntity>(entity: E, value: ResponseModels[E], o: RenderOptions) => Rendered<E>;

const json = (body: unknown) => JSON.stringify(body);

/**
 * 1.3–1.6 (openfire-rest-api.md §10): no `allowPM` (added in 1.9.0) nor occupant `userAddress` (1.3.10); otherwise the
 * current shape.
 */
function pre19<E extends DecodableEntity>(entity: E, value: ResponseModels[E]): ResponseModels[E] {
  const without = (key: string) => (item: object) => ({ ...item, [key]: null });
  const v: unknown = value;
  if (entity === 'chatRoom') return without('allowPM')(v as object) as unknown as ResponseModels[E];
  if (entity === 'chatRooms') return (v as object[]).map(without('allowPM')) as unknown as ResponseModels[E];
  if (entity === 'occupants') return (v as object[]).map(without('userAddress')) as unknown as ResponseModels[E];
  return value;
}

export const shapes: Readonly<Record<string, Shape>> = {
  'current JSON': (entity, value, o) => ({
    body: writeJson(schemaOf(entity, o), wires[entity](value, o)),
    format: 'json',
    expected: value,
  }),
  'current XML in UTC': (entity, value, o) => ({
    body: writeXml(schemaOf(entity, o), wires[entity](value, o), 'UTC'),
    format: 'xml',
    expected: value,
  }),
  'current XML in any time zone': (entity, value, o) => ({
    body: writeXml(schemaOf(entity, o), wires[entity](value, o), o.timeZone),
    format: 'xml',
    expected: value,
  }),
  '1.7.0 JSON': (entity, value, o) => ({
    body: json(jaxbFirst(schemaOf(entity, o), wires[entity](value, o), o)),
    format: 'json',
    expected: value,
  }),
  '1.3–1.6 JSON': (entity, value, o) => {
    const expected = pre19(entity, value);
    return { body: writeJson(schemaOf(entity, o), wires[entity](expected, o)), format: 'json', expected };
  },
  '1.0–1.2 Jettison JSON': (entity, value, o) => {
    const schema = schemaOf(entity, o);
    const inner = jettison(schema, wires[entity](value, o), o);
    const body = o.wrapRoot ? { [schema.root]: Object.keys(inner).length === 0 ? '' : inner } : inner;
    return { body: json(body), format: 'json', expected: value };
  },
};
