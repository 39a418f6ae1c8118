import { Agent, request } from 'undici';
import { afterAll, afterEach } from 'vitest';
import { demoSeed, emptySeed } from '../../src/emulator/seeds/demo.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';
import type {
  GroupRecord,
  HealthState,
  RoomRecord,
  RosterItemRecord,
  Snapshot,
  UserRecord,
} from '../../src/emulator/store.js';
import { BASE_PATH } from '../../src/upstream/routes.js';
import { defined } from './defined.js';

export const SECRET = 'test-secret-7Hq2';

export const settings = { domain: 'example.org', secret: SECRET, httpAuth: 'secret' } as const;

/**
 * Parsed JSON a test reads along whatever path it asserts on; `expect` checks the values at run time, where a static
 * type would only restate the fixtures.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON under test is read along arbitrary paths and checked by expect() at run time
export type ParsedJson = any;

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = ParsedJson>(): T;
}

export interface CallOptions {
  /** Request body: strings are sent as is, anything else as JSON. */
  body?: unknown;
  /** `undefined` sends no Accept header. */
  accept?: string;
  /** Defaults from the body; `null` sends no Content-Type header. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Defaults to the shared secret; `null` sends no Authorization header. */
  auth?: string | null;
}

const agent = new Agent({ keepAliveTimeout: 10, connections: 16 });

/** A raw HTTP call to an emulator path (relative to the REST base unless it starts with `//`). */
export async function call(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.accept !== undefined) headers.accept = options.accept;
  const auth = options.auth === undefined ? SECRET : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const type =
      options.contentType === undefined
        ? typeof options.body === 'string'
          ? 'application/xml'
          : 'application/json'
        : options.contentType;
    if (type !== null) headers['content-type'] = type;
  } else if (typeof options.contentType === 'string') {
    headers['content-type'] = options.contentType;
  }
  const url = path.startsWith('//') ? `${base}${path.slice(1)}` : `${base}${BASE_PATH}${path}`;
  const res = await request(url, { method: method as 'GET', headers, body, dispatcher: agent });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    json: () => JSON.parse(text),
  };
}

/*
 * Reading and arranging the emulator's state behind the API: tests read `emulator.snapshot()` (a copy) and change the
 * state with `emulator.edit(draft => …)`. These look records up in either.
 */

/** A user of a snapshot or draft. */
export const userIn = (state: Snapshot, username: string): UserRecord | undefined =>
  state.users.find((u) => u.username === username);

/** An item of a user's roster in a snapshot or draft. */
export const rosterItemIn = (state: Snapshot, username: string, jid: string): RosterItemRecord | undefined =>
  state.rosters[username]?.find((i) => i.jid === jid);

/** A group of a snapshot or draft. */
export const groupIn = (state: Snapshot, name: string): GroupRecord | undefined =>
  state.groups.find((g) => g.name === name);

/** A chat service of a snapshot or draft. */
export const serviceIn = (state: Snapshot, serviceName: string): Snapshot['services'][number] | undefined =>
  state.services.find((s) => s.serviceName === serviceName);

/** A chat room of a snapshot or draft. */
export const roomIn = (state: Snapshot, roomName: string, service = 'conference'): RoomRecord | undefined =>
  serviceIn(state, service)?.rooms.find((r) => r.roomName === roomName);

/** A system property's value: `null` for one registered without a value, `undefined` for none. */
export const propertyIn = (state: Snapshot, key: string): string | null | undefined =>
  state.properties.find(([k]) => k === key)?.[1];

/** Sets a system property in a draft, in place when it exists (as the state's Map does). */
export function setProperty(draft: Snapshot, key: string, value: string | null): void {
  const entry = draft.properties.find(([k]) => k === key);
  if (entry) entry[1] = value;
  else draft.properties.push([key, value]);
}

/** Adds a record to a draft's list, or replaces the one with the same key in its place (as the state's Maps do). */
function put<T>(list: T[], record: T, same: (existing: T) => boolean): void {
  const index = list.findIndex(same);
  if (index === -1) list.push(record);
  else list[index] = record;
}

/** Puts a room into a draft's chat service, e.g. one with occupants or history the API cannot create. */
export function putRoom(draft: Snapshot, room: RoomRecord, service = 'conference'): void {
  const { rooms } = defined(serviceIn(draft, service), `chat service "${service}"`);
  put(rooms, room, (r) => r.roomName === room.roomName);
}

/** Puts a group into a draft; what is not given is empty (no description, members, admins or properties). */
export function putGroup(draft: Snapshot, group: Pick<GroupRecord, 'name'> & Partial<GroupRecord>): void {
  const record: GroupRecord = { description: null, members: [], admins: [], properties: {}, ...group };
  put(draft.groups, record, (g) => g.name === group.name);
}

/** Sets what the health checks report (openfire-rest-api.md §5.10), e.g. `{ deadlock: true }`. */
export function setHealth(emulator: Emulator, health: Partial<HealthState>): void {
  emulator.edit((draft) => {
    Object.assign(draft.health, health);
  });
}

/** A chat room the emulator holds, as a copy (to check it behind the API). */
export function storedRoom(emulator: Emulator, roomName: string, service = 'conference'): RoomRecord {
  return defined(roomIn(emulator.snapshot(), roomName, service), `room "${roomName}" in chat service "${service}"`);
}

/** Changes a chat room behind the API (occupants, history, an affiliation the API would refuse, …). */
export function editRoom(
  emulator: Emulator,
  roomName: string,
  change: (room: RoomRecord) => void,
  service = 'conference',
): void {
  emulator.edit((draft) =>
    change(defined(roomIn(draft, roomName, service), `room "${roomName}" in chat service "${service}"`)),
  );
}

/** Changes a group behind the API. */
export function editGroup(emulator: Emulator, name: string, change: (group: GroupRecord) => void): void {
  emulator.edit((draft) => change(defined(groupIn(draft, name), `group "${name}"`)));
}

export interface TestEmulator {
  /** Resolves once the emulator listens. */
  readonly ready: Promise<Emulator>;
  /** Calls the REST API with the shared secret unless told otherwise. */
  api(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
}

/**
 * Starts an emulator on 127.0.0.1 for the current test file (demo data unless `seed` says otherwise), resets its
 * state after every test and closes it after the file.
 */
export function useEmulator(
  options: Partial<Omit<EmulatorOptions, 'seed'>> & { seed?: Snapshot | 'demo' | 'empty' } = {},
): TestEmulator {
  const seed =
    options.seed === undefined || options.seed === 'demo'
      ? demoSeed(settings)
      : options.seed === 'empty'
        ? emptySeed(settings)
        : options.seed;
  const ready = startEmulator({ timeZone: 'UTC', control: true, ...options, seed });
  afterEach(async () => {
    const e = await ready;
    // load, not reset: a test may have replaced the seed through PUT /__emulator/state.
    e.load(seed);
    e.stats.reset();
    e.faults.clear();
  });
  afterAll(async () => (await ready).close());
  return {
    ready,
    async api(method, path, callOptions) {
      const e = await ready;
      return call(e.url, method, path, callOptions);
    },
  };
}
