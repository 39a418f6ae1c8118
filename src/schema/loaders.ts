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

const byKey = <T>(keys: readonly string[], found: Map<string, T>, missing: T): T[] =>
  keys.map((k) => found.get(k) ?? missing);

/**
 * Each loader is made when first used: most operations need one or two of the eight, and a request pays for one
 * object, not for eight loaders it never touches.
 */
class RequestLoaders implements Loaders {
  #user?: Loaders['user'];
  #userGroups?: Loaders['userGroups'];
  #roster?: Loaders['roster'];
  #group?: Loaders['group'];
  #sessions?: Loaders['sessions'];
  #room?: Loaders['room'];
  #vcard?: Loaders['vcard'];
  #property?: Loaders['property'];

  constructor(
    private readonly upstream: RequestUpstream,
    private readonly options: LoaderOptions,
  ) {}

  private single<V>(name: string, load: (key: string) => Promise<V>): DataLoader<string, V> {
    return new DataLoader<string, V>((keys) => {
      this.options.onBatch?.(name, keys.length);
      return Promise.all(keys.map(load));
    });
  }

  get user(): Loaders['user'] {
    const { upstream, options } = this;
    // Openfire looks users up case-insensitively (nodeprep), so the cache does too.
    this.#user ??= new DataLoader<string, User | null>(
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
    return this.#user;
  }

  get sessions(): Loaders['sessions'] {
    const { upstream, options } = this;
    this.#sessions ??= new DataLoader<string, Session[]>(async (usernames) => {
      options.onBatch?.('sessions', usernames.length);
      if (usernames.length >= options.listThreshold) {
        const all = await upstream.call('GET /sessions', {});
        const grouped = new Map<string, Session[]>();
        for (const s of all) grouped.set(s.username, [...(grouped.get(s.username) ?? []), s]);
        return byKey(usernames, grouped, []);
      }
      return Promise.all(
        usernames.map((username) => upstream.call('GET /sessions/{username}', { path: { username } })),
      );
    });
    return this.#sessions;
  }

  get userGroups(): Loaders['userGroups'] {
    this.#userGroups ??= this.single('userGroups', (username) =>
      this.upstream.find('GET /users/{username}/groups', { path: { username } }),
    );
    return this.#userGroups;
  }

  get roster(): Loaders['roster'] {
    this.#roster ??= this.single('roster', (username) =>
      this.upstream.call('GET /users/{username}/roster', { path: { username } }),
    );
    return this.#roster;
  }

  get group(): Loaders['group'] {
    this.#group ??= this.single('group', (groupName) =>
      this.upstream.find('GET /groups/{groupName}', { path: { groupName } }),
    );
    return this.#group;
  }

  get room(): Loaders['room'] {
    this.#room ??= this.single('room', (key) => {
      const [servicename = '', roomName = ''] = key.split('\u0000');
      return this.upstream.find('GET /chatrooms/{roomName}', { path: { roomName }, query: { servicename } });
    });
    return this.#room;
  }

  get vcard(): Loaders['vcard'] {
    this.#vcard ??= this.single('vcard', (username) =>
      this.upstream.find('GET /users/{username}/vcard', { path: { username } }),
    );
    return this.#vcard;
  }

  get property(): Loaders['property'] {
    this.#property ??= this.single('property', async (propertyKey) => {
      const found = await this.upstream.find('GET /system/properties/{propertyKey}', { path: { propertyKey } });
      return found?.value ?? null;
    });
    return this.#property;
  }
}

export function createLoaders(upstream: RequestUpstream, options: LoaderOptions): Loaders {
  return new RequestLoaders(upstream, options);
}
