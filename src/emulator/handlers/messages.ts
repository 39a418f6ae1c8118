import type { RouteKey } from '../../upstream/routes.js';
import { bare, parseJid } from '../../xmpp/jid.js';
import { badRequest, ServiceError, UnmappedError } from '../errors.js';
import { intQuery } from '../http/params.js';
import { type EmuRequest, empty, entity, type Handler } from '../http/types.js';
import type { SecurityLogRecord } from '../store.js';
import { jidOrUnmapped } from './lookup.js';

/**
 * A server message to every session, recorded in the outbox; a missing entity is an NPE (openfire-rest-api.md §7.15).
 */
const broadcast: Handler = (req, ctx) => {
  if (req.body === null) throw new UnmappedError('message entity is null');
  const body = req.body.body as string | null;
  if (body === null || body === '') {
    throw badRequest('IllegalArgumentException', 'Message content/body is null or empty', '');
  }
  const { state } = ctx.store;
  const at = Date.now();
  for (const session of state.sessions) state.outbox.push({ kind: 'broadcast', to: session.sessionId, body, at });
  return empty(201);
};

/** Counted by bare JID and echoed as given; a plain username is a domain-only JID (openfire-rest-api.md §7.15). */
const unread: Handler = (req, ctx) => {
  const jid = req.params.jid ?? '';
  const address = jidOrUnmapped(() => bare(parseJid(jid)));
  return entity('archive', { jid, count: ctx.store.state.unread.get(address) ?? 0 });
};

/** Start and end are epoch seconds, 0 meaning unbounded, both inclusive (openfire-rest-api.md §7.15). */
function matches(log: SecurityLogRecord, username: string | null, start: number, end: number): boolean {
  return (
    (username === null || log.username === username) &&
    (start === 0 || log.timestamp >= start) &&
    (end === 0 || log.timestamp <= end)
  );
}

const newestFirst = (a: SecurityLogRecord, b: SecurityLogRecord): number =>
  b.timestamp - a.timestamp || b.logId - a.logId;

function securityLogs(req: EmuRequest, logs: readonly SecurityLogRecord[]): SecurityLogRecord[] {
  const username = req.query.get('username');
  const start = intQuery(req, 'startTime', 0);
  const end = intQuery(req, 'endTime', 0);
  // Negative offsets and limits are not described by openfire-rest-api.md §7.15; they are treated as 0.
  const offset = Math.max(0, intQuery(req, 'offset', 0));
  const limit = Math.max(0, intQuery(req, 'limit', 100));
  const hits = logs.filter((log) => matches(log, username, start, end)).sort(newestFirst);
  return hits.slice(offset, offset + limit);
}

const logs: Handler = (req, ctx) => {
  if (ctx.store.state.auditWriteOnly) {
    throw new ServiceError(
      403,
      'AuditWriteOnlyException',
      'Could not get security audit logs, because the permission is set to write only',
      'SecurityLogs',
    );
  }
  return entity('logs', { logs: securityLogs(req, ctx.store.state.securityLog) });
};

export const messageHandlers = {
  'POST /messages/users': broadcast,
  'GET /archive/messages/unread/{jid}': unread,
  'GET /logs/security': logs,
} satisfies Partial<Record<RouteKey, Handler>>;
