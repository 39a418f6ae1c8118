import type { InputFieldBuilder } from '@pothos/core';
import type { ChatRoomInput as ChatRoomBody, ChatRoom as ChatRoomModel } from '../upstream/model.js';
import { builder, type Types } from './builder.js';
import { gatewayError } from './errors.js';
import { nonEmpty, jid as validJid, username as validUsername } from './validate.js';

/** A room's settings vocabulary and the inputs that write them (`createChatRoom`, `updateChatRoom`). */
/** A JID, or the username of a local user (both read by Openfire's `checkAndGetJID`); checked before any call. */
export const jidOrUsername = (value: string, argument: string): string =>
  value.includes('@') ? validJid(value, argument) : validUsername(value, argument);

/** Completes a username to the local user's bare JID. */
export const asJid = (value: string, domain: string): string =>
  value.includes('@') ? value : `${value.toLowerCase()}@${domain}`;

export type MucRole = 'moderator' | 'participant' | 'visitor' | 'none';

export const RoomRole = builder.enumType('RoomRole', {
  values: {
    MODERATOR: { value: 'moderator' },
    PARTICIPANT: { value: 'participant' },
    VISITOR: { value: 'visitor' },
    NONE: { value: 'none' },
  } as const,
});

export const PrivateMessages = builder.enumType('PrivateMessages', {
  description: 'Who may send private messages in a room.',
  values: {
    ANYONE: { value: 'anyone' },
    PARTICIPANTS: { value: 'participants' },
    MODERATORS: { value: 'moderators' },
    NONE: { value: 'none' },
  } as const,
});

export type Flag = { [K in keyof ChatRoomModel]: ChatRoomModel[K] extends boolean ? K : never }[keyof ChatRoomModel];

/** Boolean settings: the default `createChatRoom` uses (a persistent public room) and what they mean. */
export const FLAGS: Record<Flag, readonly [boolean, string]> = {
  persistent: [true, 'Kept (and stored) when the last occupant leaves.'],
  publicRoom: [true, 'Listed in service discovery and by `chatRooms(type: PUBLIC)`.'],
  registrationEnabled: [true, 'Users may register with the room (reserve a nickname).'],
  canAnyoneDiscoverJID: [true, 'Every occupant sees the real JIDs of the others (non-anonymous room).'],
  canOccupantsChangeSubject: [false, 'Occupants, not only moderators, may change the subject.'],
  canOccupantsInvite: [false, 'Occupants may invite others.'],
  canChangeNickname: [true, 'Occupants may change their nickname.'],
  logEnabled: [true, 'Openfire logs the conversation.'],
  loginRestrictedToNickname: [false, 'Users may only join with their registered nickname.'],
  membersOnly: [false, 'Only members (and higher affiliations) may join.'],
  moderated: [false, 'Only occupants with voice may speak.'],
};
export const flagNames = Object.keys(FLAGS) as Flag[];

const LISTS = ['owners', 'admins', 'members', 'outcasts'] as const;
const GROUP_LISTS = ['ownerGroups', 'adminGroups', 'memberGroups', 'outcastGroups'] as const;

const listDescription = (list: string): string =>
  `JIDs, or usernames of local users${list === 'owners' ? '; none: the `admin` user owns the room' : ''}.`;

/** Room settings as input; `create` adds the defaults of a persistent public room. */
function settingsFields(t: InputFieldBuilder<Types, 'InputObject'>, create: boolean) {
  const d = <T>(value: T): T | undefined => (create ? value : undefined);
  const flag = (f: Flag) => t.boolean({ defaultValue: d(FLAGS[f][0]), description: FLAGS[f][1] });
  return {
    naturalName: t.string({ description: 'The display name.' }),
    description: t.string(),
    password: t.string({ description: 'Needed to join; an empty string means none.' }),
    subject: t.string({ description: 'Set as a message from the room; cannot be removed, only replaced.' }),
    maxUsers: t.int({ defaultValue: d(30), description: 'Most occupants at once; 0 means unlimited.' }),
    ...Object.fromEntries(flagNames.map((f) => [f, flag(f)])),
    allowPM: t.field({ type: PrivateMessages, defaultValue: d('anyone' as const) }),
    broadcastPresenceRoles: t.field({
      type: [RoomRole],
      defaultValue: d<MucRole[]>(['moderator', 'participant', 'visitor']),
      description: 'Roles whose presence is broadcast; an empty list broadcasts none.',
    }),
    ...Object.fromEntries(LISTS.map((l) => [l, t.stringList({ description: listDescription(l) })])),
    ...Object.fromEntries(GROUP_LISTS.map((l) => [l, t.stringList({ description: 'Group names.' })])),
  };
}

export const ChatRoomInput = builder.inputType('ChatRoomInput', {
  description: 'A new room. Left-out settings take the defaults shown (Openfire itself would take false and 0).',
  fields: (t) => ({ roomName: t.string({ required: true }), ...settingsFields(t, true) }),
});

export const ChatRoomChanges = builder.inputType('ChatRoomChanges', {
  description: 'Settings to change; left out or null keeps the current value. A list, when given, replaces it.',
  fields: (t) => settingsFields(t, false),
});

/**
 * Checks room settings (null means left out) before any upstream call; the body they give completes usernames to
 * JIDs once the domain is known, since Openfire reads `jane` in these lists as a domain-only JID
 * (openfire-rest-api.md §7.8).
 */
export function roomSettings(input: object, prefix: string): (domain: string) => Omit<ChatRoomBody, 'roomName'> {
  const given: Record<string, unknown> = Object.fromEntries(Object.entries(input).filter(([, v]) => v != null));
  if (typeof given.maxUsers === 'number' && given.maxUsers < 0) {
    throw gatewayError('BAD_USER_INPUT', `"${prefix}maxUsers" must not be negative`);
  }
  const check = (list: string, valid: (v: string, arg: string) => string) =>
    (given[list] as string[] | undefined)?.forEach((v, i) => {
      valid(v, `${prefix}${list}[${i}]`);
    });
  for (const list of LISTS) check(list, jidOrUsername);
  for (const list of GROUP_LISTS) check(list, nonEmpty);
  return (domain) => {
    const jids = LISTS.filter((l) => given[l]).map((l) => [l, (given[l] as string[]).map((v) => asJid(v, domain))]);
    return { ...given, ...Object.fromEntries(jids) };
  };
}
