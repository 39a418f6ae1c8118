/**
 * The emulated Openfire's state. Plain records in Maps, mutated by the handlers; a snapshot is the same data as
 * JSON-friendly arrays (for `--data`, fixtures, `/__emulator/state` and tests).
 */
export type Affiliation = 'owner' | 'admin' | 'member' | 'outcast';
export type Role = 'moderator' | 'participant' | 'visitor' | 'none';

export interface UserRecord {
  username: string;
  /** `null` when unset; the API reports it as `""`. */
  name: string | null;
  email: string | null;
  password: string;
  properties: Record<string, string>;
  creationDate: number;
  modificationDate: number;
}

export interface RosterItemRecord {
  /** Bare JID, the item's key. */
  jid: string;
  nickname: string | null;
  /** -1 remove, 0 none, 1 to, 2 from, 3 both. */
  subscription: number;
  groups: string[];
}

export interface GroupRecord {
  name: string;
  description: string | null;
  /** Bare JIDs; membership is exclusive, a JID is either a member or an admin (openfire-rest-api.md §7.6). */
  members: string[];
  admins: string[];
  /** Group properties, e.g. `sharedRoster.showInRoster`. */
  properties: Record<string, string>;
}

export interface OccupantRecord {
  nickname: string;
  /** The occupant's real full JID. */
  userAddress: string;
  role: Role;
}

export interface HistoryRecord {
  /** Room JID with the sender's nickname. */
  from: string;
  to: string | null;
  type: string;
  body: string;
  /** When the message was sent (epoch ms); rendered as the `urn:xmpp:delay` stamp. */
  stamp: number;
  /** The `from` of the delay element (the sender's real JID when the room exposes it). */
  delayFrom: string | null;
}

export interface RoomRecord {
  roomName: string;
  /** `null` when never set; omitted from the entity then. */
  naturalName: string | null;
  description: string | null;
  password: string | null;
  subject: string | null;
  creationDate: number;
  modificationDate: number;
  maxUsers: number;
  persistent: boolean;
  publicRoom: boolean;
  registrationEnabled: boolean;
  canAnyoneDiscoverJID: boolean;
  canOccupantsChangeSubject: boolean;
  canOccupantsInvite: boolean;
  canChangeNickname: boolean;
  logEnabled: boolean;
  loginRestrictedToNickname: boolean;
  membersOnly: boolean;
  moderated: boolean;
  allowPM: string;
  broadcastPresenceRoles: Role[];
  /** Individual affiliations by bare JID, one per JID, in the order they were granted. */
  affiliations: Record<string, Affiliation>;
  /** Group affiliations by group name. */
  groupAffiliations: Record<string, Affiliation>;
  occupants: OccupantRecord[];
  history: HistoryRecord[];
}

export interface ChatServiceRecord {
  serviceName: string;
  description: string | null;
  hidden: boolean;
  rooms: Map<string, RoomRecord>;
}

export interface SessionRecord {
  /** The session's full JID. */
  sessionId: string;
  username: string;
  resource: string;
  node: 'Local' | 'Remote';
  sessionStatus: 'Closed' | 'Connected' | 'Authenticated' | 'Unknown';
  /** Omitted when the session has no presence. */
  presenceStatus: string | null;
  presenceMessage: string | null;
  priority: number;
  hostAddress: string | null;
  hostName: string | null;
  creationDate: number;
  lastActionDate: number;
  secure: boolean;
}

export interface SecurityLogRecord {
  logId: number;
  username: string;
  /** Epoch seconds. */
  timestamp: number;
  summary: string;
  node: string;
  details: string;
}

export interface ClusterNodeRecord {
  hostName: string;
  nodeID: string;
  /** Epoch ms, `null` when unknown. */
  joinedTime: number | null;
  seniorMember: boolean;
}

export interface ClusterState {
  enabled: boolean;
  /**
   * `Disabled`, `Starting up`, `Junior member`, `Senior member` or `SENIOR AND ONLY MEMBER`
   * (openfire-rest-api.md §7.13).
   */
  status: string;
  nodes: ClusterNodeRecord[];
}

export const connectionTypes = [
  'SOCKET_S2S',
  'SOCKET_C2S',
  'BOSH_C2S',
  'WEBADMIN',
  'COMPONENT',
  'CONNECTION_MANAGER',
] as const;
export type ConnectionType = (typeof connectionTypes)[number];

export interface HealthState {
  deadlock: boolean;
  /** A registered system property reports "restart required". */
  restartRequired: boolean;
  serverStarted: boolean;
  clusterStarted: boolean;
  pluginsLoaded: boolean;
  /** Connection listeners that are not ready, as `TYPE` (both modes) or `TYPE:plain` / `TYPE:encrypted`. */
  connectionsNotReady: string[];
}

/** Side effects with no REST read endpoint, kept so tests can observe them. */
export interface OutboxRecord {
  kind: 'broadcast' | 'invitation' | 'kick';
  to: string;
  body: string;
  at: number;
}

export interface State {
  users: Map<string, UserRecord>;
  /** Keyed by the raw path value (openfire-rest-api.md §7.3). */
  lockouts: Set<string>;
  /** Keyed by the raw username, then by bare JID (openfire-rest-api.md §7.4). */
  rosters: Map<string, Map<string, RosterItemRecord>>;
  /** Raw vCard XML keyed by the raw username (openfire-rest-api.md §7.5). */
  vcards: Map<string, string>;
  groups: Map<string, GroupRecord>;
  services: Map<string, ChatServiceRecord>;
  /** `null`: a registered property that only has a default (listed without value, 404 when fetched). */
  properties: Map<string, string | null>;
  sessions: SessionRecord[];
  securityLog: SecurityLogRecord[];
  /** Unread message counts of the Monitoring plugin's archive, by bare JID. */
  unread: Map<string, number>;
  /** The security audit provider is write-only, so the log cannot be read (openfire-rest-api.md §7.15). */
  auditWriteOnly: boolean;
  /** The vCard provider is read-only, so vCards cannot be changed (openfire-rest-api.md §7.5). */
  vcardReadOnly: boolean;
  cluster: ClusterState;
  health: HealthState;
  outbox: OutboxRecord[];
}

/** The JSON form of {@link State}. */
export interface Snapshot {
  users: UserRecord[];
  lockouts: string[];
  rosters: Record<string, RosterItemRecord[]>;
  vcards: Record<string, string>;
  groups: GroupRecord[];
  services: Array<Omit<ChatServiceRecord, 'rooms'> & { rooms: RoomRecord[] }>;
  properties: Array<[string, string | null]>;
  sessions: SessionRecord[];
  securityLog: SecurityLogRecord[];
  unread: Record<string, number>;
  auditWriteOnly: boolean;
  vcardReadOnly: boolean;
  cluster: ClusterState;
  health: HealthState;
  outbox: OutboxRecord[];
}

/** The state as a snapshot that still shares its records: only {@link Store.snapshot} hands it out, as a copy. */
function toSnapshot(state: State): Snapshot {
  return {
    users: [...state.users.values()],
    lockouts: [...state.lockouts],
    rosters: Object.fromEntries([...state.rosters].map(([user, items]) => [user, [...items.values()]])),
    vcards: Object.fromEntries(state.vcards),
    groups: [...state.groups.values()],
    services: [...state.services.values()].map((s) => ({ ...s, rooms: [...s.rooms.values()] })),
    properties: [...state.properties],
    sessions: state.sessions,
    securityLog: state.securityLog,
    unread: Object.fromEntries(state.unread),
    auditWriteOnly: state.auditWriteOnly,
    vcardReadOnly: state.vcardReadOnly,
    cluster: state.cluster,
    health: state.health,
    outbox: state.outbox,
  };
}

function fromSnapshot(snapshot: Snapshot): State {
  // A deep copy, so a snapshot kept as a seed is never mutated through the live state; fields a fixture or an
  // older data file lacks take their empty values.
  const s: Snapshot = structuredClone({ ...emptySnapshot(), ...snapshot });
  return {
    users: new Map(s.users.map((u) => [u.username, u])),
    lockouts: new Set(s.lockouts),
    rosters: new Map(Object.entries(s.rosters).map(([user, items]) => [user, new Map(items.map((i) => [i.jid, i]))])),
    vcards: new Map(Object.entries(s.vcards)),
    groups: new Map(s.groups.map((g) => [g.name, g])),
    services: new Map(
      s.services.map((svc) => [svc.serviceName, { ...svc, rooms: new Map(svc.rooms.map((r) => [r.roomName, r])) }]),
    ),
    properties: new Map(s.properties),
    sessions: s.sessions,
    securityLog: s.securityLog,
    unread: new Map(Object.entries(s.unread)),
    auditWriteOnly: s.auditWriteOnly,
    vcardReadOnly: s.vcardReadOnly,
    cluster: s.cluster,
    health: s.health,
    outbox: s.outbox,
  };
}

export function emptySnapshot(): Snapshot {
  return {
    users: [],
    lockouts: [],
    rosters: {},
    vcards: {},
    groups: [],
    services: [],
    properties: [],
    sessions: [],
    securityLog: [],
    unread: {},
    auditWriteOnly: false,
    vcardReadOnly: false,
    cluster: { enabled: false, status: 'Disabled', nodes: [] },
    health: {
      deadlock: false,
      restartRequired: false,
      serverStarted: true,
      clusterStarted: true,
      pluginsLoaded: true,
      connectionsNotReady: [],
    },
    outbox: [],
  };
}

/**
 * The live state plus the seed a reset returns to; `onChange` lets persistence know a write happened. The state is
 * live only inside the emulator (handlers mutate it through their context); everything that leaves it is a copy.
 */
export class Store {
  #state: State;
  #seed: Snapshot;

  /** `current` is where to start when it differs from the seed (a `--data` file). */
  constructor(
    seed: Snapshot,
    private readonly onChange: () => void = () => {},
    current: Snapshot = seed,
  ) {
    this.#seed = structuredClone(seed);
    this.#state = fromSnapshot(current);
  }

  /** The live state, for the emulator's own code; outside it, read {@link snapshot} and change through {@link edit}. */
  get state(): State {
    return this.#state;
  }

  get domain(): string {
    return this.#state.properties.get('xmpp.domain') ?? 'example.org';
  }

  property(key: string): string | null {
    return this.#state.properties.get(key) ?? null;
  }

  /** Back to the seed. */
  reset(): void {
    this.#state = fromSnapshot(this.#seed);
    this.onChange();
  }

  /** Replaces the state and the seed a reset returns to (`PUT /__emulator/state`). */
  load(snapshot: Snapshot): void {
    this.#seed = structuredClone(snapshot);
    this.#state = fromSnapshot(snapshot);
    this.onChange();
  }

  /**
   * Changes the state through a copy: `change` mutates a draft snapshot, which then becomes the state. The seed is
   * kept, so a reset still undoes the change.
   */
  edit(change: (draft: Snapshot) => void): void {
    const draft = this.snapshot();
    change(draft);
    this.#state = fromSnapshot(draft);
    this.onChange();
  }

  /** A deep copy of the state: nothing in it is shared with the live records. */
  snapshot(): Snapshot {
    return structuredClone(toSnapshot(this.#state));
  }

  changed(): void {
    this.onChange();
  }
}
