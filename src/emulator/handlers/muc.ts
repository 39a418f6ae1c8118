/**
 * MUC plumbing shared by the chat service, room, occupant and affiliation resources (openfire-rest-api.md §7.7–§7.9):
 * service and room lookup, `checkAndGetJID` and group JIDs, Openfire's affiliation rules, invitations and the
 * `chatRoom` entity.
 */
import { createHash } from 'node:crypto';
import { bare, full, type Jid, localJid, nodeprep, parseJid } from '../../xmpp/jid.js';
import { notFound, UnmappedError } from '../errors.js';
import { stringQuery } from '../http/params.js';
import type { EmuRequest } from '../http/types.js';
import type { Affiliation, ChatServiceRecord, RoomRecord, State, Store } from '../store.js';
import { jidOrUnmapped } from './lookup.js';

export const AFFILIATIONS: readonly Affiliation[] = ['owner', 'admin', 'member', 'outcast'];

export const serviceParam = (req: EmuRequest): string => stringQuery(req, 'servicename', 'conference');

/** `servicename` is looked up case-insensitively, an exact-case match preferred (openfire-rest-api.md §7.8). */
export function findService(store: Store, name: string): ChatServiceRecord {
  const { services } = store.state;
  const found =
    services.get(name) ?? [...services.values()].find((s) => s.serviceName.toLowerCase() === name.toLowerCase());
  if (!found) throw notFound('MUCServiceNotFoundException', 'Chat service does not exist or is not accessible.', name);
  return found;
}

/**
 * `createMultiUserChatService`: an invalid subdomain fails in Openfire's JID construction, unmapped
 * (openfire-rest-api.md §7.7).
 */
export function createService(
  store: Store,
  name: string,
  description: string | null,
  hidden: boolean,
): ChatServiceRecord {
  if (name === '' || /[@/]/.test(name)) throw new UnmappedError(`Illegal subdomain: ${name}`);
  jidOrUnmapped(() => parseJid(`${name}.${store.domain}`));
  const service: ChatServiceRecord = { serviceName: name, description, hidden, rooms: new Map() };
  store.state.services.set(name, service);
  return service;
}

/** The path `{roomName}` through `JID.nodeprep`; an invalid name is an unmapped 500 (openfire-rest-api.md §7.8). */
export const roomNameParam = (req: EmuRequest): string => jidOrUnmapped(() => nodeprep(req.params.roomName ?? ''));

export interface RoomRef {
  readonly service: ChatServiceRecord;
  readonly room: RoomRecord;
}

/**
 * Service, then room by its node-prepped name, optionally case-insensitively (openfire-rest-api.md §2
 * `case-insensitive-lookup`).
 */
export function lookupRoom(req: EmuRequest, store: Store, name: string): RoomRef {
  const service = findService(store, serviceParam(req));
  const scan = store.property('plugin.restapi.muc.case-insensitive-lookup.enabled')?.toLowerCase() === 'true';
  const scanned = (): RoomRecord | undefined =>
    [...service.rooms.values()].find((r) => r.roomName.toLowerCase() === name);
  const room = service.rooms.get(name) ?? (scan ? scanned() : undefined);
  if (!room) throw notFound('RoomNotFoundException', 'Chat room does not exist or is not accessible.', name);
  return { service, room };
}

// ---- Affiliation targets: individual JIDs and groups

export type Target =
  | { readonly kind: 'jid'; readonly bare: string; readonly full: string }
  | { readonly kind: 'group'; readonly name: string };

const BASE32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

function base32hex(text: string): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    value = ((value << 8) | byte) & 0xfff;
    for (bits += 8; bits >= 5; bits -= 5) out += BASE32HEX[(value >>> (bits - 5)) & 31];
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function fromBase32hex(node: string): string | null {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of node.replace(/=+$/, '').toUpperCase()) {
    const digit = BASE32HEX.indexOf(c);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Openfire's `GroupJID`: base32hex name as node, MD5 of the name as a resource kept even in "bare" form
 * (openfire-rest-api.md §7.9).
 */
export const groupJid = (name: string, domain: string): string => `${base32hex(name)}@${domain}/${md5(name)}`;

/** A parsed JID as an affiliation target; Openfire's group JIDs stand for their group. */
export function jidTarget(jid: Jid): Target {
  const group = jid.node === null || jid.resource === null ? null : fromBase32hex(jid.node);
  if (group !== null && md5(group) === jid.resource) return { kind: 'group', name: group };
  return { kind: 'jid', bare: bare(jid), full: full(jid) };
}

/**
 * `checkAndGetJID`: exactly one `@` → JID; else an existing group; else a local user (openfire-rest-api.md §7.8).
 * Throws InvalidJidError.
 */
export function checkAndGetJID(store: Store, value: string): Target {
  if (value.split('@').length === 2) return jidTarget(parseJid(value));
  if (store.state.groups.has(value)) return { kind: 'group', name: value };
  const jid = localJid(value, store.domain);
  return { kind: 'jid', bare: jid, full: jid };
}

export function affiliationOf(room: RoomRecord, t: Target): Affiliation | undefined {
  return t.kind === 'group' ? room.groupAffiliations[t.name] : room.affiliations[t.bare];
}

/** Openfire's ConflictException (last owner, login restricted to nickname, duplicate affiliations). */
export class RoomConflict extends Error {
  /**
   * Openfire throws most of these without a message, which the bulk result prints as `null`
   * (openfire-rest-api.md §7.8).
   */
  constructor(message: string | null = null) {
    super(message ?? 'null');
  }
}

function setAffiliation(room: RoomRecord, t: Target, affiliation: Affiliation | null): void {
  const map = t.kind === 'group' ? room.groupAffiliations : room.affiliations;
  const key = t.kind === 'group' ? t.name : t.bare;
  // Re-inserted, so a moved entity goes to the end of its new list, as in Openfire's per-affiliation sets.
  delete map[key];
  if (affiliation) map[key] = affiliation;
}

function isSoleOwner(room: RoomRecord, t: Target): boolean {
  const all = [...Object.values(room.affiliations), ...Object.values(room.groupAffiliations)];
  return affiliationOf(room, t) === 'owner' && all.filter((a) => a === 'owner').length === 1;
}

/** `MUCRoom.addOwner/addAdmin/addMember/addOutcast`; one affiliation per entity. Returns whether it changed [of]. */
export function grant(room: RoomRecord, t: Target, affiliation: Affiliation): boolean {
  if (affiliationOf(room, t) === affiliation) return false;
  // The plugin adds members without a nickname.
  if (affiliation === 'member' && room.loginRestrictedToNickname) throw new RoomConflict();
  if (isSoleOwner(room, t)) throw new RoomConflict();
  setAffiliation(room, t, affiliation);
  return true;
}

/** `MUCRoom.addNone`: the last owner cannot go [of]. */
export function revoke(room: RoomRecord, t: Target): void {
  if (isSoleOwner(room, t)) throw new RoomConflict();
  setAffiliation(room, t, null);
}

/** The real JIDs behind a target: a group stands for its members and admins. */
function recipients(state: State, t: Target): string[] {
  if (t.kind === 'jid') return [t.full];
  const group = state.groups.get(t.name);
  return group ? [...group.members, ...group.admins] : [];
}

/** Mediated invitations, recorded in the outbox. */
export function invite(store: Store, targets: readonly Target[], reason: string): void {
  for (const to of targets.flatMap((t) => recipients(store.state, t))) {
    store.state.outbox.push({ kind: 'invitation', to, body: reason, at: Date.now() });
  }
}

/**
 * Invitations to newly affiliated owners, admins and members (openfire-rest-api.md §7.8 step 8; the reason names the
 * room).
 */
export function inviteAffiliated(
  store: Store,
  room: RoomRecord,
  granted: ReadonlyArray<readonly [Target, Affiliation]>,
): void {
  for (const [t, affiliation] of granted) {
    if (affiliation !== 'outcast') invite(store, [t], `You are ${affiliation} of room ${room.roomName}`);
  }
}

// ---- The chatRoom entity

/** Keys (bare JIDs or group names) holding an affiliation, in the order granted. */
export const holders = (map: Record<string, Affiliation>, a: Affiliation): string[] =>
  Object.keys(map).filter((key) => map[key] === a);

/**
 * `convertToMUCRoomEntity`: lists always present, individual affiliations as bare JIDs, groups by name in `*Groups`;
 * `expandGroups` adds group members and admins to the JID lists (deduplicated: our choice, openfire-rest-api.md §7.8
 * leaves it open). The writers pick the schema's fields, so the record's other keys are ignored and null ones omitted.
 */
export function toChatRoom(state: State, room: RoomRecord, expandGroups: boolean): Record<string, unknown> {
  const value: Record<string, unknown> = { ...room };
  for (const a of AFFILIATIONS) {
    const groups = holders(room.groupAffiliations, a);
    const expanded = expandGroups ? groups.flatMap((name) => recipients(state, { kind: 'group', name })) : [];
    value[`${a}s`] = [...new Set([...holders(room.affiliations, a), ...expanded])];
    value[`${a}Groups`] = groups;
  }
  return value;
}
