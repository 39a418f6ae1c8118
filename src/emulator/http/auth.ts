import type { IncomingHttpHeaders } from 'node:http';
import { BASE_PATH } from '../../upstream/routes.js';
import { InvalidJidError, nodeprep } from '../../xmpp/jid.js';
import { UnmappedError } from '../errors.js';
import type { Store } from '../store.js';

/**
 * `AuthFilter`, a pre-matching filter: it runs before routing (so unknown paths without credentials get 401) and
 * reads its settings from the system properties, which REST calls can change at runtime (openfire-rest-api.md §2, §3).
 */
export type AuthOutcome = 'pass' | 401 | 403;

const LIVENESS = `${BASE_PATH}/system/liveness`;
const READINESS = `${BASE_PATH}/system/readiness`;

function isHealthPath(path: string): boolean {
  return [LIVENESS, READINESS].some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Client address as the plugin sees it: the first of three spoofable headers, else the socket (openfire-rest-api.md §3
 * step 6).
 */
export function pluginClientIp(headers: IncomingHttpHeaders, remoteAddress: string): string {
  for (const name of ['x-forwarded-for', 'x_forwarded_for', 'x-forward-for']) {
    const value = headers[name];
    if (typeof value === 'string') return value;
  }
  return remoteAddress;
}

export function allowlist(store: Store): string[] {
  return (store.property('plugin.restapi.allowedIPs') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isAdmin(store: Store, username: string): boolean {
  let node: string;
  try {
    node = nodeprep(username);
  } catch (error) {
    // AdminManager.isUserAdmin builds a JID and throws for invalid nodes: an unmapped 500, not a 401
    // (openfire-rest-api.md §3 step 8).
    if (error instanceof InvalidJidError) throw new UnmappedError(error.message);
    throw error;
  }
  const admins = (store.property('admin.authorizedJIDs') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (admins.length === 0) return node === 'admin';
  return admins.includes(`${node}@${store.domain}`);
}

function basicCredentials(header: string): [string, string] | null {
  // The plugin strips the first `Basic `/`basic ` and decodes leniently.
  const encoded = header.replace(/[B|b]asic /, '');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (decoded === '' || colon === -1) return null;
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

export function authenticate(
  store: Store,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  remoteAddress: string,
): AuthOutcome {
  if (path === `${BASE_PATH}/openapi.yaml` || isHealthPath(path)) return 'pass';
  if (store.property('plugin.restapi.enabled') !== 'true') return 403;
  if (method === 'OPTIONS') return 'pass';
  // Upstream this is a substring test on the decoded path (openfire-rest-api.md §12.6 item 11); reproduced as is.
  if (path.includes('restapi/v1/userservice')) return 'pass';
  const allowed = allowlist(store);
  if (allowed.length > 0 && !allowed.includes(pluginClientIp(headers, remoteAddress))) return 401;
  const authorization = headers.authorization;
  if (authorization === undefined) return 401;
  if ((store.property('plugin.restapi.httpAuth') ?? 'basic') === 'basic') {
    const credentials = basicCredentials(authorization);
    if (!credentials) return 401;
    const [username, password] = credentials;
    if (!isAdmin(store, username)) return 401;
    const user = store.state.users.get(nodeprep(username));
    return user !== undefined && user.password === password ? 'pass' : 401;
  }
  return authorization === (store.property('plugin.restapi.secret') ?? '') ? 'pass' : 401;
}
