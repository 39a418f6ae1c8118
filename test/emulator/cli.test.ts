import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_USAGE, OptionsError, parseEmulatorArgs } from '../../src/emulator/options.js';
import { startEmulator } from '../../src/emulator/server.js';
import { call, propertyIn } from '../helpers/emulator.js';

describe('emulator flags', () => {
  it('defaults to the demo seed in secret mode on 127.0.0.1:9090 with a random 16-character secret', () => {
    const cli = parseEmulatorArgs([]);
    expect(cli).toMatchObject({ port: 9090, host: '127.0.0.1', control: false, properties: {} });
    const properties = new Map(cli.seed.properties);
    expect(properties.get('plugin.restapi.secret')).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(properties.get('plugin.restapi.httpAuth')).toBe('secret');
    expect(cli.seed.users.map((u) => u.username)).toEqual(['admin', 'jane', 'john']);
  });

  it('lets an explicit --secret and --auth win over a data file or fixture', async () => {
    const cli = parseEmulatorArgs(['--secret', 'flag', '--auth', 'basic', '--port', '0']);
    expect(cli.properties).toEqual({ 'plugin.restapi.secret': 'flag', 'plugin.restapi.httpAuth': 'basic' });
    const seeded = parseEmulatorArgs(['--secret', 'seeded', '--port', '0']);
    const emulator = await startEmulator({ ...seeded, properties: cli.properties });
    expect(propertyIn(emulator.snapshot(), 'plugin.restapi.secret')).toBe('flag');
    await emulator.close();
  });

  it('reads --activity RATE and --activity-seed N, and has no activity without them', () => {
    expect(parseEmulatorArgs([]).activity).toBeUndefined();
    expect(parseEmulatorArgs(['--activity', '5']).activity).toEqual({ rate: 5 });
    expect(parseEmulatorArgs(['--activity', '0.25', '--activity-seed', '42']).activity).toEqual({
      rate: 0.25,
      seed: 42,
    });
    expect(parseEmulatorArgs(['--activity', '1000']).activity).toEqual({ rate: 1000 });
    expect(EMULATOR_USAGE).toContain('--activity RATE');
    expect(EMULATOR_USAGE).toContain('--activity-seed N');
  });

  it('builds the deterministic benchmark data set from sizes', () => {
    const a = parseEmulatorArgs([
      '--users',
      '2000',
      '--groups',
      '200',
      '--members',
      '25',
      '--rooms',
      '100',
      '--secret',
      's',
    ]);
    const b = parseEmulatorArgs([
      '--users',
      '2000',
      '--groups',
      '200',
      '--members',
      '25',
      '--rooms',
      '100',
      '--secret',
      's',
    ]);
    expect(a.seed.users).toHaveLength(2003);
    expect(a.seed.groups).toHaveLength(200);
    expect(a.seed.groups.every((g) => g.members.length + g.admins.length === 25)).toBe(true);
    expect(a.seed.services[0]?.rooms).toHaveLength(100);
    expect(JSON.stringify(a.seed)).toBe(JSON.stringify(b.seed));
  });

  it.each([
    [['--port', 'x'], /--port must be a non-negative integer/],
    [['--port', '70000'], /--port must be at most 65535/],
    [['--auth', 'oauth'], /--auth must be "secret" or "basic"/],
    [['--seed', 'huge'], /--seed must be one of showcase, demo, empty/],
    [['--timezone', 'Mars/Base'], /--timezone must be an IANA time zone/],
    [['--secret', ''], /--secret must not be empty/],
    [['--bogus'], /Unknown option/],
    [['--activity', '0'], /--activity must be a number of events a second above 0 and at most 1000/],
    [['--activity', 'lots'], /--activity must be a number/],
    [['--activity', '1001'], /--activity must be .* at most 1000, got "1001"/],
    [['--activity', '1e2'], /--activity must be a number/],
    [['--activity', '-1'], /--activity/],
    [['--activity-seed', '3'], /--activity-seed needs --activity RATE/],
    [['--activity', '1', '--activity-seed', 'x'], /--activity-seed must be a non-negative integer/],
    [['--activity', '1', '--activity-seed', '-2'], /--activity-seed/],
  ])('rejects %j with a message naming the flag', (args, message) => {
    expect(() => parseEmulatorArgs(args)).toThrow(OptionsError);
    expect(() => parseEmulatorArgs(args)).toThrow(message);
  });
});

describe('persistence with --data', () => {
  it('writes the state atomically and a restart loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-data-'));
    const file = join(dir, 'state.json');
    const cli = parseEmulatorArgs(['--secret', 's3cret', '--port', '0']);
    const first = await startEmulator({ ...cli, dataFile: file });
    expect(
      (await call(first.url, 'POST', '/users', { auth: 's3cret', body: { username: 'kept', password: 'p' } })).status,
    ).toBe(201);
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).users.map((u: { username: string }) => u.username)).toContain('kept');
    expect(readdirSync(dir)).toEqual(['state.json']);
    const second = await startEmulator({ ...cli, dataFile: file });
    expect((await call(second.url, 'GET', '/users/kept', { auth: 's3cret' })).status).toBe(200);
    await second.close();
    rmSync(dir, { recursive: true });
  });
});

describe('persistence of the legacy userservice', () => {
  it('saves what a state-changing GET did, as for any other write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-data-'));
    const file = join(dir, 'state.json');
    const emulator = await startEmulator({
      ...parseEmulatorArgs(['--secret', 'legacy', '--port', '0']),
      dataFile: file,
    });
    const res = await call(emulator.url, 'GET', '/userservice?type=disable&secret=legacy&username=john', {
      auth: null,
    });
    expect(res.text).toBe('<result>ok</result>\n');
    const saved = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).lockouts : []);
    await expect.poll(saved, { timeout: 5_000 }).toEqual(['john']);
    await emulator.close();
    rmSync(dir, { recursive: true });
  });
});

describe('--fixture', () => {
  it('starts from a partial snapshot, missing parts empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-fixture-'));
    const file = join(dir, 'fixture.json');
    const properties = [
      ['plugin.restapi.enabled', 'true'],
      ['plugin.restapi.httpAuth', 'secret'],
      ['plugin.restapi.secret', 'fx'],
    ];
    const users = [
      {
        username: 'solo',
        name: null,
        email: null,
        password: 'p',
        properties: {},
        creationDate: 0,
        modificationDate: 0,
      },
    ];
    writeFileSync(file, JSON.stringify({ users, properties }));
    const emulator = await startEmulator({ ...parseEmulatorArgs(['--fixture', file, '--port', '0']) });
    const res = await call(emulator.url, 'GET', '/users', { auth: 'fx', accept: 'application/json' });
    expect(res.json()).toEqual({ users: [{ username: 'solo', name: '', properties: [] }] });
    expect((await call(emulator.url, 'GET', '/groups', { auth: 'fx', accept: 'application/json' })).json()).toEqual({
      groups: [],
    });
    await emulator.close();
    rmSync(dir, { recursive: true });
  });

  it('names the file when it cannot be read', () => {
    expect(() => parseEmulatorArgs(['--fixture', '/nonexistent/fixture.json'])).toThrow(
      /--fixture \/nonexistent\/fixture.json/,
    );
  });
});
