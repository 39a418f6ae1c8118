import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ActivitySettings, MAX_ACTIVITY_RATE } from './activity.js';
import { generatedSeed } from './seeds/generated.js';
import { isSeedName, SEED_NAMES, SEEDS } from './seeds/index.js';
import type { PropertySettings } from './seeds/properties.js';
import type { EmulatorOptions } from './server.js';
import type { Snapshot } from './store.js';

/** Command-line flags of `npm run emulator`; the emulator's only configuration surface. */
export const EMULATOR_USAGE = `Usage: npm run emulator -- [options]

  --port N            port to listen on (default 9090; 0 picks a free one)
  --host ADDR         address to bind (default 127.0.0.1)
  --secret S          shared secret (default: 16 random characters, printed at start)
  --auth MODE         secret | basic (basic: HTTP Basic with an admin user of the store)
  --domain D          XMPP domain (default example.org)
  --seed NAME         demo | showcase | empty (default demo)
  --fixture FILE      start from a JSON state snapshot instead of a seed
  --users N --groups G --members M --rooms R
                      add a deterministic generated data set to the seed (benchmarks)
  --control           serve the /__emulator/* control plane (stats, reset, faults, state, simulated clients)
  --data FILE         persist the state to FILE (loaded at start, written after changes)
  --timezone TZ       IANA zone for XML dates (default: this machine's zone)
  --activity RATE     simulate about RATE client events a second (logins, presence changes, logouts, room joins
                      and leaves; at most ${MAX_ACTIVITY_RATE})
  --activity-seed N   seed of the simulated events (default: a fixed one, so runs repeat)
  --help              show this text
`;

export class OptionsError extends Error {}

export interface EmulatorCli extends EmulatorOptions {
  readonly help: boolean;
}

function count(name: string, value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) throw new OptionsError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function randomSecret(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

function loadFixture(file: string): Snapshot {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  } catch (error) {
    throw new OptionsError(`--fixture ${file}: ${(error as Error).message}`);
  }
}

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  secret: { type: 'string' },
  auth: { type: 'string' },
  domain: { type: 'string' },
  seed: { type: 'string' },
  fixture: { type: 'string' },
  users: { type: 'string' },
  groups: { type: 'string' },
  members: { type: 'string' },
  rooms: { type: 'string' },
  control: { type: 'boolean' },
  data: { type: 'string' },
  timezone: { type: 'string' },
  activity: { type: 'string' },
  'activity-seed': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** `--activity RATE` and `--activity-seed N`; a seed alone would silently do nothing, so it is refused. */
function activityOf(rate: string | undefined, seed: string | undefined): ActivitySettings | undefined {
  if (rate === undefined) {
    if (seed !== undefined) throw new OptionsError('--activity-seed needs --activity RATE');
    return undefined;
  }
  const value = /^\d+(\.\d+)?$/.test(rate) ? Number(rate) : Number.NaN;
  if (!(value > 0 && value <= MAX_ACTIVITY_RATE)) {
    throw new OptionsError(
      `--activity must be a number of events a second above 0 and at most ${MAX_ACTIVITY_RATE}, got "${rate}"`,
    );
  }
  if (seed === undefined) return { rate: value };
  if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) {
    throw new OptionsError(`--activity-seed must be a non-negative integer, got "${seed}"`);
  }
  return { rate: value, seed: Number(seed) };
}

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], strict: true, options: FLAGS }).values;
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
}

export function parseEmulatorArgs(argv: readonly string[]): EmulatorCli {
  const values = readFlags(argv);
  const port = values.port === undefined ? 9090 : count('port', values.port);
  if (port > 65535) throw new OptionsError(`--port must be at most 65535, got ${port}`);
  const auth = values.auth ?? 'secret';
  if (auth !== 'secret' && auth !== 'basic')
    throw new OptionsError(`--auth must be "secret" or "basic", got "${auth}"`);
  if (values.secret === '') throw new OptionsError('--secret must not be empty');
  const secret = values.secret ?? randomSecret();
  const settings: PropertySettings = { domain: values.domain ?? 'example.org', secret, httpAuth: auth };
  if (values.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: values.timezone });
    } catch {
      throw new OptionsError(`--timezone must be an IANA time zone such as Europe/Paris, got "${values.timezone}"`);
    }
  }
  const sizes = {
    users: count('users', values.users),
    groups: count('groups', values.groups),
    members: count('members', values.members),
    rooms: count('rooms', values.rooms),
  };
  const seedName = values.seed ?? 'demo';
  if (!isSeedName(seedName))
    throw new OptionsError(`--seed must be one of ${SEED_NAMES.join(', ')}, got "${seedName}"`);
  const generated = Object.values(sizes).some((n) => n > 0);
  const seed = values.fixture
    ? loadFixture(values.fixture)
    : generated
      ? generatedSeed(settings, sizes)
      : SEEDS[seedName](settings);
  // Flags given explicitly win over a fixture or a data file's saved properties.
  const properties: Record<string, string> = {};
  if (values.secret !== undefined) properties['plugin.restapi.secret'] = values.secret;
  if (values.auth !== undefined) properties['plugin.restapi.httpAuth'] = values.auth;
  return {
    seed,
    port,
    host: values.host ?? '127.0.0.1',
    properties,
    control: values.control ?? false,
    dataFile: values.data,
    timeZone: values.timezone,
    activity: activityOf(values.activity, values['activity-seed']),
    help: values.help ?? false,
  };
}
