import type { Role } from '../request/caller.js';

/**
 * A claim by name, or by a dotted path into nested objects (`realm_access.roles`). A claim whose own name holds
 * dots (`https://example.com/roles`, as Auth0 namespaces them) is found under that name first.
 */
export function claimAt(payload: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A roles claim: a list of strings, or one string of space-separated names (as `scope` is). */
export function rolesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((role) => role !== '');
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}

export interface RoleNames {
  readonly adminRole: string;
  readonly readRole: string;
}

/** The admin role wins over the read role; neither makes an end user. */
export function roleOf(roles: readonly string[], names: RoleNames): Role {
  if (roles.includes(names.adminRole)) return 'admin';
  if (roles.includes(names.readRole)) return 'read';
  return 'user';
}

/** Why a username claim gives no Openfire username. */
export type UsernameRefusal = 'missing username claim' | 'username of another domain' | 'invalid username';

export interface UsernameRules {
  /** JID nodeprep (lower case, NFKC, prohibited characters refused): src/xmpp/jid.ts's, handed in. */
  readonly nodeprep: (node: string) => string;
  /** Openfire's XMPP domain, asked only for a value that is a JID. */
  readonly domain: () => Promise<string>;
}

/**
 * The Openfire username a claim names: a username as is, or a bare JID of Openfire's own domain (its local part);
 * nodeprep'd, so lower case. A JID of another domain, a full JID and anything nodeprep refuses are refused.
 */
export async function usernameFrom(
  value: unknown,
  rules: UsernameRules,
): Promise<{ username: string } | { refusal: UsernameRefusal }> {
  if (typeof value !== 'string' || value === '') return { refusal: 'missing username claim' };
  let node = value;
  const at = value.indexOf('@');
  if (at !== -1) {
    const domain = value.slice(at + 1);
    if (/[@/]/.test(domain) || domain === '') return { refusal: 'invalid username' };
    if (domain.toLowerCase() !== (await rules.domain()).toLowerCase()) return { refusal: 'username of another domain' };
    node = value.slice(0, at);
  }
  try {
    const username = rules.nodeprep(node);
    return username === '' ? { refusal: 'invalid username' } : { username };
  } catch {
    return { refusal: 'invalid username' };
  }
}
