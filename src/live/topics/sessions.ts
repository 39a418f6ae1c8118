import type { Session } from '../../upstream/model.js';
import { mapCodec } from '../codec.js';
import type { Topic } from '../hub.js';
import type { View } from '../poller.js';

/** Every session open now, by its full JID: one `GET /sessions` per poll, shared by session events and presence. */
export type Sessions = ReadonlyMap<string, Session>;

export const sessionsTopic: Topic<Sessions> = {
  name: 'sessions',
  key: '',
  codec: mapCodec<Session>(),
  read: async (upstream, _previous, signal) =>
    new Map((await upstream('GET /sessions', {}, signal)).map((session) => [session.sessionId, session])),
};

export type SessionEventKind = 'STARTED' | 'CHANGED' | 'ENDED';

export interface SessionEvent {
  readonly kind: SessionEventKind;
  /** As the poll read it; for ENDED, as last seen. */
  readonly session: Session;
}

/**
 * Whether a session changed in what subscribers are shown. `lastActionDate` alone does not count: it moves with
 * every stanza the client sends, and an event per message would drown the presence changes.
 */
const changed = (a: Session, b: Session): boolean =>
  a.presenceStatus !== b.presenceStatus ||
  a.presenceMessage !== b.presenceMessage ||
  a.priority !== b.priority ||
  a.sessionStatus !== b.sessionStatus ||
  a.node !== b.node ||
  a.hostAddress !== b.hostAddress;

/** The difference between two polls: sessions started, changed and ended, in that order. */
export function sessionChanges(previous: Sessions, next: Sessions): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const [id, session] of next) {
    const before = previous.get(id);
    if (before === undefined) events.push({ kind: 'STARTED', session });
    else if (changed(before, session)) events.push({ kind: 'CHANGED', session });
  }
  for (const [id, session] of previous) if (!next.has(id)) events.push({ kind: 'ENDED', session });
  return events;
}

/**
 * Session events; with `current`, a subscriber first gets a STARTED event for each session open when it subscribed,
 * so a list can be built from the stream alone.
 */
export const sessionEventsView = (current: boolean): View<Sessions, SessionEvent> => ({
  key: current ? 'sessionEvents:current' : 'sessionEvents',
  project: (previous, next) =>
    previous === null
      ? current
        ? [...next.values()].map((session) => ({ kind: 'STARTED', session }))
        : []
      : sessionChanges(previous, next),
});
