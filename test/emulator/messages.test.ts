import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../../src/emulator/seeds/builders.js';
import type { SecurityLogRecord, Snapshot } from '../../src/emulator/store.js';
import { useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
/** The `<error>` entity of RESTExceptionMapper, elements in JAXB's alphabetical order (openfire-rest-api.md §4.3). */
const xmlError = (exception: string, message: string, resource: string): string =>
  `${XML}<error><exception>${exception}</exception><message>${message}</message><resource>${resource}</resource></error>`;
const JSON_ACCEPT = { accept: 'application/json' };

async function state(): Promise<Snapshot> {
  return (await t.ready).snapshot();
}

async function edit(change: (draft: Snapshot) => void): Promise<void> {
  (await t.ready).edit(change);
}

const session = (username: string, resource: string) => sessionRecord(username, 'example.org', resource, 0);

describe('POST /messages/users', () => {
  it('sends the body to every session', async () => {
    await edit((draft) => {
      draft.sessions = [session('jane', 'phone'), session('john', 'desk')];
    });
    const res = await t.api('POST', '/messages/users', {
      body: '<message><body>Maintenance at 10:00</body></message>',
    });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    const sent = (await state()).outbox.filter((o) => o.kind === 'broadcast').map((o) => [o.to, o.body]);
    expect(sent).toEqual([
      ['jane@example.org/phone', 'Maintenance at 10:00'],
      ['john@example.org/desk', 'Maintenance at 10:00'],
    ]);
  });

  it('answers 201 without sessions to send to', async () => {
    expect((await t.api('POST', '/messages/users', { body: { body: 'hello' } })).status).toBe(201);
    expect((await state()).outbox).toEqual([]);
  });

  it('rejects a missing or empty body text with IllegalArgumentException and an empty resource', async () => {
    const json = await t.api('POST', '/messages/users', { body: { body: '' } });
    expect(json.status).toBe(400);
    expect(json.text).toBe(
      '{"resource":"","message":"Message content/body is null or empty","exception":"IllegalArgumentException"}',
    );
    const xml = await t.api('POST', '/messages/users', { body: '<message/>' });
    expect(xml.status).toBe(400);
    expect(xml.text).toBe(xmlError('IllegalArgumentException', 'Message content/body is null or empty', ''));
  });

  it('fails with an unmapped 500 for an empty JSON entity', async () => {
    const res = await t.api('POST', '/messages/users', {
      body: '',
      contentType: 'application/json',
      accept: 'application/json',
    });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ message: 'Request failed.', status: '500' });
  });
});

describe('GET /archive/messages/unread/{jid}', () => {
  it('counts unread messages by bare JID and echoes the JID as given', async () => {
    await edit((draft) => {
      draft.unread['john@example.org'] = 4;
    });
    expect((await t.api('GET', '/archive/messages/unread/John@Example.org')).text).toBe(
      `${XML}<archive><jid>John@Example.org</jid><count>4</count></archive>`,
    );
    expect((await t.api('GET', '/archive/messages/unread/john@example.org', JSON_ACCEPT)).text).toBe(
      '{"jid":"john@example.org","count":4}',
    );
  });

  it('answers 0 for a JID without archive rows and for a plain username', async () => {
    await edit((draft) => {
      draft.unread['john@example.org'] = 4;
    });
    expect((await t.api('GET', '/archive/messages/unread/jane@example.org', JSON_ACCEPT)).text).toBe(
      '{"jid":"jane@example.org","count":0}',
    );
    expect((await t.api('GET', '/archive/messages/unread/john')).text).toBe(
      `${XML}<archive><jid>john</jid><count>0</count></archive>`,
    );
  });

  it('fails with an unmapped 500 for an invalid JID', async () => {
    const res = await t.api('GET', '/archive/messages/unread/a b@example.org', JSON_ACCEPT);
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ message: 'Request failed.', status: '500' });
  });
});

function log(logId: number, username: string, timestamp: number): SecurityLogRecord {
  return { logId, username, timestamp, summary: `event ${logId}`, node: 'node1', details: `details ${logId}` };
}

async function seedLogs(): Promise<void> {
  await edit((draft) => {
    draft.securityLog = [log(1, 'admin', 1000), log(2, 'jane', 2000), log(3, 'admin', 3000), log(4, 'admin', 4000)];
  });
}

async function logIds(query: string): Promise<number[]> {
  const res = await t.api('GET', `/logs/security${query}`, JSON_ACCEPT);
  expect(res.status).toBe(200);
  return res.json().logs.map((l: SecurityLogRecord) => l.logId);
}

describe('GET /logs/security', () => {
  it('lists no logs as an empty root in XML and an empty array in JSON', async () => {
    expect((await t.api('GET', '/logs/security')).text).toBe(`${XML}<logs/>`);
    expect((await t.api('GET', '/logs/security', JSON_ACCEPT)).text).toBe('{"logs":[]}');
  });

  it('lists entries newest first with timestamps in epoch seconds', async () => {
    await edit((draft) => {
      draft.securityLog = [log(1, 'admin', 1000), log(2, 'jane', 2000)];
    });
    expect((await t.api('GET', '/logs/security')).text).toBe(
      `${XML}<logs><log><details>details 2</details><logId>2</logId><node>node1</node><summary>event 2</summary><timestamp>2000</timestamp><username>jane</username></log>` +
        '<log><details>details 1</details><logId>1</logId><node>node1</node><summary>event 1</summary><timestamp>1000</timestamp><username>admin</username></log></logs>',
    );
    expect((await t.api('GET', '/logs/security', JSON_ACCEPT)).text).toBe(
      '{"logs":[{"logId":2,"username":"jane","timestamp":2000,"summary":"event 2","node":"node1","details":"details 2"},' +
        '{"logId":1,"username":"admin","timestamp":1000,"summary":"event 1","node":"node1","details":"details 1"}]}',
    );
  });

  it('filters by exact username', async () => {
    await seedLogs();
    expect(await logIds('?username=admin')).toEqual([4, 3, 1]);
    expect(await logIds('?username=Admin')).toEqual([]);
  });

  it('bounds by start and end seconds inclusively, 0 meaning unbounded', async () => {
    await seedLogs();
    expect(await logIds('?startTime=2000&endTime=3000')).toEqual([3, 2]);
    expect(await logIds('?startTime=3000')).toEqual([4, 3]);
    expect(await logIds('?endTime=2000&startTime=0')).toEqual([2, 1]);
  });

  it('skips offset entries and returns at most limit entries', async () => {
    await seedLogs();
    expect(await logIds('?offset=1&limit=2')).toEqual([3, 2]);
    expect(await logIds('?offset=3')).toEqual([1]);
    expect(await logIds('?username=admin&limit=1')).toEqual([4]);
  });

  it('answers a bare 404 for query numbers that do not parse', async () => {
    for (const query of ['?offset=x', '?limit=1.5', '?startTime=soon', '?endTime=']) {
      const res = await t.api('GET', `/logs/security${query}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('<error>');
    }
  });

  it('answers 403 AuditWriteOnlyException when the audit provider is write-only', async () => {
    await edit((draft) => {
      draft.auditWriteOnly = true;
    });
    const res = await t.api('GET', '/logs/security');
    expect(res.status).toBe(403);
    expect(res.text).toBe(
      xmlError(
        'AuditWriteOnlyException',
        'Could not get security audit logs, because the permission is set to write only',
        'SecurityLogs',
      ),
    );
  });
});
