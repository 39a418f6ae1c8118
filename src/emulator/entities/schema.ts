/**
 * A small declarative description of the plugin's JAXB/Jackson entities: one description drives the XML writer,
 * the JSON writer and both readers, so element order, list wrappers and JSON keys live in one place
 * (openfire-rest-api.md §4.4, §4.5, §9).
 */
export type Scalar = 'string' | 'int' | 'long' | 'boolean' | 'date';

export interface ScalarField {
  readonly kind: Scalar;
  /** Written as an XML attribute (`<property key=".." value=".."/>`). */
  readonly attribute?: boolean;
}

export interface ListField {
  readonly kind: 'list';
  /** XML wrapper element; absent for a collection root whose items sit directly under the root. */
  readonly wrapper?: string;
  /** XML item element name. */
  readonly item: string;
  /** JSON key (Jackson uses `@JsonProperty` or the JAXB item name, hence singular keys like `rosterItem`). */
  readonly json: string;
  readonly of: 'string' | EntitySchema;
}

export type Field = ScalarField | ListField;

export interface EntitySchema {
  /** XML root element. */
  readonly root: string;
  /** Java class, used in Jackson's error messages. */
  readonly javaClass: string;
  /** Fields in JSON order (Jackson: propOrder or field declaration order). */
  readonly fields: Readonly<Record<string, Field>>;
  /** XML order when it differs from the JSON order (getter-based JAXB entities come out alphabetically). */
  readonly xmlOrder?: readonly string[];
}

export const str: ScalarField = { kind: 'string' };
export const int: ScalarField = { kind: 'int' };
export const long: ScalarField = { kind: 'long' };
export const bool: ScalarField = { kind: 'boolean' };
export const date: ScalarField = { kind: 'date' };
export const attr: ScalarField = { kind: 'string', attribute: true };

export function strings(wrapper: string, item: string, json = wrapper): ListField {
  return { kind: 'list', wrapper, item, json, of: 'string' };
}

export function entities(of: EntitySchema, item: string, json: string, wrapper?: string): ListField {
  return wrapper === undefined ? { kind: 'list', item, json, of } : { kind: 'list', wrapper, item, json, of };
}

/** A collection root such as `<users><user/>…</users>` / `{"users":[…]}`. */
export function collection(root: string, item: EntitySchema, json: string, javaClass: string): EntitySchema {
  return { root, javaClass, fields: { [json]: entities(item, item.root, json) } };
}

export function xmlFieldOrder(schema: EntitySchema): readonly string[] {
  return schema.xmlOrder ?? Object.keys(schema.fields);
}
