/**
 * The control plane's simulated-client calls (`/__emulator/sessions`, `/__emulator/occupants`): JSON bodies checked
 * field by field, then the client operations of clients.ts.
 */
import { full, InvalidJidError, parseJid } from '../xmpp/jid.js';
import {
  ClientError,
  changePresence,
  clientRoom,
  clientUser,
  closeSession,
  findSession,
  freeResource,
  joinRoom,
  leaveRoom,
  OCCUPANT_ROLES,
  type OccupantRole,
  openSession,
  PRESENCE_STATUSES,
  type Presence,
  type PresenceStatus,
} from './clients.js';
import type { ControlResponse } from './control.js';
import { session as sessionEntity } from './entities/catalog.js';
import { writeJson } from './entities/json.js';
import { occupantEntity } from './handlers/room-occupants.js';
import type { Store } from './store.js';

type Body = Readonly<Record<string, unknown>>;

const SESSIONS = 'sessions';
const OCCUPANTS = 'occupants';

/** Whether a control path (after `/__emulator/`) is one of the simulated-client calls. */
export const isClientPath = (name: string): boolean =>
  name === SESSIONS || name.startsWith(`${SESSIONS}/`) || name === OCCUPANTS;

function readBody(raw: string, known: readonly string[]): Body {
  let body: unknown;
  try {
    body = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw new ClientError(400, 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientError(400, 'the body must be a JSON object');
  }
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) throw new ClientError(400, `unknown field "${key}" (expected ${known.join(', ')})`);
  }
  return body as Body;
}

function optionalText(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ClientError(400, `"${name}" must be a non-empty string`);
  return value;
}

function requiredText(body: Body, name: string): string {
  const value = optionalText(body, name);
  if (value === undefined) throw new ClientError(400, `"${name}" is required`);
  return value;
}

function oneOf<T extends string>(body: Body, name: string, allowed: readonly T[]): T | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new ClientError(400, `"${name}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return value as T;
}

/** The presence fields given in a body. */
function presenceOf(body: Body): Partial<Presence> {
  const presence: Partial<Presence> = {};
  const status = oneOf<PresenceStatus>(body, 'presenceStatus', PRESENCE_STATUSES);
  if (status !== undefined) presence.presenceStatus = status;
  const message = body.presenceMessage;
  if (message !== undefined) {
    if (message !== null && typeof message !== 'string') {
      throw new ClientError(400, '"presenceMessage" must be a string or null');
    }
    presence.presenceMessage = message;
  }
  const priority = body.priority;
  if (priority !== undefined) {
    if (!Number.isInteger(priority) || (priority as number) < -128 || (priority as number) > 127) {
      throw new ClientError(400, '"priority" must be an integer from -128 to 127');
    }
    presence.priority = priority as number;
  }
  return presence;
}

/** A user's JID (bare or full), normalised as Openfire would store it. */
function userJid(name: string, value: string): string {
  try {
    const jid = parseJid(value);
    if (jid.node !== null) return full(jid);
  } catch (error) {
    if (!(error instanceof InvalidJidError)) throw error;
  }
  throw new ClientError(400, `"${name}" must be a user's JID such as jane@example.org/phone, got "${value}"`);
}

const PRESENCE_FIELDS = ['presenceStatus', 'presenceMessage', 'priority'];

function login(store: Store, raw: string, now: number): ControlResponse {
  const body = readBody(raw, ['username', 'resource', ...PRESENCE_FIELDS]);
  const username = requiredText(body, 'username');
  const resource = optionalText(body, 'resource');
  const presence: Presence = { presenceStatus: 'Online', presenceMessage: null, priority: 0, ...presenceOf(body) };
  const user = clientUser(store, username);
  const session = openSession(store, user, resource ?? freeResource(store, user.username), presence, now);
  return { status: 201, body: { sessionId: session.sessionId } };
}

function presence(store: Store, sessionId: string, raw: string, now: number): ControlResponse {
  const change = presenceOf(readBody(raw, PRESENCE_FIELDS));
  const session = findSession(store, sessionId);
  changePresence(session, change, now);
  // The session as GET /sessions lists it in JSON (nulls left out).
  return { status: 200, body: JSON.parse(writeJson(sessionEntity, { ...session })) };
}

function join(store: Store, raw: string): ControlResponse {
  const body = readBody(raw, ['service', 'room', 'jid', 'nickname', 'role']);
  const service = optionalText(body, 'service') ?? 'conference';
  const roomName = requiredText(body, 'room');
  const userAddress = userJid('jid', requiredText(body, 'jid'));
  const nickname = requiredText(body, 'nickname');
  const role = oneOf<OccupantRole>(body, 'role', OCCUPANT_ROLES) ?? 'participant';
  const ref = clientRoom(store, service, roomName);
  const occupant = { nickname, userAddress, role };
  joinRoom(ref, occupant);
  return { status: 201, body: occupantEntity(store, ref, occupant) };
}

/** Who leaves: an occupant by nickname or a JID's occupants, never both. */
function leaver(nickname: string | undefined, jid: string | undefined): { nickname: string } | { jid: string } {
  if (nickname !== undefined && jid === undefined) return { nickname };
  if (jid !== undefined && nickname === undefined) return { jid: userJid('jid', jid) };
  throw new ClientError(400, 'give exactly one of "nickname" and "jid"');
}

function leave(store: Store, raw: string): ControlResponse {
  const body = readBody(raw, ['service', 'room', 'nickname', 'jid']);
  const service = optionalText(body, 'service') ?? 'conference';
  const roomName = requiredText(body, 'room');
  const who = leaver(optionalText(body, 'nickname'), optionalText(body, 'jid'));
  leaveRoom(clientRoom(store, service, roomName), who);
  return { status: 204 };
}

function logout(store: Store, sessionId: string): ControlResponse {
  closeSession(store, findSession(store, sessionId));
  return { status: 204 };
}

/** The call for a method and path name, or `null` when there is none. */
function route(method: string, name: string, raw: string, store: Store, now: number): ControlResponse | null {
  if (name === SESSIONS) return method === 'POST' ? login(store, raw, now) : null;
  if (name === OCCUPANTS) {
    if (method === 'POST') return join(store, raw);
    return method === 'DELETE' ? leave(store, raw) : null;
  }
  const sessionId = name.slice(SESSIONS.length + 1);
  if (method === 'PATCH') return presence(store, sessionId, raw, now);
  return method === 'DELETE' ? logout(store, sessionId) : null;
}

/**
 * Answers a simulated-client call; `name` is the path after `/__emulator/` (a session id is the rest of the path,
 * already URL-decoded). Throws ClientError when the call is refused.
 */
export function clientControl(method: string, name: string, raw: string, store: Store, now: number): ControlResponse {
  const result = route(method, name, raw, store, now);
  if (result === null) return { status: 404, body: { error: `no control endpoint ${method} /__emulator/${name}` } };
  store.changed();
  return result;
}
