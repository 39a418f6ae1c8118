import { expect, it } from 'vitest';
import { defined } from '../../helpers/defined.js';
import { badRequest, expectEach, forbidden, notFound, nullable, rejects, serverError } from './assertions.js';
import { STAMP, sessionFor } from './fixtures.js';
import type { Contract } from './target.js';

const text = nullable(String);
const SESSION_SHAPE = {
  sessionId: expect.any(String),
  username: expect.any(String),
  resource: text,
  node: text,
  sessionStatus: text,
  presenceStatus: text,
  presenceMessage: text,
  priority: expect.any(Number),
  hostAddress: text,
  hostName: text,
  creationDate: nullable(Number),
  lastActionDate: nullable(Number),
  secure: expect.any(Boolean),
};
const LOG_SHAPE = {
  logId: expect.any(Number),
  username: expect.any(String),
  timestamp: expect.any(Number),
  summary: text,
  node: text,
  details: text,
};

/**
 * openfire-rest-api.md §5.12 sessions and §5.13 messages, unread counts and the security log: data that live traffic
 * creates.
 */
export function liveCases({ client, target, fx, cases }: Contract): void {
  /** A fresh user; on the emulator logged in from a desk, on a real server without sessions. */
  async function loggedIn() {
    const { username } = await fx.user();
    const session = sessionFor(target, username, 'desk');
    target.emulator?.edit((draft) => {
      draft.sessions.push(session);
    });
    return { username, sessions: target.emulator ? [session] : [] };
  }
  const sessionsOf = (username: string) => client.call('GET /sessions/{username}', { path: { username } });

  cases('GET /sessions', () => {
    it('lists every client session', async () => {
      const { sessions } = await loggedIn();
      const all = await client.call('GET /sessions', {});
      expectEach(all, SESSION_SHAPE);
      for (const session of sessions) expect(all).toContainEqual(session);
    });
  });

  cases('GET /sessions/{username}', () => {
    it("lists the user's sessions", async () => {
      const { username, sessions } = await loggedIn();
      expect(await sessionsOf(username)).toEqual(sessions);
    });

    it('answers no sessions for an unknown user', async () => {
      expect(await sessionsOf(fx.name('nobody'))).toEqual([]);
    });
  });

  cases('DELETE /sessions/{username}', () => {
    it("closes the user's sessions", async () => {
      const { username } = await loggedIn();
      expect(await client.call('DELETE /sessions/{username}', { path: { username } })).toBeUndefined();
      expect(await sessionsOf(username)).toEqual([]);
    });
  });

  cases('POST /messages/users', () => {
    // On a real server this really reaches every connected user.
    it('broadcasts the message to every session', async () => {
      const { sessions } = await loggedIn();
      expect(await client.call('POST /messages/users', { body: { body: 'Maintenance at noon' } })).toBeUndefined();
      if (target.emulator) {
        const broadcasts = target.emulator
          .snapshot()
          .outbox.filter((o) => o.kind === 'broadcast')
          .map((o) => o.to);
        expect(broadcasts).toEqual(expect.arrayContaining(sessions.map((s) => s.sessionId)));
      }
    });

    it('fails with BAD_REQUEST IllegalArgumentException for an empty message', async () => {
      await rejects(
        client.call('POST /messages/users', { body: { body: '' } }),
        badRequest('IllegalArgumentException'),
      );
    });
  });

  cases('GET /archive/messages/unread/{jid}', () => {
    it('counts the unread messages of the JID, echoing it', async () => {
      const jid = target.jid((await fx.user()).username);
      target.emulator?.edit((draft) => {
        draft.unread[jid] = 4;
      });
      expect(await client.call('GET /archive/messages/unread/{jid}', { path: { jid } })).toEqual({
        jid,
        count: target.emulator ? 4 : expect.any(Number),
      });
    });

    it('fails with SERVER_ERROR for a value that is not a JID', async () => {
      const jid = `not valid@${target.domain}`;
      await rejects(client.call('GET /archive/messages/unread/{jid}', { path: { jid } }), serverError(null));
    });
  });

  cases('GET /logs/security', () => {
    it('lists the audit entries of a user, newest first, with times in milliseconds', async () => {
      const { username } = await fx.user();
      const seconds = Math.floor(STAMP / 1000);
      const entry = (logId: number, timestamp: number, summary: string) => ({
        logId,
        username,
        timestamp,
        summary,
        node: 'node1',
        details: 'by the contract suite',
      });
      target.emulator?.edit((draft) => {
        draft.securityLog.push(entry(9001, seconds, 'first'), entry(9002, seconds + 60, 'second'));
      });
      const logs = await client.call('GET /logs/security', { query: { username, limit: 10 } });
      if (target.emulator) {
        expect(logs).toEqual([entry(9002, (seconds + 60) * 1000, 'second'), entry(9001, seconds * 1000, 'first')]);
      } else {
        expectEach(logs, { ...LOG_SHAPE, username });
      }
    });

    it('fails with NOT_FOUND for an offset that is not a number', async () => {
      await rejects(client.call('GET /logs/security', { query: { offset: 'first' } }), notFound(null));
    });

    it.runIf(target.embedded)(
      'fails with FORBIDDEN AuditWriteOnlyException while the audit log is write-only',
      async () => {
        defined(target.emulator, 'the embedded emulator').edit((draft) => {
          draft.auditWriteOnly = true;
        });
        await rejects(client.call('GET /logs/security', {}), forbidden('AuditWriteOnlyException', 'SecurityLogs'));
      },
    );
  });
}
