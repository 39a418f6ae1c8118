import type { RosterItem as RosterItemModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { gatewayError } from './errors.js';
import { localUser } from './local-user.js';
import { STAFF_OR_SELF, staffOr } from './scopes.js';
import { existingUser, User } from './user.js';
import { jid as validJid } from './validate.js';

const bareJid = (jid: string): string => (jid.split('/')[0] ?? '').toLowerCase();

const RosterSubscription = builder.enumType('RosterSubscription', {
  description: 'Presence subscription between the roster owner and the contact (Openfire’s `subscriptionType`).',
  values: {
    REMOVE: { value: -1, description: 'The item is being removed (-1).' },
    NONE: { value: 0, description: 'No subscription either way (0).' },
    TO: { value: 1, description: 'The owner sees the contact’s presence (1).' },
    FROM: { value: 2, description: 'The contact sees the owner’s presence (2).' },
    BOTH: { value: 3, description: 'Both see each other’s presence (3).' },
  } as const,
});

export const RosterItem = builder.objectRef<RosterItemModel>('RosterItem').implement({
  description: 'A contact in a user’s roster, personal or implied by a shared group.',
  // End users reach only the items of their own roster (`User.roster` grants `contact`).
  authScopes: staffOr('contact'),
  fields: (t) => ({
    jid: t.exposeString('jid', { description: 'The contact’s bare JID.' }),
    nickname: t.exposeString('nickname', { nullable: true }),
    subscription: t.field({ type: RosterSubscription, resolve: (item) => item.subscriptionType as -1 | 0 | 1 | 2 | 3 }),
    groups: t.stringList({ description: 'The item’s personal roster groups.', resolve: (item) => [...item.groups] }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The local user behind the JID; null for remote JIDs and unknown users.',
      resolve: (item, _args, ctx) => localUser(ctx, item.jid),
    }),
  }),
});

builder.objectField(User, 'roster', (t) =>
  t.field({
    type: [RosterItem],
    description: 'The user’s roster, shared-group contacts included.',
    authScopes: STAFF_OR_SELF,
    grantScopes: ['contact'],
    resolve: (user, _args, ctx) => ctx.loaders.roster.load(user.username),
  }),
);

const AddRosterItemInput = builder.inputType('AddRosterItemInput', {
  fields: (t) => ({
    jid: t.string({ required: true, description: 'The contact’s JID; a resource is dropped.' }),
    nickname: t.string(),
    subscription: t.field({ type: RosterSubscription, description: 'Defaults to NONE.' }),
    groups: t.stringList(),
  }),
});

const UpdateRosterItemInput = builder.inputType('UpdateRosterItemInput', {
  description: 'Only the fields given change; `groups: []` clears the groups.',
  fields: (t) => ({
    nickname: t.string(),
    subscription: t.field({ type: RosterSubscription }),
    groups: t.stringList(),
  }),
});

const sameJid = (item: RosterItemModel, jid: string): boolean => item.jid.toLowerCase() === bareJid(jid);

async function findItem(ctx: Context, username: string, jid: string): Promise<RosterItemModel | null> {
  return (await ctx.loaders.roster.load(username)).find((item) => sameJid(item, jid)) ?? null;
}

async function existingItem(ctx: Context, username: string, jid: string): Promise<RosterItemModel> {
  const item = await findItem(ctx, username, jid);
  if (!item) throw gatewayError('NOT_FOUND', `No roster item "${jid}" for user "${username}"`, 'RosterItemNotFound');
  return item;
}

export interface ItemChanges {
  readonly nickname?: string | null;
  readonly subscription?: number | null;
  readonly groups?: readonly string[] | null;
}

// The user is checked first: Openfire keys rosters by the raw path value and creates rosters for unknown names
// (openfire-rest-api.md §7.4).

/** Adds a contact to a user's roster and reads the item back. */
export async function addItem(
  ctx: Context,
  username: string,
  input: ItemChanges & { readonly jid: string },
): Promise<RosterItemModel> {
  const jid = validJid(input.jid, 'input.jid');
  const user = await existingUser(ctx, username);
  const { nickname, groups } = input;
  const body = { jid, nickname, subscriptionType: input.subscription ?? undefined, groups };
  await ctx.upstream.call('POST /users/{username}/roster', { path: { username: user.username }, body });
  return existingItem(ctx, user.username, jid);
}

/** Changes the given fields of a roster item (the subscription is kept unless given) and reads it back. */
export async function updateItem(
  ctx: Context,
  username: string,
  jid: string,
  input: ItemChanges,
): Promise<RosterItemModel> {
  const contact = validJid(jid);
  const user = await existingUser(ctx, username);
  const current = await existingItem(ctx, user.username, contact);
  // PUT always applies the subscription (absent means NONE), so the current one is sent again
  // (openfire-rest-api.md §7.4).
  const body = {
    jid: current.jid,
    nickname: input.nickname,
    subscriptionType: input.subscription ?? current.subscriptionType,
    groups: input.groups,
  };
  const path = { username: user.username, rosterJid: current.jid };
  await ctx.upstream.call('PUT /users/{username}/roster/{rosterJid}', { path, body });
  return existingItem(ctx, user.username, current.jid);
}

/** Removes a contact (cancelling subscriptions both ways) and returns the user's remaining roster. */
export async function deleteItem(ctx: Context, username: string, jid: string): Promise<RosterItemModel[]> {
  const contact = validJid(jid);
  const user = await existingUser(ctx, username);
  const path = { username: user.username, rosterJid: contact };
  await ctx.upstream.call('DELETE /users/{username}/roster/{rosterJid}', { path });
  return ctx.loaders.roster.load(user.username);
}

builder.mutationFields((t) => ({
  addRosterItem: t.field({
    type: RosterItem,
    args: { username: t.arg.string({ required: true }), input: t.arg({ type: AddRosterItemInput, required: true }) },
    resolve: (_root, { username, input }, ctx) => addItem(ctx, username, input),
  }),
  updateRosterItem: t.field({
    type: RosterItem,
    description: 'Changes the given fields of a roster item; the subscription is kept unless given.',
    args: {
      username: t.arg.string({ required: true }),
      jid: t.arg.string({ required: true }),
      input: t.arg({ type: UpdateRosterItemInput, required: true }),
    },
    resolve: (_root, { username, jid, input }, ctx) => updateItem(ctx, username, jid, input),
  }),
  deleteRosterItem: t.field({
    type: [RosterItem],
    description: 'Removes a contact (cancelling subscriptions both ways) and returns the user’s remaining roster.',
    args: { username: t.arg.string({ required: true }), jid: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => deleteItem(ctx, args.username, args.jid),
  }),
}));
