import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roomRecord } from '../../src/emulator/seeds/builders.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { startEmulator } from '../../src/emulator/server.js';
import { call, putRoom, SECRET, settings, storedRoom, useEmulator } from '../helpers/emulator.js';
import { ManualScheduler } from '../helpers/manual-scheduler.js';

/** The control plane's simulated XMPP clients: sessions and room occupants arranged over HTTP. */
const clock = new ManualScheduler();
const t = useEmulator({ clock });
const JSON_ACCEPT = { accept: 'application/json' };

async function control(method: string, name: string, body?: unknown) {
  const e = await t.ready;
  return call(e.url, method, `//__emulator/${name}`, { auth: null, ...(body !== undefined && { body }) });
}

const sessionPath = (sessionId: string): string => `sessions/${encodeURIComponent(sessionId)}`;
const sessions = async () => (await t.api('GET', '/sessions', JSON_ACCEPT)).json().sessions;
const occupants = async (room = 'lobby') =>
  (await t.api('GET', `/chatrooms/${room}/occupants`, JSON_ACCEPT)).json().occupants;

/** A public room in `conference`, with jane as its admin. */
async function withLobby(): Promise<void> {
  (await t.ready).edit((draft) => {
    putRoom(draft, roomRecord('lobby', clock.now(), { affiliations: { 'jane@example.org': 'admin' } }));
  });
}

describe('POST /__emulator/sessions', () => {
  it('logs a user in on the first free clientN resource, Online, created and active now', async () => {
    const res = await control('POST', 'sessions', { username: 'jane' });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ sessionId: 'jane@example.org/client1' });
    expect(await sessions()).toEqual([
      {
        sessionId: 'jane@example.org/client1',
        username: 'jane',
        resource: 'client1',
        node: 'Local',
        sessionStatus: 'Authenticated',
        presenceStatus: 'Online',
        priority: 0,
        hostAddress: '127.0.0.1',
        hostName: 'localhost',
        creationDate: clock.now(),
        lastActionDate: clock.now(),
        secure: true,
      },
    ]);
    expect((await control('POST', 'sessions', { username: 'jane' })).json().sessionId).toBe('jane@example.org/client2');
  });

  it('takes the resource and presence given, and finds the user as Openfire does (case-insensitively)', async () => {
    const body = {
      username: 'John',
      resource: 'phone',
      presenceStatus: 'Do Not Disturb',
      presenceMessage: 'In a meeting',
      priority: -5,
    };
    expect((await control('POST', 'sessions', body)).json()).toEqual({ sessionId: 'john@example.org/phone' });
    const [session] = await sessions();
    expect(session).toMatchObject({
      username: 'john',
      resource: 'phone',
      presenceStatus: 'Do Not Disturb',
      presenceMessage: 'In a meeting',
      priority: -5,
    });
    const xml = (await t.api('GET', '/sessions/john')).text;
    expect(xml).toContain('<presenceStatus>Do Not Disturb</presenceStatus><presenceMessage>In a meeting');
  });

  it('answers 409 for a full JID that is already logged in', async () => {
    await control('POST', 'sessions', { username: 'jane', resource: 'web' });
    const res = await control('POST', 'sessions', { username: 'jane', resource: 'web' });
    expect(res.status).toBe(409);
    expect(res.json().error).toContain('jane@example.org/web');
  });

  it('answers 404 for an unknown user or a name that is no JID node', async () => {
    expect((await control('POST', 'sessions', { username: 'nobody' })).status).toBe(404);
    expect((await control('POST', 'sessions', { username: 'a@b' })).status).toBe(404);
  });

  it.each([
    [{}, /"username" is required/],
    [{ username: 42 }, /"username"/],
    [{ username: 'jane', resource: '' }, /"resource"/],
    [{ username: 'jane', presenceStatus: 'Busy' }, /"presenceStatus" must be one of/],
    [{ username: 'jane', presenceMessage: 3 }, /"presenceMessage"/],
    [{ username: 'jane', priority: 128 }, /"priority"/],
    [{ username: 'jane', priority: 1.5 }, /"priority"/],
    [{ username: 'jane', colour: 'red' }, /unknown field "colour"/],
    [['jane'], /JSON object/],
    ['{not json', /not valid JSON/],
  ])('answers 400 naming the problem for %j', async (body, message) => {
    const res = await control('POST', 'sessions', body);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(message);
    expect(await sessions()).toEqual([]);
  });
});

describe('PATCH /__emulator/sessions/{sessionId}', () => {
  it('changes the presence, touches lastActionDate, and answers the session as GET /sessions shows it', async () => {
    await control('POST', 'sessions', { username: 'jane', resource: 'laptop', priority: 5 });
    const created = clock.now();
    clock.advance(90_000);
    const res = await control('PATCH', sessionPath('jane@example.org/laptop'), {
      presenceStatus: 'Away',
      presenceMessage: 'Lunch',
    });
    expect(res.status).toBe(200);
    const [listed] = await sessions();
    expect(res.json()).toEqual(listed);
    expect(listed).toMatchObject({
      presenceStatus: 'Away',
      presenceMessage: 'Lunch',
      priority: 5,
      creationDate: created,
      lastActionDate: created + 90_000,
    });
    await control('PATCH', sessionPath('jane@example.org/laptop'), { presenceMessage: null, priority: 127 });
    expect((await sessions())[0]).not.toHaveProperty('presenceMessage');
    expect((await sessions())[0].priority).toBe(127);
  });

  it('answers 404 for an unknown session and 400 for a bad field', async () => {
    expect((await control('PATCH', sessionPath('jane@example.org/none'), { priority: 1 })).status).toBe(404);
    await control('POST', 'sessions', { username: 'jane', resource: 'web' });
    const bad = await control('PATCH', sessionPath('jane@example.org/web'), { presenceStatus: 'away' });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/presenceStatus/);
    expect((await control('PATCH', sessionPath('jane@example.org/web'), { username: 'john' })).status).toBe(400);
  });
});

describe('DELETE /__emulator/sessions/{sessionId}', () => {
  it('logs the session out, and its room occupants leave with it', async () => {
    await withLobby();
    await control('POST', 'sessions', { username: 'jane', resource: 'web' });
    await control('POST', 'sessions', { username: 'jane', resource: 'phone' });
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/web', nickname: 'jane' });
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/phone', nickname: 'jane2' });
    expect((await control('DELETE', sessionPath('jane@example.org/web'))).status).toBe(204);
    expect((await sessions()).map((s: { sessionId: string }) => s.sessionId)).toEqual(['jane@example.org/phone']);
    expect((await occupants()).map((o: { jid: string }) => o.jid)).toEqual(['lobby@conference.example.org/jane2']);
  });

  it('answers 404 for an unknown session', async () => {
    const res = await control('DELETE', sessionPath('jane@example.org/web'));
    expect(res.status).toBe(404);
    expect(res.json().error).toContain('jane@example.org/web');
  });
});

describe('POST /__emulator/occupants', () => {
  it('puts an occupant into the room, answered as the occupant list shows it', async () => {
    await withLobby();
    const res = await control('POST', 'occupants', {
      room: 'lobby',
      jid: 'Jane@Example.org/phone',
      nickname: 'Jane',
      role: 'moderator',
    });
    expect(res.status).toBe(201);
    const occupant = {
      jid: 'lobby@conference.example.org/Jane',
      userAddress: 'jane@example.org/phone',
      role: 'moderator',
      affiliation: 'admin',
    };
    expect(res.json()).toEqual(occupant);
    expect(await occupants()).toEqual([occupant]);
  });

  it('defaults to the conference service and the participant role, and takes a bare JID', async () => {
    await withLobby();
    const res = await control('POST', 'occupants', {
      service: 'Conference',
      room: 'Lobby',
      jid: 'ann@elsewhere.net',
      nickname: 'ann',
    });
    expect(res.json()).toEqual({
      jid: 'lobby@conference.example.org/ann',
      userAddress: 'ann@elsewhere.net',
      role: 'participant',
      affiliation: 'none',
    });
  });

  it('answers 409 for a nickname taken in any case, or a JID already in the room', async () => {
    await withLobby();
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/web', nickname: 'Jane' });
    const taken = await control('POST', 'occupants', { room: 'lobby', jid: 'john@example.org/web', nickname: 'JANE' });
    expect(taken.status).toBe(409);
    expect(taken.json().error).toMatch(/nickname "JANE" is taken/);
    const twice = await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/web', nickname: 'j2' });
    expect(twice.status).toBe(409);
    expect(await occupants()).toHaveLength(1);
  });

  it('answers 404 for an unknown room or service', async () => {
    await withLobby();
    const occupant = { jid: 'jane@example.org/web', nickname: 'jane' };
    expect((await control('POST', 'occupants', { room: 'nope', ...occupant })).status).toBe(404);
    expect((await control('POST', 'occupants', { service: 'x', room: 'lobby', ...occupant })).status).toBe(404);
  });

  it.each([
    [{ jid: 'jane@example.org', nickname: 'jane' }, /"room" is required/],
    [{ room: 'lobby', nickname: 'jane' }, /"jid" is required/],
    [{ room: 'lobby', jid: 'example.org', nickname: 'jane' }, /"jid" must be a user's JID/],
    [{ room: 'lobby', jid: 'a b@example.org', nickname: 'jane' }, /"jid" must be a user's JID/],
    [{ room: 'lobby', jid: 'jane@example.org' }, /"nickname" is required/],
    [{ room: 'lobby', jid: 'jane@example.org', nickname: 'jane', role: 'owner' }, /"role" must be one of/],
  ])('answers 400 for %j', async (body, message) => {
    await withLobby();
    const res = await control('POST', 'occupants', body);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(message);
  });
});

describe('DELETE /__emulator/occupants', () => {
  async function three(): Promise<void> {
    await withLobby();
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/web', nickname: 'Jane' });
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/phone', nickname: 'jane2' });
    await control('POST', 'occupants', { room: 'lobby', jid: 'john@example.org/web', nickname: 'john' });
  }
  const nicknames = async () => (await occupants()).map((o: { jid: string }) => o.jid.split('/')[1]);

  it('takes out the occupant with a nickname, in any case', async () => {
    await three();
    expect((await control('DELETE', 'occupants', { room: 'lobby', nickname: 'JANE' })).status).toBe(204);
    expect(await nicknames()).toEqual(['jane2', 'john']);
  });

  it("takes out a full JID's occupant, or every occupant of a bare JID", async () => {
    await three();
    expect((await control('DELETE', 'occupants', { room: 'lobby', jid: 'john@example.org/web' })).status).toBe(204);
    expect(await nicknames()).toEqual(['Jane', 'jane2']);
    expect((await control('DELETE', 'occupants', { room: 'lobby', jid: 'jane@example.org' })).status).toBe(204);
    expect(await occupants()).toEqual([]);
  });

  it('answers 404 when nobody matches, and 400 unless exactly one of nickname and jid is given', async () => {
    await three();
    expect((await control('DELETE', 'occupants', { room: 'lobby', nickname: 'ghost' })).status).toBe(404);
    expect((await control('DELETE', 'occupants', { room: 'lobby', jid: 'ann@example.org' })).status).toBe(404);
    expect((await control('DELETE', 'occupants', { room: 'nope', nickname: 'john' })).status).toBe(404);
    const both = await control('DELETE', 'occupants', { room: 'lobby', nickname: 'john', jid: 'john@example.org' });
    expect(both.status).toBe(400);
    expect(both.json().error).toMatch(/exactly one of "nickname" and "jid"/);
    expect((await control('DELETE', 'occupants', { room: 'lobby' })).status).toBe(400);
    expect(await nicknames()).toEqual(['Jane', 'jane2', 'john']);
  });
});

describe('the simulated-client calls', () => {
  it('are not counted in the request statistics', async () => {
    await withLobby();
    await control('POST', 'sessions', { username: 'jane', resource: 'web' });
    await control('PATCH', sessionPath('jane@example.org/web'), { presenceStatus: 'Away' });
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/web', nickname: 'jane' });
    await control('DELETE', 'occupants', { room: 'lobby', nickname: 'jane' });
    await control('DELETE', sessionPath('jane@example.org/web'));
    await control('POST', 'sessions', { username: 'nobody' });
    expect((await control('GET', 'stats')).json()).toEqual({ total: 0, routes: {} });
  });

  it('answer 404 for a method they do not have', async () => {
    expect((await control('GET', 'sessions')).status).toBe(404);
    expect((await control('PUT', 'occupants', {})).status).toBe(404);
  });

  it('are undone by a reset, like any change', async () => {
    await control('POST', 'sessions', { username: 'jane' });
    await control('POST', 'reset');
    expect(await sessions()).toEqual([]);
  });

  it('leave the state the snapshot shows', async () => {
    await withLobby();
    await control('POST', 'occupants', { room: 'lobby', jid: 'jane@example.org/web', nickname: 'jane' });
    expect(storedRoom(await t.ready, 'lobby').occupants).toEqual([
      { nickname: 'jane', userAddress: 'jane@example.org/web', role: 'participant' },
    ]);
  });
});

describe('simulated clients with --data', () => {
  it('are saved to the data file like any other change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-clients-'));
    const file = join(dir, 'state.json');
    const emulator = await startEmulator({ seed: demoSeed(settings), control: true, dataFile: file });
    const res = await call(emulator.url, 'POST', '//__emulator/sessions', {
      auth: null,
      body: { username: 'john', resource: 'phone' },
    });
    expect(res.status).toBe(201);
    const saved = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).sessions.length : 0);
    await expect.poll(saved, { timeout: 5_000 }).toBe(1);
    await emulator.close();
    rmSync(dir, { recursive: true });
  });
});

describe('without --control', () => {
  const plain = useEmulator({ control: false });
  it('offers no simulated clients', async () => {
    const e = await plain.ready;
    const res = await call(e.url, 'POST', '//__emulator/sessions', { auth: SECRET, body: { username: 'jane' } });
    expect(res.status).toBe(404);
    expect(e.snapshot().sessions).toEqual([]);
  });
});
