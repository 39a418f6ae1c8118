import DataLoader from 'dataloader';
import type { ChatRoom, Group, RosterItem, Session, User } from '../upstream/model.js';
import type { RequestUpstream } from './request-upstream.js';

/**
 * One set of loaders per GraphQL request (never shared between callers): keys are de-duplicated and cached for the
 * request, lists prime the single-entity caches, and a batch of many single lookups becomes one list call where
 * the REST API has one (`GET /users`, `GET /sessions`).
 */
export interface Loaders {
  /** Users by username (lowercase, as Openfire stores them); `null` when absent. */
  readonly user: DataLoader<string, User | null>;
  /** Names of the groups a user is member or admin of; `null` for an unknown user. */
  readonly userGroups: DataLoader<string, string[] | null>;
  readonly roster: DataLoader<string, RosterItem[]>;
  readonly group: DataLoader<string, Group | null>;
  readonly sessions: DataLoader<string, Session[]>;
  /** Rooms by `service\u0000name`. */
  readonly room: DataLoader<string, ChatRoom | null>;
  readonly vcard: DataLoader<string, string | null>;
  /** System property values by key; `null` when absent. */
  readonly property: DataLoader<string, string | null>;
}

export interface LoaderOptions {
  /** From this many keys in one batch, one list call replaces the single lookups. */
  readonly listThreshold: number;
  /** Told the size of every batch, by loader name (the `dataloader_batch_size` metric). */
  readonly onBatch?: (loader: string, size: number) => void;
}

export const roomKey = (service: string, name: string): string => `${service}\u0000${name}`;

const byKey = <T>(keys: readonly string[], found: Map<string, T>, missing: T): T[] => keys.map((k) => found.get(k) ?? missing);

export function createLoaders(upstream: RequestUpstream, options: LoaderOptions): Loaders {
  // Openfire looks users up case-insensitively (nodeprep), so the cache does too.
  const user = new DataLoader<string, User | null>(
    async (usernames) => {
      options.onBatch?.('user', usernames.length);
      if (usernames.length >= options.listThreshold) {
        const all = await upstream.call('GET /users', {});
        const found = new Map(all.map((u) => [u.username, u]));
        return usernames.map((u) => found.get(u.toLowerCase()) ?? null);
      }
      return Promise.all(usernames.map((username) => upstream.find('GET /users/{username}', { path: { username } })));
    },
    { cacheKeyFn: (username) => username.toLowerCase() },
  );

  const sessions = new DataLoader<string, Session[]>(async (usernames) => {
    options.onBatch?.('sessions', usernames.length);
    if (usernames.length >= options.listThreshold) {
      const all = await upstream.call('GET /sessions', {});
      const grouped = new Map<string, Session[]>();
      for (const s of all) grouped.set(s.username, [...(grouped.get(s.username) ?? []), s]);
      return byKey(usernames, grouped, []);
    }
    return Promise.all(usernames.map((username) => upstream.call('GET /sessions/{username}', { path: { username } })));
  });

  const single = <V>(name: string, load: (key: string) => Promise<V>): DataLoader<string, V> =>
    new DataLoader<string, V>((keys) => {
      options.onBatch?.(name, keys.length);
      return Promise.all(keys.map(load));
    });

  return {
    user,
    sessions,
    userGroups: single('userGroups', (username) => upstream.find('GET /users/{username}/groups', { path: { username } })),
    roster: single('roster', (username) => upstream.call('GET /users/{username}/roster', { path: { username } })),
    group: single('group', (groupName) => upstream.find('GET /groups/{groupName}', { path: { groupName } })),
    room: single('room', (key) => {
      const [servicename = '', roomName = ''] = key.split('\u0000');
      return upstream.find('GET /chatrooms/{roomName}', { path: { roomName }, query: { servicename } });
    }),
    vcard: single('vcard', (username) => upstream.find('GET /users/{username}/vcard', { path: { username } })),
    property: single('property', async (propertyKey) => {
      const found = await upstream.find('GET /system/properties/{propertyKey}', { path: { propertyKey } });
      return found?.value ?? null;
    }),
  };
}
