/**
 * JID handling as Openfire/Tinder does it, shared by the emulator and the gateway's legacy endpoint: nodeprep is
 * NFKC + lowercase + the prohibited characters of RFC 6122 Appendix A (not full stringprep); domains are lowercased
 * and must not contain spaces or `@/`.
 */
export class InvalidJidError extends Error {}

/** U+0000–U+001F and U+007F as RegExp-source escapes, so that no regex literal spells out a control character. */
const ASCII_CONTROLS = String.raw`\u0000-\u001f\u007f`;
/** `\p{Cc}` is exactly U+0000–U+001F and U+007F–U+009F (a set Unicode's stability policy keeps fixed). */
const PROHIBITED_NODE = /[\s"&'/:<>@\p{Cc}\ufff9-\ufffd]/u;
const PROHIBITED_DOMAIN = new RegExp(String.raw`[\s"&'/:<>@\\${ASCII_CONTROLS}]`, 'u');
const encoder = new TextEncoder();

/** `JID.nodeprep`: lowercase, NFKC, prohibited characters rejected. */
export function nodeprep(node: string): string {
  const prepped = node.normalize('NFKC').toLowerCase();
  if (PROHIBITED_NODE.test(prepped) || encoder.encode(prepped).length > 1023) {
    throw new InvalidJidError(`Illegal node: ${node}`);
  }
  return prepped;
}

function domainprep(domain: string): string {
  const prepped = domain.normalize('NFKC').toLowerCase();
  if (prepped === '' || PROHIBITED_DOMAIN.test(prepped) || encoder.encode(prepped).length > 1023) {
    throw new InvalidJidError(`Illegal domain: ${domain}`);
  }
  return prepped;
}

export interface Jid {
  readonly node: string | null;
  readonly domain: string;
  readonly resource: string | null;
}

/** `new JID(value)`: a value without `@` is a domain-only JID (so `jane` is the domain `jane`). */
export function parseJid(value: string): Jid {
  const slash = value.indexOf('/');
  const beforeResource = slash === -1 ? value : value.slice(0, slash);
  const resource = slash === -1 ? null : value.slice(slash + 1);
  const at = beforeResource.indexOf('@');
  const node = at === -1 ? null : nodeprep(beforeResource.slice(0, at));
  const domain = domainprep(at === -1 ? beforeResource : beforeResource.slice(at + 1));
  if (node === '' || resource === '') throw new InvalidJidError(`Illegal JID: ${value}`);
  return { node, domain, resource };
}

export function bare(jid: Jid): string {
  return jid.node === null ? jid.domain : `${jid.node}@${jid.domain}`;
}

export function full(jid: Jid): string {
  return jid.resource === null ? bare(jid) : `${bare(jid)}/${jid.resource}`;
}

/** The bare JID of a local user (`XMPPServer.createJID(username, null)`). */
export function localJid(username: string, domain: string): string {
  return `${nodeprep(username)}@${domain}`;
}

/** A group member/admin value: with `@` a JID as given, else a local user (openfire-rest-api.md §7.6). */
export function memberJid(value: string, domain: string): string {
  return value.includes('@') ? bare(parseJid(value)) : localJid(value, domain);
}

const escapes: Record<string, string> = {
  ' ': '\\20',
  '"': '\\22',
  '&': '\\26',
  "'": '\\27',
  '/': '\\2f',
  ':': '\\3a',
  '<': '\\3c',
  '>': '\\3e',
  '@': '\\40',
};
const ESCAPE_SEQUENCE = /^\\(20|22|26|27|2f|3a|3c|3e|40|5c)/i;

/** `JID.escapeNode` (XEP-0106); whitespace becomes `\20`, a `\` that would start a sequence becomes `\5c`. */
export function escapeNode(node: string): string {
  let out = '';
  for (let i = 0; i < node.length; i++) {
    const c = node.charAt(i);
    if (/\s/.test(c)) out += '\\20';
    else if (escapes[c] !== undefined) out += escapes[c];
    else if (c === '\\' && ESCAPE_SEQUENCE.test(node.slice(i))) out += '\\5c';
    else out += c;
  }
  return out;
}

/** Java `String.trim()`: strips code points up to U+0020, not Unicode whitespace. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/**
 * The legacy userservice's username: trim → lowercase → XEP-0106 escape → nodeprep (openfire-rest-api.md §12.3).
 * JavaScript's lowercase is locale-independent, so there is no Turkish-i surprise (openfire-rest-api.md §12.6 item 7).
 * Throws {@link InvalidJidError}.
 */
export function legacyUsername(raw: string): string {
  return nodeprep(escapeNode(javaTrim(raw).toLowerCase()));
}

/** The username behind a bare or full JID of the local domain; `null` for remote or domain-only JIDs. */
export function localUsername(jid: string, domain: string): string | null {
  const slash = jid.indexOf('/');
  const bareJid = (slash === -1 ? jid : jid.slice(0, slash)).toLowerCase();
  const at = bareJid.indexOf('@');
  return at > 0 && bareJid.slice(at + 1) === domain.toLowerCase() ? bareJid.slice(0, at) : null;
}
