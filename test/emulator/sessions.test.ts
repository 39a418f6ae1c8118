import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import type { SessionRecord } from '../../src/emulator/store.js';
import { useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const JSON_ACCEPT = { accept: 'application/json' };
const CREATED = Date.UTC(2026, 0, 1, 9, 0, 0);

const session = (username: string, resource: string, overrides: Partial<SessionRecord> = {}): SessionRecord =>
  sessionRecord(username, 'example.org', resource, CREATED, {
    presenceMessage: 'here',
    priority: 5,
    hostAddress: '198.51.100.7',
    hostName: 'client.example.net',
    lastActionDate: CREATED + 1500,
    ...overrides,
  });

async function seedSessions(...sessions: SessionRecord[]): Promise<void> {
  (await t.ready).edit((draft) => {
    draft.sessions = sessions;
  });
}

const janeXml =
  '<session><sessionId>jane@example.org/phone</sessionId><username>jane</username><resource>phone</resource><node>Local</node>' +
  '<sessionStatus>Authenticated</sessionStatus><presenceStatus>Online</presenceStatus><presenceMessage>here</presenceMessage>' +
  '<priority>5</priority><hostAddress>198.51.100.7</hostAddress><hostName>client.example.net</hostName>' +
  '<creationDate>2026-01-01T09:00:00Z</creationDate><lastActionDate>2026-01-01T09:00:01.500Z</lastActionDate><secure>true</secure></session>';

const janeJson =
  '{"sessionId":"jane@example.org/phone","username":"jane","resource":"phone","node":"Local","sessionStatus":"Authenticated",' +
  '"presenceStatus":"Online","presenceMessage":"here","priority":5,"hostAddress":"198.51.100.7","hostName":"client.example.net",' +
  `"creationDate":${CREATED},"lastActionDate":${CREATED + 1500},"secure":true}`;

describe('GET /sessions', () => {
  it('lists no sessions as an empty root in XML and an empty array in JSON', async () => {
    expect((await t.api('GET', '/sessions')).text).toBe(`${XML}<sessions/>`);
    expect((await t.api('GET', '/sessions', JSON_ACCEPT)).text).toBe('{"sessions":[]}');
  });

  it('lists every session with all fields in entity order', async () => {
    await seedSessions(session('jane', 'phone'));
    const xml = await t.api('GET', '/sessions');
    expect(xml.status).toBe(200);
    expect(xml.text).toBe(`${XML}<sessions>${janeXml}</sessions>`);
    expect((await t.api('GET', '/sessions', JSON_ACCEPT)).text).toBe(`{"sessions":[${janeJson}]}`);
  });

  it('leaves out presence fields and host data that are unknown', async () => {
    const bare = { presenceStatus: null, presenceMessage: null, priority: 0, hostAddress: null, hostName: null };
    await seedSessions(session('john', 'desk', { ...bare, node: 'Remote', secure: false }));
    expect((await t.api('GET', '/sessions', JSON_ACCEPT)).json().sessions[0]).toEqual({
      sessionId: 'john@example.org/desk',
      username: 'john',
      resource: 'desk',
      node: 'Remote',
      sessionStatus: 'Authenticated',
      priority: 0,
      creationDate: CREATED,
      lastActionDate: CREATED + 1500,
      secure: false,
    });
  });
});

describe('GET /sessions/{username}', () => {
  it("lists only that user's sessions", async () => {
    await seedSessions(session('jane', 'phone'), session('john', 'desk'));
    expect((await t.api('GET', '/sessions/jane')).text).toBe(`${XML}<sessions>${janeXml}</sessions>`);
    expect((await t.api('GET', '/sessions/jane', JSON_ACCEPT)).text).toBe(`{"sessions":[${janeJson}]}`);
  });

  it('matches the raw name case-sensitively and answers an empty 200 for unknown users', async () => {
    await seedSessions(session('jane', 'phone'));
    const cased = await t.api('GET', '/sessions/Jane');
    expect(cased.status).toBe(200);
    expect(cased.text).toBe(`${XML}<sessions/>`);
    const unknown = await t.api('GET', '/sessions/nobody', JSON_ACCEPT);
    expect(unknown.status).toBe(200);
    expect(unknown.text).toBe('{"sessions":[]}');
  });
});

describe('DELETE /sessions/{username}', () => {
  it("closes the user's sessions with a not-authorized stream error", async () => {
    await seedSessions(session('jane', 'phone'), session('jane', 'desk'), session('john', 'desk'));
    const res = await t.api('DELETE', '/sessions/jane');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const left = await t.api('GET', '/sessions', JSON_ACCEPT);
    expect(left.json().sessions.map((s: SessionRecord) => s.sessionId)).toEqual(['john@example.org/desk']);
    const kicks = (await t.ready).snapshot().outbox.filter((o) => o.kind === 'kick');
    expect(kicks.map((k) => [k.to, k.body])).toEqual([
      ['jane@example.org/phone', 'not-authorized'],
      ['jane@example.org/desk', 'not-authorized'],
    ]);
  });

  it('answers 200 when the user has no sessions', async () => {
    await seedSessions(session('jane', 'phone'));
    expect((await t.api('DELETE', '/sessions/JANE')).status).toBe(200);
    expect((await t.api('GET', '/sessions/jane', JSON_ACCEPT)).json().sessions).toHaveLength(1);
  });
});

describe('GET /system/statistics/sessions', () => {
  it('counts local and cluster-wide sessions under a sessions root', async () => {
    await seedSessions(session('jane', 'phone'), session('jane', 'desk', { node: 'Remote' }), session('john', 'desk'));
    const xml = await t.api('GET', '/system/statistics/sessions');
    expect(xml.status).toBe(200);
    expect(xml.text).toBe(
      `${XML}<sessions><clusterSessions>3</clusterSessions><localSessions>2</localSessions></sessions>`,
    );
    expect((await t.api('GET', '/system/statistics/sessions', JSON_ACCEPT)).text).toBe(
      '{"localSessions":2,"clusterSessions":3}',
    );
  });

  it('reports zero counts without sessions', async () => {
    expect((await t.api('GET', '/system/statistics/sessions', JSON_ACCEPT)).text).toBe(
      '{"localSessions":0,"clusterSessions":0}',
    );
  });
});
