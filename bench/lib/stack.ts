import { setTimeout as sleep } from 'node:timers/promises';
import type { GeneratedSizes } from '../../src/emulator/seeds/generated.js';
import type { LogLevel } from '../../src/observability/logger.js';
import { DEFAULT_TRANSPORT } from '../../src/upstream/dispatcher.js';
import { defined } from '../../test/helpers/defined.js';
import { ENTRY, OUT, type Started, start } from './processes.js';
import { type Rest, rest } from './rest.js';

export const OPENFIRE_SECRET = 'bench-openfire-secret';
export const API_KEY = 'bench-key';
export const USERSERVICE_SECRET = 'bench-userservice-secret';
/** The generated data's domain, given to the gateway as `XMPP_DOMAIN` as a production setup would. */
export const DOMAIN = 'example.org';

export interface StackOptions {
  readonly name: string;
  readonly sizes: GeneratedSizes;
  readonly logLevel: LogLevel;
  /** Also start the reference floor (bench/reference/floor.mjs) against the same emulator. */
  readonly floor: boolean;
  /** Added to the gateway's environment. */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /** The gateway's entry file (`--gateway`). */
  readonly gateway: string;
  /** The gateway's `NODE_OPTIONS` (`--node-options`); `null`: none. */
  readonly nodeOptions: string | null;
  /** Write V8 CPU profiles of the gateway (and floor) to bench/out/profiles/<name>-gateway/ (-floor/) when they stop. */
  readonly cpuProf: boolean;
}

/** Everything one scenario runs against: emulator, gateway (and floor) on 127.0.0.1, plus a direct REST client. */
export interface Stack {
  readonly emulatorUrl: string;
  readonly gatewayUrl: string;
  readonly floorUrl: string | null;
  /** Process ids of the servers, to sample their memory and CPU time. */
  readonly pids: { readonly emulator: number; readonly gateway: number; readonly floor: number | null };
  readonly rest: Rest;
  /** Zeroes the emulator's request statistics and restores its start data. */
  reset(): Promise<void>;
  /** Requests the emulator has answered under the REST API since the last reset. */
  upstreamCalls(): Promise<number>;
  /**
   * Resolves once no upstream call has arrived for a moment: a load generator that stops leaves requests running in
   * the servers, whose calls would otherwise be counted after the next reset.
   */
  quiet(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How long without an upstream call counts as quiet. A gateway building a 50,000-person answer is busy for over a
 * second between the calls of the operations queued behind it; a shorter window (200 ms) let such calls leak into
 * the next count (2,004.5 calls an operation at 20,000 users instead of 2,002).
 */
const QUIET_MS = 2_000;

const LISTENING = /listening on (http:\/\/\S+?)(?:\/plugins\S*)?\s/;

export async function startStack(options: StackOptions): Promise<Stack> {
  const { users, groups, members, rooms } = options.sizes;
  const started: Started[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    const sizes = ['--users', users, '--groups', groups, '--members', members, '--rooms', rooms].map(String);
    const emulator = await start(
      `${options.name}-emulator`,
      [ENTRY.emulator, '--port', '0', '--secret', OPENFIRE_SECRET, '--domain', DOMAIN, '--control', ...sizes],
      {},
      LISTENING,
    );
    started.push(emulator);
    const emulatorUrl = defined(emulator.match[1], "the emulator's URL in its ready line");
    // One directory per scenario and server: Node names the profile file itself.
    const profile = (server: string): string[] =>
      options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${OUT}profiles/${options.name}-${server}`] : [];
    const gateway = await start(
      `${options.name}-gateway`,
      [...profile('gateway'), options.gateway],
      {
        PORT: '0',
        HOST: '127.0.0.1',
        // As the Dockerfile and the systemd unit run it: graphql-js then skips its development-time checks.
        NODE_ENV: 'production',
        OPENFIRE_URL: emulatorUrl,
        OPENFIRE_SECRET,
        XMPP_DOMAIN: DOMAIN,
        GATEWAY_API_KEYS: `${API_KEY}:admin`,
        USERSERVICE_SECRET,
        LOG_LEVEL: options.logLevel,
        ...(options.nodeOptions !== null && { NODE_OPTIONS: options.nodeOptions }),
        ...options.gatewayEnv,
      },
      LISTENING,
    );
    started.push(gateway);
    const floor = options.floor
      ? await start(
          `${options.name}-floor`,
          [...profile('floor'), 'bench/reference/floor.mjs'],
          {
            NODE_ENV: 'production',
            OPENFIRE_URL: emulatorUrl,
            OPENFIRE_SECRET,
            OPENFIRE_CONNECTIONS: String(DEFAULT_TRANSPORT.connections),
          },
          LISTENING,
        )
      : null;
    if (floor) started.push(floor);
    const client = rest(emulatorUrl, OPENFIRE_SECRET);
    const upstreamCalls = async (): Promise<number> => {
      const res = await fetch(`${emulatorUrl}/__emulator/stats`);
      return ((await res.json()) as { total: number }).total;
    };
    return {
      emulatorUrl,
      gatewayUrl: defined(gateway.match[1], "the gateway's URL in its ready line"),
      floorUrl: floor?.match[1] ?? null,
      pids: { emulator: emulator.pid, gateway: gateway.pid, floor: floor?.pid ?? null },
      rest: client,
      async reset() {
        const res = await fetch(`${emulatorUrl}/__emulator/reset`, { method: 'POST' });
        if (res.status !== 204) throw new Error(`emulator reset: HTTP ${res.status}`);
      },
      upstreamCalls,
      async quiet() {
        for (let before = await upstreamCalls(); ; ) {
          await sleep(QUIET_MS);
          const now = await upstreamCalls();
          if (now === before) return;
          before = now;
        }
      },
      async stop() {
        await client.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
