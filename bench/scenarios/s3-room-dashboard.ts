import { DEFAULT_BUDGET } from '../../src/request/upstream.js';
import { defined } from '../../test/helpers/defined.js';
import { graphql, occurrences } from '../lib/graphql.js';
import { loop } from '../lib/loop.js';
import { mapLimit, type Rest } from '../lib/rest.js';
import type { Scenario } from '../lib/scenario.js';
import { API_KEY, DOMAIN } from '../lib/stack.js';

/** S3: every room with its owners' names, its occupants and its last history message. */
const ROOMS = 100;
const QUERY = `{ chatRooms { nodes {
  roomName owners { jid user { name } } occupants { nickname role } history(last: 1) { nickname body }
} } }`;

interface Room {
  readonly roomName: string;
  readonly owners?: string[];
}
interface Occupant {
  readonly jid: string;
  readonly role: string;
}
interface Message {
  readonly from?: string;
  readonly body?: string;
}

const nickname = (roomJid: string | undefined): string | null => roomJid?.split('/')[1] ?? null;

/**
 * What a careful client does: the room list (owners' JIDs included), then at once the user list for the owners'
 * names and each room's occupants and history with as many calls in flight as the gateway allows itself; then the
 * dashboard is assembled. Checked as the gateway's answer is: every room has its owner's name and last message.
 */
async function dashboard(rest: Rest): Promise<void> {
  const { chatRooms } = await rest.get<{ chatRooms: Room[] }>('/chatrooms');
  const paths = chatRooms.flatMap((r) =>
    ['occupants', 'chathistory'].map((what) => `/chatrooms/${encodeURIComponent(r.roomName)}/${what}`),
  );
  const [all, answers] = await Promise.all([
    rest.get<{ users: Array<{ username: string; name?: string }> }>('/users'),
    mapLimit(paths, DEFAULT_BUDGET.concurrency, (path) =>
      rest.get<{ occupants?: Occupant[]; message?: Message[] }>(path),
    ),
  ]);
  const names = new Map(all.users.map((u) => [`${u.username}@${DOMAIN}`, u.name ?? null]));
  const board = chatRooms.map((room, i) => ({
    roomName: room.roomName,
    owners: (room.owners ?? []).map((jid) => ({ jid, user: names.has(jid) ? { name: names.get(jid) } : null })),
    occupants: (defined(answers[2 * i], `the occupants of ${room.roomName}`).occupants ?? []).map((o) => ({
      nickname: nickname(o.jid),
      role: o.role,
    })),
    history: (defined(answers[2 * i + 1], `the history of ${room.roomName}`).message ?? [])
      .slice(-1)
      .map((m) => ({ nickname: nickname(m.from), body: m.body ?? null })),
  }));
  const complete = board.filter((r) => r.owners[0]?.user && r.history[0]?.body?.startsWith('Message 5')).length;
  if (complete !== ROOMS) throw new Error(`direct S3: ${complete} of ${ROOMS} rooms complete`);
}

export const roomDashboardScenarios: Scenario[] = [
  {
    id: 'S3',
    title: `room dashboard, ${ROOMS} rooms`,
    sizes: { users: 2000, groups: 0, members: 0, rooms: ROOMS },
    minimum: {
      calls: 2 * ROOMS + 2,
      per: 'op',
      why:
        '`GET /chatrooms` (owners’ JIDs included), `GET /chatrooms/{room}/occupants` and `…/chathistory` per room (no ' +
        'route gives either for several rooms), one `GET /users` for the owners’ names.',
    },
    directRest:
      '`GET /chatrooms`, then `GET /users` alongside every room’s `occupants` and `chathistory` (as many in flight as ' +
      'the gateway allows itself), assembled; timed from the first call to the assembled answer.',
    sides: (stack) => ({
      gateway: graphql(
        stack.gatewayUrl,
        QUERY,
        (body) =>
          occurrences(body, '"body":"Message 5 in room') === ROOMS &&
          occurrences(body, '"user":{"name":"User') === ROOMS,
        `Bearer ${API_KEY}`,
      ),
      direct: loop(() => dashboard(stack.rest)),
    }),
  },
];
