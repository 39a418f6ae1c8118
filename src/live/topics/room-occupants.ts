import { UpstreamError } from '../../upstream/errors.js';
import type { Occupant } from '../../upstream/model.js';
import { mapCodec } from '../codec.js';
import type { Topic } from '../hub.js';
import type { View } from '../poller.js';

/** A room's occupants by nickname, one `GET /chatrooms/{room}/occupants` per poll. */
export type Occupants = ReadonlyMap<string, Occupant>;

/** A room of a chat service, as subscriptions name it (the name as Openfire stores it). */
export interface RoomRef {
  readonly service: string;
  readonly room: string;
}

/** The nickname: the resource of the occupant's room JID. */
const nicknameOf = (occupant: Occupant): string => occupant.jid.slice(occupant.jid.indexOf('/') + 1);

export const roomOccupantsTopic = ({ service, room }: RoomRef): Topic<Occupants> => ({
  name: 'roomOccupants',
  key: JSON.stringify([service, room]),
  codec: mapCodec<Occupant>(),
  read: async (upstream, _previous, signal) => {
    const args = { path: { roomName: room }, query: { servicename: service } };
    const occupants = await upstream('GET /chatrooms/{roomName}/occupants', args, signal);
    return new Map(occupants.map((occupant) => [nicknameOf(occupant), occupant]));
  },
  // The room was destroyed: its subscribers are told the stream is over rather than waiting for polls that fail.
  gone: (error) => error instanceof UpstreamError && error.code === 'NOT_FOUND',
});

export type OccupantEventKind = 'JOINED' | 'LEFT' | 'CHANGED';

/** An occupant as subscribers see it; `jid` is the real JID, null where the subscriber may not know who it is. */
export interface LiveOccupant {
  readonly nickname: string;
  readonly role: string;
  readonly affiliation: string;
  readonly jid: string | null;
}

export interface OccupantEvent {
  readonly kind: OccupantEventKind;
  readonly occupant: LiveOccupant;
}

const changed = (a: Occupant, b: Occupant): boolean =>
  a.role !== b.role || a.affiliation !== b.affiliation || a.userAddress !== b.userAddress;

/**
 * Who joined, changed role or affiliation, and left, between two polls; first a JOINED for each occupant present.
 * `identities`: whether the real JIDs are shown (administrators, read keys, the room's owners).
 */
export function occupantsView(identities: boolean): View<Occupants, OccupantEvent> {
  const show = (nickname: string, o: Occupant): LiveOccupant => ({
    nickname,
    role: o.role,
    affiliation: o.affiliation,
    jid: identities ? o.userAddress : null,
  });
  return {
    key: identities ? 'occupants:identified' : 'occupants:anonymous',
    project: (previous, next) => {
      const events: OccupantEvent[] = [];
      for (const [nickname, occupant] of next) {
        const before = previous?.get(nickname);
        if (before === undefined) events.push({ kind: 'JOINED', occupant: show(nickname, occupant) });
        else if (changed(before, occupant)) events.push({ kind: 'CHANGED', occupant: show(nickname, occupant) });
      }
      if (previous !== null) {
        for (const [nickname, occupant] of previous) {
          if (!next.has(nickname)) events.push({ kind: 'LEFT', occupant: show(nickname, occupant) });
        }
      }
      return events;
    },
  };
}
