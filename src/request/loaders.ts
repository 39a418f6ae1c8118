import DataLoader from 'dataloader';
import type { ChatRoom, ClusterNode, Group, RosterItem, Session, User } from '../upstream/model.js';
import { localUsername } from '../xmpp/jid.js';
import type { RequestUpstream } from './upstream.js';

/** A room by its MUC service and name; names are node-prepped by Openfire, so the key is case-insensitive. */
export interface RoomKey {
  readonly service: string;
  readonly name: string;
}

/** A group's members and admins that are local users (remote and unknown JIDs left out). */
export interface GroupPeople {
  readonly members: User[];
  readonly admins: User[];
}

/**
 * Every loader of one request (never shared between callers), in one place: keys are de-duplicated and cached for
 * the request, lists prime the single-entity caches, and a batch of many single lookups becomes one list call where
 * the REST API has one (`GET /users`, `GET /sessions`). Calls without a batch or a list to prime from need no loader:
 * the request's upstream facade answers identical reads once.
 */
export interface Loaders {
  /** Users by username (case-insensitive, as Openfire looks them up); `null` when absent. */
  readonly user: DataLoader<string, User | null>;
  /** Names of the groups a user is member or admin of; `null` for an unknown user. */
  readonly userGroups: DataLoader<string, string[] | null>;
  readonly roster: DataLoader<string, RosterItem[]>;
  readonly group: DataLoader<string, Group | null>;
  /** Members and admins of many groups in one batch of users; `null` for an absent group. */
  readonly groupPeople: DataLoader<string, GroupPeople | null>;
  readonly sessions: DataLoader<string, Session[]>;
  readonly room: DataLoader<RoomKey, ChatRoom | null, string>;
  readonly vcard: DataLoader<string, string | null>;
  /** System property values by key; `null` when absent. */
  readonly property: DataLoader<string, string | null>;
  /** Cluster nodes by ID, primed by the node list; `null` when absent. */
  readonly clusterNode: DataLoader<string, ClusterNode | null>;
}

/** `BATCH_LIST_THRESHOLD` when not configured. */
export const DEFAULT_LIST_THRESHOLD = 20;

export interface LoaderOptions {
  /** From this many keys in one batch, one list call replaces the single lookups. */
  readonly listThreshold: number;
  /** Told the size of every batch, by loader name (the `dataloader_batch_size` metric). */
  readonly onBatch?: (loader: keyof Loaders, size: number) => void;
}

/** The loaders plus what forgets their caches after the request changes Openfire. */
export interface RequestLoaders extends Loaders {
  clearAll(): void;
}

const byKey = <T>(keys: readonly string[], found: Map<string, T>, missing: T): T[] =>
  keys.map((k) => found.get(k) ?? missing);

/**
 * One lookup per key, each failing on its own: DataLoader rejects just the keys whose value is an `Error`, so one
 * entity Openfire cannot answer for does not take the rest of the batch with it.
 */
const each = <K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<V | Error>> =>
  Promise.all(
    keys.map((key) => load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
  );

/**
 * Each loader is made when first used: most operations need one or two, and a request pays for one object, not for
 * loaders it never touches.
 */
class Registry implements RequestLoaders {
  #user?: Loaders['user'];
  #userGroups?: Loaders['userGroups'];
  #roster?: Loaders['roster'];
  #group?: Loaders['group'];
  #groupPeople?: Loaders['groupPeople'];
  #sessions?: Loaders['sessions'];
  #room?: Loaders['room'];
  #vcard?: Loaders['vcard'];
  #property?: Loaders['property'];
  #clusterNode?: Loaders['clusterNode'];

  constructor(
    private readonly upstream: RequestUpstream,
    private readonly domain: () => Promise<string>,
    private readonly options: LoaderOptions,
  ) {}

  private single<V>(name: keyof Loaders, load: (key: string) => Promise<V>): DataLoader<string, V> {
    return new DataLoader<string, V>((keys) => {
      this.options.onBatch?.(name, keys.length);
      return each(keys, load);
    });
  }

  get user(): Loaders['user'] {
    const { upstream, options } = this;
    this.#user ??= new DataLoader<string, User | null>(
      async (usernames) => {
        options.onBatch?.('user', usernames.length);
        if (usernames.length >= options.listThreshold) {
          const all = await upstream.call('GET /users', {});
          const found = new Map(all.map((u) => [u.username, u]));
          return usernames.map((u) => found.get(u.toLowerCase()) ?? null);
        }
        return each(usernames, (username) => upstream.find('GET /users/{username}', { path: { username } }));
      },
      // Openfire looks users up case-insensitively (nodeprep), so the cache does too.
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
      return each(usernames, (username) => upstream.call('GET /sessions/{username}', { path: { username } }));
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

  get groupPeople(): Loaders['groupPeople'] {
    this.#groupPeople ??= new DataLoader<string, GroupPeople | null>(async (names) => {
      this.options.onBatch?.('groupPeople', names.length);
      // One group that cannot be read fails its own key only: the other groups of the page are answered.
      const details = await Promise.all(names.map((name) => this.group.load(name).catch((error: Error) => error)));
      const local = await this.domain();
      const usernames = (jids: readonly string[]): string[] => {
        const found: string[] = [];
        for (const jid of jids) {
          const username = localUsername(jid, local);
          if (username !== null) found.push(username);
        }
        return found;
      };
      // Every group's people in one batch of the user loader, each username once; then plain lookups, not a
      // promise per membership (an org chart has thousands). Each JID is read once, into a lowercase username.
      const named = details.map((detail) =>
        detail instanceof Error || detail === null
          ? detail
          : { members: usernames(detail.members), admins: usernames(detail.admins) },
      );
      const distinct = new Set<string>();
      for (const n of named) {
        if (n instanceof Error || n === null) continue;
        for (const u of n.members) distinct.add(u);
        for (const u of n.admins) distinct.add(u);
      }
      const keys = [...distinct];
      const loaded = await this.user.loadMany(keys);
      const users = new Map(keys.map((key, i) => [key, loaded[i]]));
      const people = (names: readonly string[]): User[] | Error => {
        const found: User[] = [];
        for (const u of names) {
          const user = users.get(u);
          if (user instanceof Error) return user;
          if (user) found.push(user);
        }
        return found;
      };
      return named.map((n) => {
        if (n instanceof Error || n === null) return n;
        const members = people(n.members);
        const admins = people(n.admins);
        if (members instanceof Error) return members;
        if (admins instanceof Error) return admins;
        return { members, admins };
      });
    });
    return this.#groupPeople;
  }

  get room(): Loaders['room'] {
    this.#room ??= new DataLoader<RoomKey, ChatRoom | null, string>(
      (keys) => {
        this.options.onBatch?.('room', keys.length);
        return each(keys, ({ service, name }) =>
          this.upstream.find('GET /chatrooms/{roomName}', {
            path: { roomName: name.toLowerCase() },
            query: { servicename: service },
          }),
        );
      },
      { cacheKeyFn: ({ service, name }) => JSON.stringify([service, name.toLowerCase()]) },
    );
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

  get clusterNode(): Loaders['clusterNode'] {
    this.#clusterNode ??= this.single('clusterNode', (nodeId) =>
      this.upstream.find('GET /clustering/nodes/{nodeId}', { path: { nodeId } }),
    );
    return this.#clusterNode;
  }

  clearAll(): void {
    for (const loader of [
      this.#user,
      this.#userGroups,
      this.#roster,
      this.#group,
      this.#groupPeople,
      this.#sessions,
      this.#room,
      this.#vcard,
      this.#property,
      this.#clusterNode,
    ])
      loader?.clearAll();
  }
}

export function createLoaders(
  upstream: RequestUpstream,
  domain: () => Promise<string>,
  options: LoaderOptions,
): RequestLoaders {
  return new Registry(upstream, domain, options);
}
