/**
 * Types of every endpoint, derived from the route table: path parameters from the template, query parameters from
 * the spec, and the canonical body and result types by entity name. Adding a route to the table types its call.
 */
import type {
  BulkRoomResults,
  ChatRoom,
  ChatRoomInput,
  ChatService,
  ChatServiceInput,
  ClusterNode,
  Group,
  GroupInput,
  GroupSummary,
  InvitationInput,
  InvitationsInput,
  MessageInput,
  Occupant,
  Participant,
  RoomMessage,
  RosterItem,
  RosterItemInput,
  SecurityLogEntry,
  Session,
  SessionCounts,
  SystemProperty,
  SystemPropertyInput,
  UnreadCount,
  User,
  UserInput,
  UserUpdate,
} from './model.js';
import type { EntityName, RouteKey, routes } from './routes.js';

/** What each response entity decodes to. */
export interface ResponseModels {
  users: User[];
  user: User;
  userGroups: string[];
  roster: RosterItem[];
  groups: GroupSummary[];
  group: Group;
  chatServices: ChatService[];
  chatRooms: ChatRoom[];
  chatRoom: ChatRoom;
  bulkResults: BulkRoomResults;
  participants: Participant[];
  occupants: Occupant[];
  messages: RoomMessage[];
  affiliations: string[];
  properties: SystemProperty[];
  property: SystemProperty;
  sessionCounts: SessionCounts;
  clustering: string;
  clusterNodes: ClusterNode[];
  clusterNode: ClusterNode;
  sessions: Session[];
  archive: UnreadCount;
  logs: SecurityLogEntry[];
  /** The raw vCard XML, `null` when the user has none (204). */
  vcard: string | null;
  yaml: string;
  json: string;
  /** Health checks: 200 → true, 503 → false. */
  status: boolean;
}

export type ResponseEntity = keyof ResponseModels;

/** What each request entity is built from. */
export interface BodyModels {
  user: UserInput;
  userGroups: readonly string[];
  rosterItem: RosterItemInput;
  group: GroupInput;
  chatService: ChatServiceInput;
  chatRoom: ChatRoomInput;
  chatRooms: readonly ChatRoomInput[];
  mucInvitation: InvitationInput;
  mucInvitations: InvitationsInput;
  affiliations: readonly string[];
  property: SystemPropertyInput;
  message: MessageInput;
  /** Raw vCard XML. */
  vcard: string;
}

/** Routes whose body type is stricter than their entity's. */
interface BodyOverrides {
  'PUT /users/{username}': UserUpdate;
}

type Spec<K extends RouteKey> = (typeof routes)[K];

type TemplateParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? P | TemplateParams<Rest>
  : never;

export type PathParams<K extends RouteKey> = { readonly [P in TemplateParams<K>]: string };

export type QueryParams<K extends RouteKey> =
  Spec<K> extends { query: readonly (infer Q extends string)[] }
    ? { readonly [P in Q]?: string | number | boolean }
    : never;

export type BodyOf<K extends RouteKey> = K extends keyof BodyOverrides
  ? BodyOverrides[K]
  : Spec<K> extends { body: infer B extends keyof BodyModels }
    ? BodyModels[B]
    : never;

export type ResultOf<K extends RouteKey> =
  Spec<K> extends { response: infer R extends ResponseEntity } ? ResponseModels[R] : undefined;

/** The arguments of a call: only the parts the route has, required where the route needs them. */
export type CallArgs<K extends RouteKey> = ([TemplateParams<K>] extends [never]
  ? object
  : { readonly path: PathParams<K> }) &
  ([QueryParams<K>] extends [never] ? object : { readonly query?: QueryParams<K> }) &
  ([BodyOf<K>] extends [never] ? object : { readonly body: BodyOf<K> });

/** Request entity names the table uses, for the encoder. */
export type RequestEntity = Extract<EntityName, keyof BodyModels> | 'vcard';
