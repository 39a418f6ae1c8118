import type { SecurityLogEntry } from '../../upstream/model.js';
import { plainCodec } from '../codec.js';
import type { Topic } from '../hub.js';
import type { View } from '../poller.js';

/** What one poll of the security audit log found: entries newer than any seen before, oldest first. */
export interface SecurityLogPoll {
  /** The highest `logId` seen so far (Openfire numbers entries in order); -1 while the log is empty. */
  readonly lastId: number;
  /** The second of the newest entry seen, sent as `startTime` so each poll reads only the log's tail. */
  readonly since: number | null;
  readonly entries: readonly SecurityLogEntry[];
}

/**
 * Entries per page; a tail longer than one page is read page by page, up to `MAX_PAGES` per poll. More than 1,000
 * entries in one interval (a script, not a person) are beyond what subscribers are told: the oldest are skipped.
 */
const PAGE = 100;
const MAX_PAGES = 10;

/**
 * The log's tail since the last poll (`GET /logs/security` with `startTime`, newest first, paged by offset). The
 * first poll only finds where the log ends: subscribers get entries logged after they subscribed.
 */
export const securityLogTopic: Topic<SecurityLogPoll> = {
  name: 'securityLog',
  key: '',
  codec: plainCodec<SecurityLogPoll>(),
  async read(upstream, previous, signal) {
    if (previous === null) {
      const [newest] = await upstream('GET /logs/security', { query: { limit: 1 } }, signal);
      return newest === undefined
        ? { lastId: -1, since: null, entries: [] }
        : { lastId: newest.logId, since: Math.floor(newest.timestamp / 1000), entries: [] };
    }
    const fresh: SecurityLogEntry[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = { startTime: previous.since ?? undefined, limit: PAGE, offset: page * PAGE };
      const entries = await upstream('GET /logs/security', { query }, signal);
      const newer = entries.filter((entry) => entry.logId > previous.lastId);
      // Entries logged between two page reads shift the pages: an entry may come twice.
      for (const entry of newer) if (!fresh.some((seen) => seen.logId === entry.logId)) fresh.push(entry);
      // Newest first: a page that reaches known entries, or a short one, is the end of the tail.
      if (entries.length < PAGE || newer.length < entries.length) break;
    }
    fresh.sort((a, b) => a.logId - b.logId);
    const newest = fresh.at(-1);
    return newest === undefined
      ? { ...previous, entries: [] }
      : { lastId: newest.logId, since: Math.floor(newest.timestamp / 1000), entries: fresh };
  },
};

export const securityLogView: View<SecurityLogPoll, SecurityLogEntry> = {
  key: 'securityLog',
  project: (previous, next) => (previous === null ? [] : next.entries),
};
