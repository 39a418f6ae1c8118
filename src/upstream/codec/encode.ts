import type { BodyModels, RequestEntity } from '../endpoints.js';
import type { ChatRoomInput, GroupInput, RosterItemInput, UserInput } from '../model.js';

/**
 * Request bodies in the current plugin's JSON shape, the only one current servers accept (openfire-rest-api.md §10): no
 * wrapper objects, lists always arrays, `key`/`value` attributes as plain keys. Fields servers mishandle when absent
 * are always sent.
 */
export interface EncodedBody {
  readonly contentType: string;
  readonly text: string;
}

/** Drops `undefined` so absent fields stay absent (null is sent where the caller said null). */
function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function user(input: Partial<UserInput>): Record<string, unknown> {
  return defined({
    username: input.username,
    password: input.password,
    name: input.name,
    email: input.email,
    properties: input.properties?.map(({ key, value }) => ({ key, value })),
  });
}

function rosterItem(input: RosterItemInput): Record<string, unknown> {
  // PUT applies nickname and groups only when non-null, so null is sent as absent (openfire-rest-api.md §7.4).
  return defined({
    jid: input.jid,
    nickname: input.nickname ?? undefined,
    subscriptionType: input.subscriptionType,
    groups: input.groups ?? undefined,
  });
}

function group(input: GroupInput): Record<string, unknown> {
  // Create and update answer 500 when `members` or `admins` is missing (openfire-rest-api.md §7.6, plugin issue #176).
  return defined({
    name: input.name,
    description: input.description ?? undefined,
    admins: input.admins ?? [],
    members: input.members ?? [],
    shared: input.shared ?? false,
  });
}

function chatRoom(input: ChatRoomInput): Record<string, unknown> {
  return defined({ ...input });
}

const encoders: { readonly [E in Exclude<RequestEntity, 'vcard' | 'affiliations'>]: (body: BodyModels[E]) => unknown } =
  {
    user,
    userGroups: (names) => ({ groupnames: [...names] }),
    rosterItem,
    group,
    chatService: (s) => ({ serviceName: s.serviceName, description: s.description, hidden: s.hidden }),
    chatRoom,
    chatRooms: (rooms) => ({ chatRooms: rooms.map(chatRoom) }),
    mucInvitation: (i) => defined({ reason: i.reason ?? undefined }),
    mucInvitations: (i) => defined({ reason: i.reason ?? undefined, jidsToInvite: [...i.jidsToInvite] }),
    property: (p) => ({ key: p.key, value: p.value }),
    message: (m) => ({ body: m.body }),
  };

/**
 * The body of a request entity; `affiliation` names the list key of affiliation bodies (`owners`, `members`…).
 * vCards are raw XML, everything else JSON.
 */
export function encodeBody(entity: RequestEntity, body: unknown, affiliation?: string): EncodedBody {
  if (entity === 'vcard') return { contentType: 'application/xml', text: body as string };
  const json =
    entity === 'affiliations'
      ? { [affiliation ?? 'members']: [...(body as readonly string[])] }
      : (encoders[entity] as (b: unknown) => unknown)(body);
  return { contentType: 'application/json', text: JSON.stringify(json) };
}
