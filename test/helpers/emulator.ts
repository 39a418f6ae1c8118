import { Agent, request } from 'undici';
import { afterAll, afterEach } from 'vitest';
import { demoSeed, emptySeed } from '../../src/emulator/seeds/demo.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';
import type { RoomRecord, Snapshot } from '../../src/emulator/store.js';
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

/** A chat room the test's seed holds, straight from the emulator's store (to read or change it behind the API). */
export function storedRoom(emulator: Emulator, roomName: string, service = 'conference'): RoomRecord {
  const { rooms } = defined(emulator.store.state.services.get(service), `chat service "${service}" in the store`);
  return defined(rooms.get(roomName), `room "${roomName}" in chat service "${service}"`);
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
    e.store.load(seed);
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
