import type { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { showcaseSeed } from '../../../src/emulator/seeds/showcase.js';
import type { Emulator } from '../../../src/emulator/server.js';
import {
  type CallEvent,
  type Credential,
  createUpstreamClient,
  type UpstreamClient,
} from '../../../src/upstream/client.js';
import { createTransport } from '../../../src/upstream/dispatcher.js';
import type { RouteKey } from '../../../src/upstream/routes.js';
import { defined } from '../../helpers/defined.js';
import { SECRET, settings, useEmulator } from '../../helpers/emulator.js';
import type { Fixtures } from './fixtures.js';

export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];

/** The upstream the suite runs against: the emulator, or a real Openfire named by `OPENFIRE_URL`. */
export interface Target {
  /** Known while collecting tests, for tests that only make sense on the emulator. */
  readonly embedded: boolean;
  /** The emulator behind the client, `null` on a real Openfire: data only live traffic creates is seeded here. */
  readonly emulator: Emulator | null;
  /** The server's XMPP domain. */
  readonly domain: string;
  /** A JSON client for fixtures and cleanup; coverage does not count its calls. */
  readonly admin: UpstreamClient;
  /** The client under test for a format; usable while collecting, it connects once the target is ready. */
  client(format: Format): UpstreamClient;
  /** How many calls of a route each format's client has made so far. */
  calls(format: Format, route: RouteKey): number;
  /** The bare JID of a local user. */
  jid(username: string): string;
}

/** What a case file gets: the client of the format under test, the target, the fixtures and `cases`. */
export interface Contract {
  readonly client: UpstreamClient;
  readonly target: Target;
  readonly fx: Fixtures;
  /**
   * The tests of one route, in a `describe` named after it. The route counts as covered while the tests are
   * collected, so the coverage check needs no other test to have run (it works under `-t`); the block itself fails
   * when its tests ran without the client calling the route.
   */
  cases(route: RouteKey, body: () => void): void;
}

/** The routes each format's case blocks declare, filled while the tests are collected. */
export type Declared = Record<Format, Set<RouteKey>>;

export function contractFor(target: Target, format: Format, fx: Fixtures, declared: Declared): Contract {
  return {
    client: target.client(format),
    target,
    fx,
    cases(route, body) {
      declared[format].add(route);
      describe(route, () => {
        let before = 0;
        let ran = 0;
        beforeAll(() => {
          before = target.calls(format, route);
        });
        afterEach(() => {
          ran++;
        });
        body();
        afterAll(() => {
          if (ran > 0) expect(target.calls(format, route), `calls of ${route} by these tests`).toBeGreaterThan(before);
        });
      });
    },
  };
}

interface Connected {
  readonly emulator: Emulator | null;
  readonly domain: string;
  readonly pool: Pool;
  readonly admin: UpstreamClient;
  readonly clients: Record<Format, UpstreamClient>;
}

/**
 * Chooses the upstream from the gateway's own settings (`OPENFIRE_URL` plus `OPENFIRE_SECRET`, or
 * `OPENFIRE_USERNAME` and `OPENFIRE_PASSWORD`); without `OPENFIRE_URL` it starts an emulator on 127.0.0.1.
 */
export function useTarget(): Target {
  const config = loadConfig(process.env, []);
  // loadConfig refuses a URL without a credential.
  const real =
    config.openfireUrl === null
      ? null
      : { url: config.openfireUrl, credential: defined(config.credential, 'a credential (loadConfig requires one)') };
  // XML dates come in the "JVM zone": one with an offset checks that decoders honour it.
  const embedded = real ? null : useEmulator({ seed: showcaseSeed(settings), timeZone: 'Europe/Paris' });
  const counts: Record<Format, Map<RouteKey, number>> = { json: new Map(), xml: new Map() };
  const count = (format: Format) => (event: CallEvent) =>
    counts[format].set(event.route, (counts[format].get(event.route) ?? 0) + 1);
  let connected: Connected | null = null;

  beforeAll(async () => {
    const emulator = embedded ? await embedded.ready : null;
    const url = real?.url ?? defined(emulator, 'the emulator').url;
    const credential: Credential = real?.credential ?? { kind: 'secret', secret: SECRET };
    const pool = createTransport({ origin: url });
    const make = (format: Format, onCall?: (event: CallEvent) => void): UpstreamClient =>
      createUpstreamClient({ baseUrl: url, dispatcher: pool, credential, format, onCall });
    const admin = make('json');
    const clients = {
      json: make('json', count('json')),
      xml: make('xml', count('xml')),
    };
    const { value: domain } = await admin.call('GET /system/properties/{propertyKey}', {
      path: { propertyKey: 'xmpp.domain' },
    });
    if (!domain) throw new Error('the server has no xmpp.domain property');
    connected = { emulator, domain, pool, admin, clients };
  });
  afterAll(async () => connected?.pool.close());

  const ready = (): Connected => {
    if (!connected) throw new Error('the contract target is only connected inside tests and hooks');
    return connected;
  };
  const lazy = (get: () => UpstreamClient): UpstreamClient => ({
    call: (route, args, options) => get().call(route, args, options),
  });
  return {
    embedded: embedded !== null,
    get emulator() {
      return ready().emulator;
    },
    get domain() {
      return ready().domain;
    },
    admin: lazy(() => ready().admin),
    client: (format) => lazy(() => ready().clients[format]),
    calls: (format, route) => counts[format].get(route) ?? 0,
    jid: (username) => `${username}@${ready().domain}`,
  };
}
