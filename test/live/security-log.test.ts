import { describe, expect, it } from 'vitest';
import type { SecurityLogRecord } from '../../src/emulator/store.js';
import { dataOf, type LiveResult } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

/**
 * `securityAuditLog`: entries logged after the subscription began, oldest first. Openfire logs admin-console actions,
 * which the REST API cannot cause, so entries are added behind the API (`emulator.edit`, as a fixture or
 * `PUT /__emulator/state` would). With API keys: the gateway polls with its own credential.
 */
const ADMIN = 'Bearer admin-key';
const READ = 'Bearer read-key';
const gw = await startLiveGateway({
  // One poll may bring more entries than the default buffer of 100 (a tail read page by page).
  live: { buffer: 400 },
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
});

const LOG = 'subscription { securityAuditLog { logId username timestamp summary node details } }';
const entry = (result: LiveResult) => dataOf(result).securityAuditLog;

/** The showcase's newest entry was logged at 09:04 on its boot day; these come later. */
const BASE = Date.UTC(2026, 0, 1, 10, 0, 0) / 1000;

function log(...entries: Array<Pick<SecurityLogRecord, 'logId' | 'summary'> & { at?: number }>): void {
  gw.emulator.edit((draft) => {
    for (const { logId, summary, at } of entries) {
      draft.securityLog.push({
        logId,
        username: 'admin',
        timestamp: at ?? BASE + logId,
        summary,
        node: 'node1',
        details: `#${logId}`,
      });
    }
  });
}

describe.each([
  ['SSE', () => gw.sse(LOG, { authorization: ADMIN })],
  ['WebSocket', async () => gw.ws(LOG, { authorization: ADMIN })],
])('securityAuditLog over %s', (_name, subscribe) => {
  it('sends entries logged after it began, oldest first, each once', async () => {
    const feed = await subscribe();
    await gw.subscribed(1);
    log({ logId: 4, summary: 'set property b' }, { logId: 3, summary: 'set property a' });
    await gw.poll();
    expect((await feed.take(2)).map(entry)).toEqual([
      {
        logId: '3',
        username: 'admin',
        timestamp: new Date((BASE + 3) * 1000).toISOString(),
        summary: 'set property a',
        node: 'node1',
        details: '#3',
      },
      expect.objectContaining({ logId: '4', summary: 'set property b' }),
    ]);
    // Nothing new: nothing sent. Then an entry in the same second as the last one seen.
    await gw.poll();
    log({ logId: 5, summary: 'same second', at: BASE + 4 });
    await gw.poll();
    expect(entry(await feed.next())).toMatchObject({ logId: '5', summary: 'same second' });
    expect(feed.unread).toBe(0);
  });
});

describe('securityAuditLog', () => {
  it('leaves out the entries logged before it began', async () => {
    const feed = await gw.sse(LOG, { authorization: ADMIN });
    await gw.subscribed(1);
    log({ logId: 3, summary: 'after' });
    await gw.poll();
    expect(entry(await feed.next())).toMatchObject({ logId: '3', summary: 'after' });
    expect(feed.all).toHaveLength(1);
  });

  it('reads only the tail of the log once it knows where it ends', async () => {
    const feed = await gw.sse(LOG, { authorization: ADMIN });
    await gw.subscribed(1);
    log({ logId: 3, summary: 'x' });
    await gw.poll();
    await feed.next();
    gw.emulator.stats.reset();
    await gw.poll();
    expect(gw.calls('GET /logs/security')).toBe(1);
  });

  it('reads a tail longer than a page page by page', async () => {
    const feed = await gw.sse(LOG, { authorization: ADMIN });
    await gw.subscribed(1);
    log(...Array.from({ length: 150 }, (_, i) => ({ logId: 10 + i, summary: `bulk ${i}`, at: BASE + 1 })));
    gw.emulator.stats.reset();
    await gw.poll();
    expect(gw.calls('GET /logs/security')).toBe(2);
    const ids = (await feed.take(150)).map((r) => Number(entry(r).logId));
    expect(ids).toEqual(Array.from({ length: 150 }, (_, i) => 10 + i));
  });

  it('is for administrators only: a read key is refused', async () => {
    const feed = await gw.sse(LOG, { authorization: READ });
    const [result] = await feed.take(1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await feed.done()).toEqual({ kind: 'complete' });
  });
});
