import type { SessionCounts } from '../../upstream/model.js';
import { plainCodec } from '../codec.js';
import type { Topic } from '../hub.js';
import type { View } from '../poller.js';

/** Openfire's session statistics, one `GET /system/statistics/sessions` per poll. */
export const sessionCountsTopic: Topic<SessionCounts> = {
  name: 'sessionCounts',
  key: '',
  codec: plainCodec<SessionCounts>(),
  read: (upstream, _previous, signal) => upstream('GET /system/statistics/sessions', {}, signal),
};

/** The counts now, then whenever either changes. */
export const sessionCountsView: View<SessionCounts, SessionCounts> = {
  key: 'sessionCounts',
  project: (previous, next) =>
    previous === null ||
    previous.localSessions !== next.localSessions ||
    previous.clusterSessions !== next.clusterSessions
      ? [next]
      : [],
};
