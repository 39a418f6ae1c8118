import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { settings, useEmulator, userIn } from '../helpers/emulator.js';

/** The emulator's state as tests reach it: copies out (`snapshot`), changes in (`edit`, `load`), `reset`. */
const t = useEmulator();
const JSON_ACCEPT = { accept: 'application/json' };
const usernames = async (): Promise<string[]> =>
  (await t.api('GET', '/users', JSON_ACCEPT)).json().users.map((u: { username: string }) => u.username);

describe('snapshot', () => {
  it('is a deep copy: changing it changes neither the state nor a later snapshot', async () => {
    const emulator = await t.ready;
    const copy = emulator.snapshot();
    copy.users.length = 0;
    copy.health.deadlock = true;
    copy.outbox.push({ kind: 'broadcast', to: 'x@example.org', body: 'not sent', at: 0 });
    expect(await usernames()).toEqual(['admin', 'jane', 'john']);
    expect((await t.api('GET', '/system/liveness', { auth: null })).status).toBe(200);
    expect(emulator.snapshot()).toEqual(demoSeed(settings));
  });

  it('does not follow later changes', async () => {
    const before = (await t.ready).snapshot();
    await t.api('DELETE', '/users/john');
    expect(userIn(before, 'john')).toBeDefined();
    expect(userIn((await t.ready).snapshot(), 'john')).toBeUndefined();
  });
});

describe('edit', () => {
  it('makes the changed draft the state, which a reset undoes', async () => {
    const emulator = await t.ready;
    emulator.edit((draft) => {
      draft.users = draft.users.filter((u) => u.username !== 'jane');
    });
    expect(await usernames()).toEqual(['admin', 'john']);
    emulator.reset();
    expect(await usernames()).toEqual(['admin', 'jane', 'john']);
  });

  it('keeps nothing the change put into the draft', async () => {
    const emulator = await t.ready;
    const session = sessionRecord('jane', 'example.org', 'phone', 0);
    emulator.edit((draft) => {
      draft.sessions.push(session);
    });
    session.username = 'john';
    expect((await t.api('GET', '/sessions/jane', JSON_ACCEPT)).json().sessions).toHaveLength(1);
    expect((await t.api('GET', '/sessions/john', JSON_ACCEPT)).json().sessions).toEqual([]);
  });
});

describe('load', () => {
  it('replaces the state and the seed a reset returns to', async () => {
    const emulator = await t.ready;
    const seed = demoSeed(settings);
    seed.users = seed.users.filter((u) => u.username === 'admin');
    emulator.load(seed);
    seed.users.length = 0;
    expect(await usernames()).toEqual(['admin']);
    await t.api('DELETE', '/users/admin');
    emulator.reset();
    expect(await usernames()).toEqual(['admin']);
  });
});
