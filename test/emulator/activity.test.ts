import { describe, expect, it } from 'vitest';
import type { Scheduler } from '../../src/common/scheduler.js';
import { type Activity, checkActivitySettings, startActivity } from '../../src/emulator/activity.js';
import { MAX_ROOM_OCCUPANTS, MAX_SESSIONS_PER_USER } from '../../src/emulator/activity-events.js';
import { PRESENCE_STATUSES } from '../../src/emulator/clients.js';
import { roomRecord } from '../../src/emulator/seeds/builders.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { startEmulator } from '../../src/emulator/server.js';
import { type Snapshot, Store } from '../../src/emulator/store.js';
import { call, settings } from '../helpers/emulator.js';
import { ManualScheduler } from '../helpers/manual-scheduler.js';

/**
 * `--activity`: simulated client traffic, stepped by hand or by an injected clock (never by waiting). The seed is the
 * showcase data plus rooms the activity must treat differently: moderated, small, password-protected, and on a
 * hidden service.
 */
function seed(): Snapshot {
  const base = showcaseSeed(settings);
  const at = base.services[0]?.rooms[0]?.creationDate ?? 0;
  const extra = [
    roomRecord('cafe', at, { moderated: true, affiliations: { 'bob@example.org': 'owner' } }),
    roomRecord('tiny', at, { maxUsers: 2 }),
    roomRecord('secret', at, { password: 'hush' }),
  ];
  return {
    ...base,
    services: [
      ...base.services.map((s) => ({ ...s, rooms: [...s.rooms, ...extra] })),
      { serviceName: 'private', description: null, hidden: true, rooms: [roomRecord('attic', at)] },
    ],
  };
}

/** A store with an activity that only moves when stepped (its clock never advances). */
function stepped(activitySeed?: number): { store: Store; activity: Activity; clock: ManualScheduler } {
  const store = new Store(seed());
  const clock = new ManualScheduler();
  return { store, clock, activity: startActivity({ store, clock, rate: 1, seed: activitySeed }) };
}

/** What the activity must never touch. */
const untouchable = (s: Snapshot) => {
  const { sessions: _sessions, services, ...rest } = s;
  return {
    ...rest,
    services: services.map((svc) => ({ ...svc, rooms: svc.rooms.map(({ occupants: _o, ...r }) => r) })),
  };
};

const occupantsOf = (s: Snapshot, service: string, room: string) =>
  s.services.find((x) => x.serviceName === service)?.rooms.find((r) => r.roomName === room)?.occupants ?? [];

describe('determinism', () => {
  it('gives the same state after every step for the same seed, another for another seed', () => {
    const a = stepped(7);
    const b = stepped(7);
    const c = stepped(8);
    let differs = false;
    for (let i = 0; i < 300; i++) {
      a.activity.step(1);
      b.activity.step(1);
      c.activity.step(1);
      expect(a.store.snapshot()).toEqual(b.store.snapshot());
      differs ||= JSON.stringify(a.store.snapshot()) !== JSON.stringify(c.store.snapshot());
    }
    expect(differs).toBe(true);
  });

  it('uses a fixed seed when none is given', () => {
    const a = stepped();
    const b = stepped();
    a.activity.step(100);
    b.activity.step(100);
    expect(a.store.snapshot()).toEqual(b.store.snapshot());
  });
});

describe('step(n)', () => {
  it('keeps within its bounds over 2,000 steps, touching only sessions and occupants', () => {
    const { store, activity } = stepped();
    const start = store.snapshot();
    const seeded = new Map(start.services.flatMap((s) => s.rooms.map((r) => [r.roomName, r.occupants.length])));
    const seen = { logins: 0, logouts: 0, statuses: new Set<string>(), joins: 0, leaves: 0, maxOnline: 0 };
    let previous = start;
    for (let i = 0; i < 2_000; i++) {
      activity.step(1);
      const s = store.snapshot();
      const perUser = new Map<string, number>();
      for (const session of s.sessions) {
        perUser.set(session.username, (perUser.get(session.username) ?? 0) + 1);
        seen.statuses.add(session.presenceStatus ?? '');
        expect(PRESENCE_STATUSES).toContain(session.presenceStatus);
        expect(s.users.some((u) => u.username === session.username)).toBe(true);
      }
      expect(Math.max(0, ...perUser.values())).toBeLessThanOrEqual(MAX_SESSIONS_PER_USER);
      seen.maxOnline = Math.max(seen.maxOnline, s.sessions.length);
      for (const service of s.services) {
        for (const room of service.rooms) {
          const bound = room.roomName === 'tiny' ? 2 : Math.max(MAX_ROOM_OCCUPANTS, seeded.get(room.roomName) ?? 0);
          expect(room.occupants.length).toBeLessThanOrEqual(bound);
          const nicknames = room.occupants.map((o) => o.nickname.toLowerCase());
          expect(new Set(nicknames).size).toBe(nicknames.length);
        }
      }
      const count = (x: Snapshot) => x.services.flatMap((svc) => svc.rooms).reduce((n, r) => n + r.occupants.length, 0);
      const ids = (x: Snapshot) => new Set(x.sessions.map((session) => session.sessionId));
      if ([...ids(s)].some((id) => !ids(previous).has(id))) seen.logins++;
      if ([...ids(previous)].some((id) => !ids(s).has(id))) seen.logouts++;
      if (count(s) > count(previous)) seen.joins++;
      if (count(s) < count(previous)) seen.leaves++;
      previous = s;
    }
    const end = store.snapshot();
    expect(untouchable(end)).toEqual(untouchable(start));
    expect(activity.performed).toBe(2_000);
    // Rooms that are not open to anyone keep exactly their seeded occupants.
    for (const [service, room] of [
      ['conference', 'dev'],
      ['conference', 'secret'],
      ['private', 'attic'],
    ] as const) {
      expect(occupantsOf(end, service, room)).toEqual(occupantsOf(start, service, room));
    }
    // In the moderated cafe its owner bob enters as a moderator, everybody else (no affiliation) as a visitor.
    const cafe = occupantsOf(end, 'conference', 'cafe');
    for (const o of cafe) expect(o.role).toBe(o.userAddress.startsWith('bob@') ? 'moderator' : 'visitor');
    // Lively: many logins, every presence value, room traffic.
    expect(seen.logins).toBeGreaterThan(100);
    expect(seen.logouts).toBeGreaterThan(100);
    expect(seen.statuses).toEqual(new Set(PRESENCE_STATUSES));
    expect(seen.joins).toBeGreaterThan(50);
    expect(seen.leaves).toBeGreaterThan(50);
    expect(seen.maxOnline).toBeGreaterThanOrEqual(3);
  });

  it('opens sessions with plausible resources, hosts and the clock time', () => {
    const { store, activity, clock } = stepped();
    clock.advance(5_000);
    activity.step(200);
    const opened = store.snapshot().sessions.filter((s) => s.hostAddress?.startsWith('203.0.113.'));
    expect(opened.length).toBeGreaterThan(0);
    for (const s of opened) {
      expect(s.resource).toMatch(/^(web|phone|desktop|laptop|tablet|client\d+)$/);
      expect(s.creationDate).toBe(clock.now());
      expect(s.sessionId).toBe(`${s.username}@example.org/${s.resource}`);
    }
  });

  it('reports the change to the store once per step, and refuses a count that is not a whole number', () => {
    let changes = 0;
    const store = new Store(seed(), () => changes++);
    const activity = startActivity({ store, clock: new ManualScheduler(), rate: 1 });
    activity.step(25);
    activity.step(0);
    expect(changes).toBe(1);
    expect(() => activity.step(1.5)).toThrow(RangeError);
    expect(() => activity.step(-1)).toThrow(RangeError);
  });

  it('does nothing when nothing can happen (no users, no sessions)', () => {
    const store = new Store({ ...seed(), users: [], sessions: [] });
    const activity = startActivity({ store, clock: new ManualScheduler(), rate: 1 });
    const before = store.snapshot();
    activity.step(10);
    expect(store.snapshot()).toEqual(before);
    expect(activity.performed).toBe(0);
  });
});

describe('the timer', () => {
  it.each([
    [0.5, 60_000],
    [1, 30_000],
    [3, 10_000],
    [20, 10_000],
    [1000, 2_000],
  ])('performs about %d events a second of clock time', (rate, ms) => {
    const store = new Store(seed());
    const clock = new ManualScheduler();
    const activity = startActivity({ store, clock, rate });
    clock.advance(ms);
    const expected = (rate * ms) / 1000;
    expect(Math.abs(activity.performed - expected)).toBeLessThanOrEqual(1);
    activity.stop();
  });

  it('batches the events of a tick into one store change, at most ten a second', () => {
    let changes = 0;
    const store = new Store(seed(), () => changes++);
    const clock = new ManualScheduler();
    const activity = startActivity({ store, clock, rate: 500 });
    clock.advance(1_000);
    expect(activity.performed).toBe(500);
    expect(changes).toBe(10);
    activity.stop();
  });

  it('stops: no timer left, no more events', () => {
    const store = new Store(seed());
    const clock = new ManualScheduler();
    const activity = startActivity({ store, clock, rate: 10 });
    clock.advance(1_000);
    activity.stop();
    expect(clock.pending).toBe(0);
    const before = store.snapshot();
    clock.advance(10_000);
    expect(store.snapshot()).toEqual(before);
    expect(activity.performed).toBe(10);
  });

  it('catches up at most a second after a stall instead of bursting', () => {
    let now = 0;
    let fire: (() => void) | null = null;
    const clock: Scheduler = {
      now: () => now,
      after: (_ms, fn) => {
        fire = fn;
        return () => {};
      },
    };
    const activity = startActivity({ store: new Store(seed()), clock, rate: 50 });
    now += 3_600_000;
    (fire as (() => void) | null)?.();
    expect(activity.performed).toBe(50);
    activity.stop();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1001])('refuses the rate %d', (rate) => {
    expect(() => checkActivitySettings({ rate })).toThrow(RangeError);
    expect(() => startActivity({ store: new Store(seed()), clock: new ManualScheduler(), rate })).toThrow(/rate/);
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => checkActivitySettings({ rate: 1, seed: 0.5 })).toThrow(/seed/);
  });
});

describe('in the emulator', () => {
  it('moves what GET /sessions shows as the clock advances, and stops when the emulator closes', async () => {
    const clock = new ManualScheduler(Date.UTC(2026, 5, 1));
    const start = clock.now();
    const emulator = await startEmulator({ seed: seed(), clock, activity: { rate: 20, seed: 3 } });
    const list = async () =>
      (await call(emulator.url, 'GET', '/sessions', { accept: 'application/json' })).json().sessions;
    const before = await list();
    clock.advance(2_000);
    const after = await list();
    expect(after).not.toEqual(before);
    expect(after.some((s: { creationDate: number }) => s.creationDate >= start)).toBe(true);
    expect(after.every((s: { creationDate: number }) => s.creationDate <= start + 2_000)).toBe(true);
    // Simulated traffic is not API traffic.
    expect(emulator.stats.toJSON().total).toBe(2);
    await emulator.close();
    expect(clock.pending).toBe(0);
    const closed = emulator.snapshot();
    clock.advance(10_000);
    expect(emulator.snapshot()).toEqual(closed);
  });

  it('refuses a bad rate before listening', async () => {
    await expect(startEmulator({ seed: seed(), activity: { rate: 0 } })).rejects.toThrow(RangeError);
  });

  it('runs on the real clock by default with an unreferenced timer', async () => {
    const emulator = await startEmulator({ seed: seed(), activity: { rate: 1 } });
    await emulator.close();
  });
});
