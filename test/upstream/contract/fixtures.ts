import { randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { sessionRecord } from '../../../src/emulator/seeds/builders.js';
import type { SessionRecord } from '../../../src/emulator/store.js';
import type { UpstreamClient } from '../../../src/upstream/client.js';
import type {
  ChatRoom,
  ChatRoomInput,
  Group,
  GroupInput,
  SystemProperty,
  User,
  UserInput,
} from '../../../src/upstream/model.js';
import type { Target } from './target.js';

/** Lowercase (usernames and room names are node-prepped) and unique per run, so runs on a real server never collide. */
const RUN = `contract-${randomBytes(3).toString('hex')}`;

/** An instant with milliseconds, so date decoding is checked to the millisecond. */
export const STAMP = Date.UTC(2026, 0, 2, 10, 30, 0, 250);

type Kind = 'user' | 'group' | 'room' | 'property';

const removers: Record<Kind, (client: UpstreamClient, name: string) => Promise<unknown>> = {
  user: (client, username) => client.call('DELETE /users/{username}', { path: { username } }),
  group: (client, groupName) => client.call('DELETE /groups/{groupName}', { path: { groupName } }),
  room: (client, roomName) => client.call('DELETE /chatrooms/{roomName}', { path: { roomName } }),
  property: (client, propertyKey) => client.call('DELETE /system/properties/{propertyKey}', { path: { propertyKey } }),
};

/** A chat room's boolean settings, as the REST API names them. */
export const FLAGS = [
  'persistent',
  'publicRoom',
  'registrationEnabled',
  'canAnyoneDiscoverJID',
  'canOccupantsChangeSubject',
  'canOccupantsInvite',
  'canChangeNickname',
  'logEnabled',
  'loginRestrictedToNickname',
  'membersOnly',
  'moderated',
] as const;

/**
 * A public persistent room as an admin would configure it; Openfire takes absent booleans as false
 * (openfire-rest-api.md §7.8).
 */
export const ROOM = {
  naturalName: 'Contract room',
  description: 'Made by the contract suite',
  maxUsers: 30,
  persistent: true,
  publicRoom: true,
  canChangeNickname: true,
  logEnabled: true,
  broadcastPresenceRoles: ['moderator', 'participant', 'visitor'],
  creationDate: STAMP,
  modificationDate: STAMP + 1,
} as const satisfies Partial<ChatRoomInput>;

/** How the server reports a room written from `input`: absent booleans false, absent lists empty, owner admin. */
export function roomModel(input: ChatRoomInput, domain: string): ChatRoom {
  const flags = Object.fromEntries(FLAGS.map((flag) => [flag, input[flag] ?? false])) as Record<
    (typeof FLAGS)[number],
    boolean
  >;
  return {
    roomName: input.roomName,
    naturalName: input.naturalName ?? null,
    description: input.description ?? null,
    password: input.password ?? null,
    subject: input.subject ?? null,
    creationDate: input.creationDate ?? null,
    modificationDate: input.modificationDate ?? null,
    maxUsers: input.maxUsers ?? 0,
    ...flags,
    broadcastPresenceRoles: input.broadcastPresenceRoles ?? [],
    owners: input.owners?.length ? input.owners : [`admin@${domain}`],
    admins: input.admins ?? [],
    members: input.members ?? [],
    outcasts: input.outcasts ?? [],
    ownerGroups: input.ownerGroups ?? [],
    adminGroups: input.adminGroups ?? [],
    memberGroups: input.memberGroups ?? [],
    outcastGroups: input.outcastGroups ?? [],
    allowPM: input.allowPM ?? 'anyone',
  };
}

/** A client session for the emulator's state: only a live login creates one on a real server. */
export function sessionFor(target: Target, username: string, resource: string, overrides: Partial<SessionRecord> = {}) {
  const defaults = { presenceMessage: 'At my desk', lastActionDate: STAMP + 1500 };
  return sessionRecord(username, target.domain, resource, STAMP, { ...defaults, ...overrides });
}

export interface Fixtures {
  /** A unique name, for things that must not exist or as a prefix. */
  name(label: string): string;
  /** A unique name whose thing, if a test creates it, is deleted after the test. */
  fresh(kind: Kind): string;
  /** Runs after the test, newest first; failures are ignored (cleanup is best effort). */
  defer(undo: () => Promise<unknown>): void;
  /** Creates a user (John Doe unless told otherwise) and returns it as the server reports it. */
  user(input?: Partial<UserInput>): Promise<User>;
  group(input?: Partial<GroupInput>): Promise<Group>;
  room(input?: Partial<ChatRoomInput>): Promise<ChatRoom>;
  property(value?: string): Promise<SystemProperty>;
}

/**
 * Test data made through the API itself (so the suite also runs against a real server), under unique names, and
 * removed after each test. Fixtures use the target's admin client, so only the calls under test count as coverage.
 */
export function useFixtures(target: Target): Fixtures {
  let counter = 0;
  let pending: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    const undo = pending.reverse();
    pending = [];
    for (const step of undo) await step().catch(() => undefined);
  });

  /** The given name or a fresh one; either way what is made under it is removed after the test. */
  const claim = (kind: Kind, given?: string): string => {
    const name = given ?? fx.name(kind);
    fx.defer(() => removers[kind](target.admin, name));
    return name;
  };
  const fx: Fixtures = {
    name: (label) => `${RUN}-${label}${++counter}`,
    fresh: (kind) => claim(kind),
    defer: (undo) => void pending.push(undo),
    async user(input = {}) {
      const username = claim('user', input.username);
      const body = { password: 'contract-pw', name: 'John Doe', email: `${username}@example.com`, ...input, username };
      await target.admin.call('POST /users', { body });
      return { username, name: body.name ?? null, email: body.email ?? null, properties: body.properties ?? [] };
    },
    async group(input = {}) {
      const name = claim('group', input.name);
      const body = { description: 'Contract group', admins: [], members: [], shared: false, ...input, name };
      await target.admin.call('POST /groups', { body });
      return { ...body, description: body.description ?? null };
    },
    async room(input = {}) {
      const roomName = claim('room', input.roomName);
      const body = { ...ROOM, ...input, roomName };
      await target.admin.call('POST /chatrooms', { body });
      return roomModel(body, target.domain);
    },
    async property(value = 'contract value') {
      const key = claim('property');
      await target.admin.call('POST /system/properties', { body: { key, value } });
      return { key, value };
    },
  };
  return fx;
}
