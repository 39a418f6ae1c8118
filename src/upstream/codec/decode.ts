/**
 * Decodes a response body of any plugin version (openfire-rest-api.md §10) and either format into the canonical model.
 * The body is first parsed into one loose tree (JSON as is, XML through `parseXml`), then read by the entity's decoder:
 * for JSON the fast path of canonical.ts first, and when it declines, the tolerant decoders on the same tree.
 */
import type { ResponseEntity, ResponseModels } from '../endpoints.js';
import { decodeCanonical } from './canonical.js';
import * as d from './decoders.js';
import { DecodeError, isRecord, rootItems, texts } from './loose.js';
import { parseXml } from './xml.js';

export { DecodeError } from './loose.js';

/** Entities with a body to decode; vCards, the OpenAPI documents and health checks are handled raw by the client. */
export type DecodableEntity = Exclude<ResponseEntity, 'vcard' | 'yaml' | 'json' | 'status'>;

type Decoder<T> = (tree: unknown) => T;

/**
 * A collection under its current key or its older names: 1.7.0's item name and Jettison's root element, which also
 * serve as wrapper keys (`{"roster":{"rosterItem":[…]}}`, openfire-rest-api.md §10).
 */
const collection =
  <T>(item: Decoder<T>, ...keys: string[]): Decoder<T[]> =>
  (tree) =>
    rootItems(tree, keys).map(item);

const stringCollection =
  (...keys: string[]): Decoder<string[]> =>
  (tree) =>
    texts(rootItems(tree, keys), keys[0] ?? '');

/**
 * A single entity; Jettison may keep its root element (`{"user":{…}}`, `{"results":""}`), dropped here
 * (openfire-rest-api.md §10).
 */
const single =
  <T>(root: string, decode: Decoder<T>): Decoder<T> =>
  (tree) => {
    const only = isRecord(tree) && Object.keys(tree).length === 1 ? tree[root] : undefined;
    if (isRecord(only)) return decode(only);
    return decode(typeof only === 'string' && only.trim() === '' ? {} : tree);
  };

const decoders: { readonly [E in DecodableEntity]: Decoder<ResponseModels[E]> } = {
  users: collection(d.user, 'users', 'user'),
  user: single('user', d.user),
  userGroups: stringCollection('groupnames', 'groupname', 'groups'),
  roster: collection(d.rosterItem, 'rosterItem', 'roster'),
  groups: collection(d.groupSummary, 'groups', 'group'),
  group: single('group', d.group),
  chatServices: collection(d.chatService, 'chatService', 'chatServices'),
  chatRooms: collection(d.chatRoom, 'chatRooms', 'chatRoom'),
  chatRoom: single('chatRoom', d.chatRoom),
  bulkResults: single('results', d.bulkResults),
  participants: collection(d.participant, 'participants', 'participant'),
  occupants: collection(d.occupant, 'occupants', 'occupant'),
  messages: collection(d.roomMessage, 'message', 'messages'),
  // The affiliation is not known here; each list has its own root and item name (openfire-rest-api.md §9.6).
  affiliations: stringCollection('owners', 'owner', 'admins', 'admin', 'members', 'member', 'outcasts', 'outcast'),
  properties: collection(d.systemProperty, 'property', 'properties'),
  property: single('property', d.systemProperty),
  sessionCounts: single('sessions', d.sessionCounts),
  clustering: single('clustering', d.clusteringStatus),
  clusterNodes: collection(d.clusterNode, 'clusterNodes', 'clusterNode'),
  clusterNode: single('clusterNode', d.clusterNode),
  sessions: collection(d.session, 'sessions', 'session'),
  archive: single('archive', d.unreadCount),
  logs: collection(d.securityLogEntry, 'logs', 'log'),
};

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new DecodeError(`malformed JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Decodes `body` as `entity`; a body that is not JSON/XML or not that entity at all throws {@link DecodeError}. */
export function decodeEntity<E extends DecodableEntity>(
  entity: E,
  body: string,
  format: 'json' | 'xml',
): ResponseModels[E] {
  if (format === 'xml') return decodeTolerant(entity, parseXml(body));
  const tree = parseJson(body);
  return decodeCanonical(entity, tree) ?? decodeTolerant(entity, tree);
}

/**
 * Reads a parsed tree of any version and format with the tolerant decoders; throws {@link DecodeError} when it is not
 * that entity.
 */
export function decodeTolerant<E extends DecodableEntity>(entity: E, tree: unknown): ResponseModels[E] {
  try {
    return decoders[entity](tree);
  } catch (error) {
    if (error instanceof DecodeError) throw new DecodeError(`${entity}: ${error.message}`, { cause: error });
    throw error;
  }
}
