import type { Session } from '../../upstream/model.js';
import type { LiveUpstream } from '../hub.js';
import type { View } from '../poller.js';
import type { Sessions } from './sessions.js';

/** A user's presence as their contacts see it: the one of their sessions that XMPP would route to. */
export interface Presence {
  readonly username: string;
  readonly online: boolean;
  readonly presenceStatus: string | null;
  readonly presenceMessage: string | null;
}

const offline = (username: string): Presence => ({
  username,
  online: false,
  presenceStatus: null,
  presenceMessage: null,
});

/**
 * Whether `a` outranks `b` as the user's presence: the highest priority (RFC 6121, section 8.5.2.1.1), then the most
 * recently active, then the session id so the choice never flips between equal polls.
 */
const outranks = (a: Session, b: Session): boolean =>
  a.priority !== b.priority
    ? a.priority > b.priority
    : (a.lastActionDate ?? 0) !== (b.lastActionDate ?? 0)
      ? (a.lastActionDate ?? 0) > (b.lastActionDate ?? 0)
      : a.sessionId < b.sessionId;

/** Each user's presence in one poll, computed once per poll however many views read it. */
const aggregates = new WeakMap<Sessions, ReadonlyMap<string, Presence>>();

export function presenceOf(sessions: Sessions): ReadonlyMap<string, Presence> {
  const known = aggregates.get(sessions);
  if (known) return known;
  // Sessions without a presence (still negotiating, or anonymous) do not make anyone online.
  const best = new Map<string, Session>();
  for (const session of sessions.values()) {
    if (session.presenceStatus === null) continue;
    const current = best.get(session.username);
    if (current === undefined || outranks(session, current)) best.set(session.username, session);
  }
  const result = new Map<string, Presence>();
  for (const [username, session] of best) {
    result.set(username, {
      username,
      online: true,
      presenceStatus: session.presenceStatus,
      presenceMessage: session.presenceMessage,
    });
  }
  aggregates.set(sessions, result);
  return result;
}

const same = (a: Presence, b: Presence): boolean =>
  a.online === b.online && a.presenceStatus === b.presenceStatus && a.presenceMessage === b.presenceMessage;

/** The presence changes of `watched` users between two polls (all users when `watched` is null). */
function changes(previous: Sessions, next: Sessions, watched: ReadonlySet<string> | null): Presence[] {
  const before = presenceOf(previous);
  const after = presenceOf(next);
  const names = watched ?? new Set([...before.keys(), ...after.keys()]);
  const events: Presence[] = [];
  for (const username of names) {
    const a = before.get(username) ?? offline(username);
    const b = after.get(username) ?? offline(username);
    if (!same(a, b)) events.push(b);
  }
  return events;
}

/** The current state of `watched` users (of everyone online when `watched` is null). */
function current(sessions: Sessions, watched: ReadonlySet<string> | null): Presence[] {
  const now = presenceOf(sessions);
  if (watched === null) return [...now.values()];
  return [...watched].map((username) => now.get(username) ?? offline(username));
}

/** For administrators and read keys: the listed users, or everyone. */
export function presenceView(usernames: readonly string[] | null): View<Sessions, Presence> {
  const watched = usernames === null ? null : new Set(usernames);
  return {
    key: watched === null ? 'presence:*' : `presence:${JSON.stringify([...watched].sort())}`,
    project: (previous, next) => (previous === null ? current(next, watched) : changes(previous, next, watched)),
  };
}

/** How long an end user's roster is trusted before it is read again. */
export const CONTACTS_TTL_MS = 30_000;

/** Roster subscription types that let the roster's owner see the contact's presence: `to` (1) and `both` (3). */
const SEES_PRESENCE = new Set([1, 3]);

export interface ContactsViewOptions {
  /** The signed-in end user. */
  readonly username: string;
  /** Only these of their contacts; all of them when null. */
  readonly usernames: readonly string[] | null;
  /** The XMPP domain: roster JIDs of other domains are not local users whose sessions Openfire lists. */
  readonly domain: string;
  /** Reads the roster with the gateway's credential. */
  readonly upstream: LiveUpstream;
  readonly now: () => number;
}

/**
 * For an end user: the presence of their contacts whose subscription lets them see it, as XMPP decides, whatever
 * else they ask for (other names are left out silently, as a server sends no presence it may not). The roster is
 * read when the view is first prepared and again after `CONTACTS_TTL_MS`; a failed read keeps the last one.
 */
export function contactsView(options: ContactsViewOptions): View<Sessions, Presence> {
  const { username, usernames, domain, upstream, now } = options;
  let visible = new Set<string>();
  let readAt: number | null = null;
  const asked = usernames === null ? null : new Set(usernames);
  const watched = (): Set<string> =>
    asked === null ? visible : new Set([...asked].filter((name) => visible.has(name)));
  const suffix = `@${domain}`;
  return {
    key: `contacts:${username}:${JSON.stringify(asked === null ? null : [...asked].sort())}`,
    async prepare() {
      if (readAt !== null && now() - readAt < CONTACTS_TTL_MS) return;
      const roster = await upstream('GET /users/{username}/roster', { path: { username } });
      visible = new Set(
        roster
          .filter((item) => SEES_PRESENCE.has(item.subscriptionType) && item.jid.toLowerCase().endsWith(suffix))
          .map((item) => item.jid.slice(0, -suffix.length).toLowerCase()),
      );
      readAt = now();
    },
    project: (previous, next) => (previous === null ? current(next, watched()) : changes(previous, next, watched())),
  };
}
