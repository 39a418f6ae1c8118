import { XMLParser } from 'fast-xml-parser';
import { DecodeError, isRecord } from './loose.js';

/**
 * Item elements that repeat inside a collection root or a list wrapper (openfire-rest-api.md §9), so one item still
 * reads as a list.
 */
const REPEATED = new Set([
  'user',
  'property',
  'group',
  'groupname',
  'rosterItem',
  'admin',
  'member',
  'owner',
  'outcast',
  'ownerGroup',
  'adminGroup',
  'memberGroup',
  'outcastGroup',
  'broadcastPresenceRole',
  'chatService',
  'chatRoom',
  'result',
  'participant',
  'occupant',
  'message',
  'session',
  'clusterNode',
  'log',
  'jid',
]);

/** Items whose name is also a scalar field elsewhere (`<rosterItem><jid>`, `<result><message>`, `<error><message>`). */
const ONLY_UNDER: Readonly<Record<string, string>> = { jid: 'jidsToInvite', message: 'messages' };

function isItem(name: string, jPath: string): boolean {
  const path = jPath.split('.');
  // The root is never a list: `<user>` is one entity even though `user` repeats inside `<users>`.
  if (path.length < 2 || !REPEATED.has(name)) return false;
  const parent = ONLY_UNDER[name];
  return parent === undefined || path[path.length - 2] === parent;
}

// Values stay strings (`<username>007</username>`); attributes get the `@` prefix of the old Jettison JSON
// (openfire-rest-api.md §10); values are not trimmed because JAXB writes them verbatim, and the readers ignore
// whitespace-only text.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name, jPath, _isLeaf, isAttribute) => !isAttribute && isItem(name, String(jPath)),
});

/**
 * Parses an XML body and returns the content of its root element, the same loose tree as wrapper-style JSON: an
 * empty root (`<users/>`) is `{}`. Malformed XML, or anything but exactly one root element, throws {@link DecodeError}.
 */
export function parseXml(text: string): unknown {
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (error) {
    throw new DecodeError(`malformed XML: ${(error as Error).message}`, { cause: error });
  }
  const roots = isRecord(doc) ? Object.keys(doc).filter((key) => key !== '#text') : [];
  const root = roots.length === 1 ? roots[0] : undefined;
  if (root === undefined || !isRecord(doc)) throw new DecodeError('expected exactly one XML root element');
  const content = doc[root];
  return typeof content === 'string' && content.trim() === '' ? {} : content;
}
