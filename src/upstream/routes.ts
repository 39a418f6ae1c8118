/**
 * The Openfire REST API plugin's endpoints as plain data (openfire-rest-api.md §5).
 *
 * Keys are `'METHOD /path/{param}'` relative to {@link BASE_PATH}. The emulator declares its handler map as
 * `Record<RouteKey, Handler>` and the upstream client is typed by the same keys, so an endpoint missing on
 * either side is a type error.
 */
export const BASE_PATH = '/plugins/restapi/v1';

/** Names of the wire entities (XML root element / JSON shape) a route reads or writes; see openfire-rest-api.md §9. */
export type EntityName =
  | 'user'
  | 'users'
  | 'userGroups'
  | 'rosterItem'
  | 'roster'
  | 'group'
  | 'groups'
  | 'chatService'
  | 'chatServices'
  | 'chatRoom'
  | 'chatRooms'
  | 'bulkResults'
  | 'participants'
  | 'occupants'
  | 'messages'
  | 'mucInvitation'
  | 'mucInvitations'
  | 'affiliations'
  | 'property'
  | 'properties'
  | 'sessionCounts'
  | 'clustering'
  | 'clusterNode'
  | 'clusterNodes'
  | 'sessions'
  | 'message'
  | 'archive'
  | 'logs';

export interface RouteSpec {
  /** Request entity read from an XML or JSON body (`vcard`: raw vCard XML only). */
  readonly body?: EntityName | 'vcard';
  /**
   * Response entity on success; `vcard` is raw XML, `yaml`/`json` are the OpenAPI documents, `status` is a health
   * check whose answer is its status code (200 healthy, 503 not) with no body.
   */
  readonly response?: EntityName | 'vcard' | 'yaml' | 'json' | 'status';
  /** Query parameters the endpoint reads. */
  readonly query?: readonly string[];
  /** Path parameters restricted to a fixed set of values (JAX-RS regex templates). */
  readonly oneOf?: Readonly<Record<string, readonly string[]>>;
  /**
   * `none`: no authentication at all (openfire-rest-api.md §3 steps 1–2); `legacy`: the endpoint checks its own secret
   * (openfire-rest-api.md §12).
   */
  readonly auth?: 'none' | 'legacy';
}

const affiliation = { affiliation: ['owners', 'admins', 'members', 'outcasts'] } as const;
const room = ['servicename'] as const;
const roomWrite = ['servicename', 'sendInvitations'] as const;

export const routes = {
  // openfire-rest-api.md §5.1 Users
  'GET /users': { response: 'users', query: ['search', 'propertyKey', 'propertyValue'] },
  'POST /users': { body: 'user' },
  'GET /users/{username}': { response: 'user' },
  'PUT /users/{username}': { body: 'user' },
  'DELETE /users/{username}': {},
  // openfire-rest-api.md §5.2 User groups
  'GET /users/{username}/groups': { response: 'userGroups' },
  'POST /users/{username}/groups': { body: 'userGroups' },
  'POST /users/{username}/groups/{groupName}': {},
  'DELETE /users/{username}/groups/{groupName}': {},
  'DELETE /users/{username}/groups': { body: 'userGroups' },
  // openfire-rest-api.md §5.3 Lockouts
  'POST /lockouts/{username}': {},
  'DELETE /lockouts/{username}': {},
  // openfire-rest-api.md §5.4 Roster
  'GET /users/{username}/roster': { response: 'roster' },
  'POST /users/{username}/roster': { body: 'rosterItem' },
  'PUT /users/{username}/roster/{rosterJid}': { body: 'rosterItem' },
  'DELETE /users/{username}/roster/{rosterJid}': {},
  // openfire-rest-api.md §5.5 vCard
  'GET /users/{username}/vcard': { response: 'vcard' },
  'PUT /users/{username}/vcard': { body: 'vcard' },
  'DELETE /users/{username}/vcard': {},
  // openfire-rest-api.md §5.6 Groups
  'GET /groups': { response: 'groups' },
  'POST /groups': { body: 'group' },
  'GET /groups/{groupName}': { response: 'group' },
  'PUT /groups/{groupName}': { body: 'group' },
  'DELETE /groups/{groupName}': {},
  // openfire-rest-api.md §5.7 Chat services
  'GET /chatservices': { response: 'chatServices' },
  'POST /chatservices': { body: 'chatService' },
  // openfire-rest-api.md §5.8 Chat rooms
  'GET /chatrooms': { response: 'chatRooms', query: ['servicename', 'type', 'search', 'expandGroups'] },
  'POST /chatrooms': { body: 'chatRoom', query: roomWrite },
  'POST /chatrooms/bulk': { body: 'chatRooms', response: 'bulkResults', query: roomWrite },
  'GET /chatrooms/{roomName}': { response: 'chatRoom', query: ['servicename', 'expandGroups'] },
  'PUT /chatrooms/{roomName}': { body: 'chatRoom', query: roomWrite },
  'DELETE /chatrooms/{roomName}': { query: room },
  'GET /chatrooms/{roomName}/participants': { response: 'participants', query: room },
  'GET /chatrooms/{roomName}/occupants': { response: 'occupants', query: room },
  'GET /chatrooms/{roomName}/chathistory': { response: 'messages', query: room },
  'POST /chatrooms/{roomName}/invite/{jid}': { body: 'mucInvitation', query: room },
  'POST /chatrooms/{roomName}/invite': { body: 'mucInvitations', query: room },
  // openfire-rest-api.md §5.9 Room affiliations
  'GET /chatrooms/{roomName}/{affiliation}': { response: 'affiliations', query: room, oneOf: affiliation },
  'PUT /chatrooms/{roomName}/{affiliation}': { body: 'affiliations', query: roomWrite, oneOf: affiliation },
  'POST /chatrooms/{roomName}/{affiliation}': { body: 'affiliations', query: roomWrite, oneOf: affiliation },
  'POST /chatrooms/{roomName}/{affiliation}/{jid}': { query: roomWrite, oneOf: affiliation },
  'POST /chatrooms/{roomName}/{affiliation}/group/{groupname}': { query: roomWrite, oneOf: affiliation },
  'DELETE /chatrooms/{roomName}/{affiliation}/{jid}': { query: room, oneOf: affiliation },
  'DELETE /chatrooms/{roomName}/{affiliation}/group/{groupname}': { query: room, oneOf: affiliation },
  // openfire-rest-api.md §5.10 System
  'GET /system/properties': { response: 'properties' },
  'GET /system/properties/{propertyKey}': { response: 'property' },
  'POST /system/properties': { body: 'property' },
  'PUT /system/properties/{propertyKey}': { body: 'property' },
  'DELETE /system/properties/{propertyKey}': {},
  'GET /system/liveness': { response: 'status', auth: 'none' },
  'GET /system/liveness/deadlock': { response: 'status', auth: 'none' },
  'GET /system/liveness/properties': { response: 'status', auth: 'none' },
  'GET /system/readiness': { response: 'status', auth: 'none' },
  'GET /system/readiness/server': { response: 'status', auth: 'none' },
  'GET /system/readiness/cluster': { response: 'status', auth: 'none' },
  'GET /system/readiness/plugins': { response: 'status', auth: 'none' },
  'GET /system/readiness/connections': { response: 'status', auth: 'none', query: ['connectionType', 'encrypted'] },
  'GET /system/statistics/sessions': { response: 'sessionCounts' },
  // openfire-rest-api.md §5.11 Clustering
  'GET /clustering/status': { response: 'clustering' },
  'GET /clustering/nodes': { response: 'clusterNodes' },
  'GET /clustering/nodes/{nodeId}': { response: 'clusterNode' },
  // openfire-rest-api.md §5.12 Sessions
  'GET /sessions': { response: 'sessions' },
  'GET /sessions/{username}': { response: 'sessions' },
  'DELETE /sessions/{username}': {},
  // openfire-rest-api.md §5.13 Messages, archive, security log
  'POST /messages/users': { body: 'message' },
  'GET /archive/messages/unread/{jid}': { response: 'archive' },
  'GET /logs/security': { response: 'logs', query: ['username', 'offset', 'limit', 'startTime', 'endTime'] },
  // openfire-rest-api.md §5.14 Legacy and documentation
  'GET /userservice': { auth: 'legacy' },
  'POST /userservice': { auth: 'legacy' },
  'GET /openapi.yaml': { response: 'yaml', auth: 'none' },
  'GET /openapi.json': { response: 'json' },
} as const satisfies Record<string, RouteSpec>;

export type RouteKey = keyof typeof routes;

export const routeKeys = Object.keys(routes) as RouteKey[];

/** Splits `'GET /users/{username}'` into its method and path template. */
export function splitRouteKey(key: RouteKey): { method: string; template: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), template: key.slice(space + 1) };
}
