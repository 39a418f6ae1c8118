import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { settings, useEmulator } from '../helpers/emulator.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

const t = useEmulator({
  seed: {
    ...demoSeed(settings),
    sessions: [sessionRecord('john', 'example.org', 'phone', 0), sessionRecord('jane', 'example.org', 'laptop', 0)],
  },
});

// Lockout state has no REST read endpoint (openfire-rest-api.md §7.3), so it is read from the emulator's state.
const state = async () => (await t.ready).snapshot();

describe('POST /lockouts/{username}', () => {
  it('locks the user out and kicks its sessions with not-authorized, answering 201 without body', async () => {
    const res = await t.api('POST', '/lockouts/john');
    expect([res.status, res.text]).toEqual([201, '']);
    const s = await state();
    expect(s.lockouts).toEqual(['john']);
    expect(s.sessions.map((session) => session.sessionId)).toEqual(['jane@example.org/laptop']);
    expect(s.outbox).toMatchObject([{ kind: 'kick', to: 'john@example.org/phone', body: 'not-authorized' }]);
  });

  it('keys the lockout by the raw path value while finding the user case-insensitively', async () => {
    expect((await t.api('POST', '/lockouts/JOHN')).status).toBe(201);
    const s = await state();
    expect(s.lockouts).toEqual(['JOHN']);
    expect(s.sessions).toHaveLength(2);
  });

  it('answers 404 Could not get user for an unknown user, in XML or JSON', async () => {
    const xml = await t.api('POST', '/lockouts/nobody');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      `${XML}<error><exception>UserNotFoundException</exception><message>Could not get user</message><resource>nobody</resource></error>`,
    );
    const json = await t.api('POST', '/lockouts/nobody', { accept: 'application/json' });
    expect(json.text).toBe('{"resource":"nobody","message":"Could not get user","exception":"UserNotFoundException"}');
    expect((await state()).lockouts).toEqual([]);
  });
});

describe('DELETE /lockouts/{username}', () => {
  it('removes the lockout and answers 200', async () => {
    await t.api('POST', '/lockouts/jane');
    const res = await t.api('DELETE', '/lockouts/jane');
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await state()).lockouts).toEqual([]);
  });

  it('answers 200 for a user who is not locked out', async () => {
    expect((await t.api('DELETE', '/lockouts/admin')).status).toBe(200);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await t.api('DELETE', '/lockouts/nobody', { accept: 'application/json' });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({
      resource: 'nobody',
      message: 'Could not get user',
      exception: 'UserNotFoundException',
    });
  });
});
