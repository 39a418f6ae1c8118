/**
 * The canonical model of Openfire's entities, whatever plugin version or format they came in
 * (openfire-rest-api.md §9, §10). Optional values are `null`, lists are arrays (possibly empty), and every date is
 * epoch milliseconds.
 */

export interface UserProperty {
  readonly key: string;
  readonly value: string;
}

export interface User {
  readonly username: string;
  /** `null` when unset (the API reports `""`). */
  readonly name: string | null;
  readonly email: string | null;
  readonly properties: readonly UserProperty[];
}

export interface RosterItem {
  /** Bare JID of the contact. */
  readonly jid: string;
  readonly nickname: string | null;
  /** -1 remove, 0 none, 1 to, 2 from, 3 both. */
  readonly subscriptionType: number;
  readonly groups: readonly string[];
}

/** A group as `GET /groups` lists it: no members, `shared` always false there (openfire-rest-api.md §7.6). */
export interface GroupSummary {
  readonly name: string;
  readonly description: string | null;
  readonly shared: boolean;
}

export interface Group extends GroupSummary {
  /** Bare JIDs. */
  readonly admins: readonly string[];
  readonly members: readonly string[];
}

export interface ChatService {
  readonly serviceName: string;
  readonly description: string | null;
  readonly hidden: boolean;
}

export interface ChatRoom {
  readonly roomName: string;
  readonly naturalName: string | null;
  readonly description: string | null;
  readonly password: string | null;
  readonly subject: string | null;
  readonly creationDate: number | null;
  readonly modificationDate: number | null;
  /** 0 means unlimited. */
  readonly maxUsers: number;
  readonly persistent: boolean;
  readonly publicRoom: boolean;
  readonly registrationEnabled: boolean;
  readonly canAnyoneDiscoverJID: boolean;
  readonly canOccupantsChangeSubject: boolean;
  readonly canOccupantsInvite: boolean;
  readonly canChangeNickname: boolean;
  readonly logEnabled: boolean;
  readonly loginRestrictedToNickname: boolean;
  readonly membersOnly: boolean;
  readonly moderated: boolean;
  /** Role names: `moderator`, `participant`, `visitor`, `none`. */
  readonly broadcastPresenceRoles: readonly string[];
  /** Bare JIDs of individual affiliations. */
  readonly owners: readonly string[];
  readonly admins: readonly string[];
  readonly members: readonly string[];
  readonly outcasts: readonly string[];
  /** Group names. */
  readonly ownerGroups: readonly string[];
  readonly adminGroups: readonly string[];
  readonly memberGroups: readonly string[];
  readonly outcastGroups: readonly string[];
  /** `anyone`, `participants`, `moderators` or `none`; `null` before plugin 1.9.0. */
  readonly allowPM: string | null;
}

export interface RoomCreationResult {
  readonly roomName: string;
  readonly resultType: 'Success' | 'Failure';
  readonly message: string | null;
}

export interface BulkRoomResults {
  readonly success: readonly RoomCreationResult[];
  readonly failure: readonly RoomCreationResult[];
  readonly other: readonly RoomCreationResult[];
}

export interface Participant {
  /** Room JID with the nickname. */
  readonly jid: string;
  readonly role: string;
  readonly affiliation: string;
}

export interface Occupant extends Participant {
  /** The occupant's real full JID; `null` before plugin 1.3.10. */
  readonly userAddress: string | null;
}

export interface RoomMessage {
  readonly to: string | null;
  readonly from: string | null;
  readonly type: string | null;
  readonly body: string | null;
  /** When the message was sent (the delay stamp). */
  readonly delayStamp: number | null;
  readonly delayFrom: string | null;
}

export interface SystemProperty {
  readonly key: string;
  /** `null` for a registered property that only has a default. */
  readonly value: string | null;
}

export interface SessionCounts {
  readonly localSessions: number;
  readonly clusterSessions: number;
}

export interface ClusterNode {
  readonly hostName: string;
  readonly nodeID: string;
  readonly joinedTime: number | null;
  readonly seniorMember: boolean;
}

export interface Session {
  /** The session's full JID. */
  readonly sessionId: string;
  readonly username: string;
  readonly resource: string | null;
  /** `Local` or `Remote`. */
  readonly node: string | null;
  readonly sessionStatus: string | null;
  readonly presenceStatus: string | null;
  readonly presenceMessage: string | null;
  readonly priority: number;
  readonly hostAddress: string | null;
  readonly hostName: string | null;
  readonly creationDate: number | null;
  readonly lastActionDate: number | null;
  readonly secure: boolean;
}

export interface UnreadCount {
  readonly jid: string;
  readonly count: number;
}

export interface SecurityLogEntry {
  readonly logId: number;
  readonly username: string;
  /** Epoch milliseconds (the API sends seconds). */
  readonly timestamp: number;
  readonly summary: string | null;
  readonly node: string | null;
  readonly details: string | null;
}

// Request entities, in the shape the client sends (current plugin JSON, openfire-rest-api.md §10: servers reject old
// shapes).

export interface UserInput {
  readonly username: string;
  readonly password?: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly properties?: readonly UserProperty[];
}

/** `PUT /users/{username}` replaces properties wholesale, so they must always be sent (openfire-rest-api.md §7.1). */
export interface UserUpdate extends Partial<UserInput> {
  readonly properties: readonly UserProperty[];
}

export interface RosterItemInput {
  readonly jid: string;
  readonly nickname?: string | null;
  readonly subscriptionType?: number;
  /** Omitted: unchanged on PUT; `[]` clears. */
  readonly groups?: readonly string[] | null;
}

export interface GroupInput {
  readonly name: string;
  readonly description?: string | null;
  /** Always sent (servers answer 500 when absent, openfire-rest-api.md §7.6). */
  readonly admins?: readonly string[];
  readonly members?: readonly string[];
  readonly shared?: boolean;
}

export type ChatServiceInput = ChatService;

/**
 * Every field is sent: the plugin overwrites the whole room and takes absent booleans as false
 * (openfire-rest-api.md §7.8).
 */
export type ChatRoomInput = Partial<Omit<ChatRoom, 'roomName'>> & { readonly roomName: string };

export interface SystemPropertyInput {
  readonly key: string;
  readonly value: string | null;
}

export interface MessageInput {
  readonly body: string;
}

export interface InvitationInput {
  readonly reason?: string | null;
}

export interface InvitationsInput extends InvitationInput {
  readonly jidsToInvite: readonly string[];
}
