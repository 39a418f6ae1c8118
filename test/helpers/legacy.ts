import { Agent, request } from 'undici';
import { afterAll, afterEach } from 'vitest';
import { createApp } from '../../src/app.js';
import { sessionRecord, userRecord } from '../../src/emulator/seeds/builders.js';
import { DEMO_BOOT, demoSeed } from '../../src/emulator/seeds/demo.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import type { Snapshot } from '../../src/emulator/store.js';
import type { LegacyOptions, LegacyOutcome } from '../../src/legacy/endpoint.js';
import { upstreamReporter } from '../../src/observability/upstream.js';
import type { CircuitBreaker } from '../../src/upstream/breaker.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { SECRET, settings } from './emulator.js';
import { sinkLogger } from './log-sink.js';

/** The gateway's `USERSERVICE_SECRET` in tests (the emulator's own REST secret is `SECRET`). */
export const LEGACY_SECRET = 'legacy-s3cret-Zq9';

const jid = (username: string): string => `${username}@${settings.domain}`;

/**
 * Demo data plus what the legacy types act on: groups with members and admins (john is a member of `staff` and an
 * admin of `ops`), a shared group whose display name is `Team` (roster group clashes), a user with properties, and
 * a session of john's (so `disable` can be seen to close it).
 */
export function legacySeed(): Snapshot {
  const demo = demoSeed(settings);
  const group = (name: string, members: string[], admins: string[], showInRoster = 'nobody', displayName = name) => ({
    name,
    description: null,
    members: members.map(jid),
    admins: admins.map(jid),
    properties: {
      'sharedRoster.showInRoster': showInRoster,
      'sharedRoster.displayName': displayName,
      'sharedRoster.groupList': '',
    },
  });
  const carol = userRecord('carol', 'Carol', 'carol@example.com', 'pw', DEMO_BOOT);
  carol.properties = { department: 'sales', 'console.order': '1' };
  return {
    ...demo,
    users: [...demo.users, carol],
    groups: [
      group('ops', ['jane'], ['john']),
      group('sales', ['jane', 'carol'], []),
      group('staff', ['john', 'jane'], ['admin']),
      group('team', ['carol'], [], 'onlyGroup', 'Team'),
    ],
    sessions: [sessionRecord('john', settings.domain, 'phone', DEMO_BOOT)],
  };
}

export interface LegacyReply {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

export interface SendOptions {
  /** GET (parameters in the query) by default; POST sends them as a form body. */
  readonly method?: string;
  readonly path?: string;
  /** The socket's remote address the app is told. */
  readonly peer?: string;
  readonly headers?: Record<string, string>;
}

/** Parameters as an object (encoded with `URLSearchParams`) or a raw, already encoded query/form string. */
export type LegacyParams = Record<string, string> | string;

export interface TestLegacy {
  readonly ready: Promise<Emulator>;
  /** One request to the gateway's legacy endpoint, `secret` not added. */
  send(params: LegacyParams, options?: SendOptions): Promise<LegacyReply>;
  /** The same request to the emulator's own, Openfire-faithful endpoint (`/plugins/restapi/v1/userservice`). */
  openfire(params: LegacyParams, options?: { method?: string }): Promise<LegacyReply>;
  /** What the endpoint reported, one entry per request since the last reset. */
  readonly outcomes: LegacyOutcome[];
  /** The emulator's state as a snapshot (deep copy). */
  state(): Promise<Snapshot>;
  /** Upstream calls since the last reset, by route template. */
  upstreamCalls(): Promise<{ total: number; routes: Record<string, number> }>;
  /** Back to the seed, zero calls, no faults, no outcomes (also done after every test). */
  reset(): Promise<void>;
}

export interface LegacyTestOptions {
  readonly seed?: Snapshot;
  /** Options of the gateway's endpoint; the secret defaults to {@link LEGACY_SECRET}. */
  readonly legacy?: Partial<LegacyOptions>;
  /** The domain the app is told; `null` makes it read `xmpp.domain` from Openfire when needed. */
  readonly domain?: string | null;
  /** A circuit breaker for the gateway's upstream client (none by default). */
  readonly breaker?: CircuitBreaker;
  /** `TRUST_PROXY`: proxies whose `X-Forwarded-For` names the client. */
  readonly trustProxy?: readonly string[];
}

const agent = new Agent({ keepAliveTimeout: 10, connections: 8 });

const encode = (params: LegacyParams): string =>
  typeof params === 'string' ? params : new URLSearchParams(params).toString();

/**
 * The gateway in-process (`app.fetch`) with its legacy endpoint enabled, in front of a loopback emulator seeded with
 * {@link legacySeed}; state, statistics, faults and outcomes are reset after every test.
 */
export function useLegacy(options: LegacyTestOptions = {}): TestLegacy {
  const seed = options.seed ?? legacySeed();
  const outcomes: LegacyOutcome[] = [];
  const ready = startEmulator({ seed, port: 0, timeZone: 'UTC', control: true });
  const app = ready.then((emulator) => {
    const transport = createTransport({ origin: emulator.url });
    afterAll(() => transport.close());
    const logger = sinkLogger();
    const client = createUpstreamClient({
      baseUrl: emulator.url,
      dispatcher: transport,
      credential: { kind: 'secret', secret: SECRET },
      breaker: options.breaker,
      onCall: upstreamReporter({ logger }),
    });
    const legacy = { secret: LEGACY_SECRET, ...options.legacy };
    return createApp({
      client,
      logger,
      auth: { kind: 'passthrough' },
      upstreamUrl: emulator.url,
      listThreshold: 20,
      concurrency: 16,
      domain: options.domain === undefined ? settings.domain : options.domain,
      trustProxy: options.trustProxy,
      legacy: {
        ...legacy,
        onOutcome: (outcome) => {
          outcomes.push(outcome);
          legacy.onOutcome?.(outcome);
        },
      },
    });
  });
  async function reset(): Promise<void> {
    const e = await ready;
    e.load(seed);
    e.stats.reset();
    e.faults.clear();
    outcomes.length = 0;
  }
  afterEach(reset);
  afterAll(async () => (await ready).close());
  return {
    ready,
    outcomes,
    async send(params, sendOptions = {}) {
      const method = sendOptions.method ?? 'GET';
      const encoded = encode(params);
      const path = sendOptions.path ?? '/userservice';
      const isPost = method === 'POST';
      const url = `http://gateway${path}${isPost || encoded === '' ? '' : `?${encoded}`}`;
      const headers: Record<string, string> = {
        ...(isPost && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...sendOptions.headers,
      };
      const res = await (await app).fetch(
        url,
        { method, headers, ...(isPost && { body: encoded }) },
        { req: { socket: { remoteAddress: sendOptions.peer ?? '127.0.0.1' } } },
      );
      return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
    },
    async openfire(params, openfireOptions = {}) {
      const e = await ready;
      const method = openfireOptions.method ?? 'GET';
      const encoded = encode(params);
      const isPost = method === 'POST';
      const url = `${e.url}/plugins/restapi/v1/userservice${isPost ? '' : `?${encoded}`}`;
      const res = await request(url, {
        method: method as 'GET',
        dispatcher: agent,
        ...(isPost && { body: encoded, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      });
      const text = await res.body.text();
      const contentType = res.headers['content-type'];
      return { status: res.statusCode, contentType: typeof contentType === 'string' ? contentType : null, text };
    },
    async state() {
      return (await ready).snapshot();
    },
    async upstreamCalls() {
      return (await ready).stats.toJSON();
    },
    reset,
  };
}
