import { contactsView, type Presence as PresenceModel, presenceView } from '../live/topics/presence.js';
import { sessionsTopic } from '../live/topics/sessions.js';
import { builder } from './builder.js';
import { gatewayError } from './errors.js';
import { delivered, stream } from './live.js';
import { ANYONE, OPEN_TYPE } from './scopes.js';
import { username as validUsername } from './validate.js';

/**
 * Users' presence, live: one `GET /sessions` per poll interval feeds every presence subscriber (and session events)
 * of a credential. A user's presence is that of their session XMPP would route to (highest priority first).
 */
const Presence = builder.objectRef<PresenceModel>('Presence').implement({
  description: 'Whether a user is online, and with what status, as their contacts would see it.',
  ...OPEN_TYPE,
  fields: (t) => ({
    username: t.exposeString('username'),
    online: t.exposeBoolean('online', { description: 'Whether at least one of their sessions has sent presence.' }),
    presenceStatus: t.exposeString('presenceStatus', {
      nullable: true,
      description: '`Online`, `Away`, `Available to Chat`, `Do Not Disturb`, `Extended Away`; null when offline.',
    }),
    presenceMessage: t.exposeString('presenceMessage', { nullable: true, description: 'The status text.' }),
  }),
});

/** Names one subscription may watch; more would make one projection per poll expensive for everyone. */
const MAX_USERNAMES = 500;

function watched(usernames: readonly string[] | null | undefined): string[] | null {
  if (usernames === null || usernames === undefined) return null;
  if (usernames.length > MAX_USERNAMES)
    throw gatewayError('BAD_USER_INPUT', `"usernames" may list at most ${MAX_USERNAMES} users`);
  // Openfire stores usernames in lower case (nodeprep), and its session list shows them so.
  return usernames.map((name, i) => validUsername(name, `usernames[${i}]`).toLowerCase());
}

builder.subscriptionFields((t) => ({
  presence: t.field({
    type: Presence,
    description:
      'First the current presence of the users watched, then each change. Administrators and read keys watch the ' +
      'listed users (everyone online when `usernames` is omitted); an end user watches only roster contacts whose ' +
      'presence they are subscribed to (`TO` or `BOTH`), as XMPP itself decides: other names are left out.',
    skipTypeScopes: true,
    authScopes: ANYONE,
    args: { usernames: t.arg.stringList({ description: `At most ${MAX_USERNAMES}.` }) },
    subscribe: async (_root, args, ctx) => {
      const usernames = watched(args.usernames);
      const { caller } = ctx;
      if (caller.role !== 'user' || caller.username === undefined) {
        return stream(ctx, sessionsTopic, presenceView(usernames));
      }
      const view = contactsView({
        username: caller.username,
        usernames,
        domain: await ctx.domain(),
        upstream: ctx.live.upstream,
        now: ctx.live.now,
      });
      return stream(ctx, sessionsTopic, view);
    },
    resolve: delivered,
  }),
}));
