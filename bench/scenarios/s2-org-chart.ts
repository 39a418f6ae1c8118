import { DEFAULT_BUDGET } from '../../src/request/upstream.js';
import { defined } from '../../test/helpers/defined.js';
import { graphql, occurrences } from '../lib/graphql.js';
import { loop } from '../lib/loop.js';
import { mapLimit, type Rest } from '../lib/rest.js';
import type { Scenario } from '../lib/scenario.js';
import { API_KEY, DOMAIN } from '../lib/stack.js';

/** S2: every group with its members' and admins' username, name and email, at several data sizes. */
const PERSON = '{ username name email }';
const QUERY = `{ groups { nodes { name members ${PERSON} admins ${PERSON} } } }`;

interface User {
  readonly username: string;
  readonly name?: string;
  readonly email?: string;
}
interface GroupDetail {
  readonly name: string;
  readonly members?: string[];
  readonly admins?: string[];
}

/**
 * What a careful client does: the user list at once (every member will be needed, and it does not depend on the
 * groups), the group list (names only), each group's detail with as many calls in flight as the gateway allows
 * itself, then members joined to users by JID. Checked as the gateway's answer is: every member found.
 */
async function orgChart(rest: Rest, groups: number, members: number): Promise<void> {
  const [all, details] = await Promise.all([
    rest.get<{ users: User[] }>('/users'),
    rest
      .get<{ groups: Array<{ name: string }> }>('/groups')
      .then((list) =>
        mapLimit(list.groups, DEFAULT_BUDGET.concurrency, (g) =>
          rest.get<GroupDetail>(`/groups/${encodeURIComponent(g.name)}`),
        ),
      ),
  ]);
  const byJid = new Map(all.users.map((u) => [`${u.username}@${DOMAIN}`, u]));
  const person = (jid: string) => {
    const u = byJid.get(jid);
    return u && { username: u.username, name: u.name ?? null, email: u.email ?? null };
  };
  const chart = details.map((d) => ({
    name: d.name,
    members: (d.members ?? []).map(person),
    admins: (d.admins ?? []).map(person),
  }));
  const found = chart.reduce((n, g) => n + [...g.members, ...g.admins].filter(Boolean).length, 0);
  if (found !== groups * members) throw new Error(`direct S2: ${found} of ${groups * members} members found`);
}

/**
 * `reference`: also run the resolver per field without loaders (bench/reference/floor.mjs); at 20,000 users it would
 * need 54,001 calls an operation, minutes for the call count alone, so that row goes without.
 */
function s2(id: string, users: number, reference = true): Scenario {
  const groups = users / 10;
  const members = Math.min(25, users);
  const complete = (body: string): boolean => occurrences(body, '"email":"user') === groups * members;
  return {
    id,
    title: `org chart, ${users.toLocaleString('en')} users, ${groups} groups × ${members}`,
    sizes: { users, groups, members, rooms: 0 },
    ...(reference && { floor: { title: 'resolver per field, no loaders: bare graphql-yoga' } }),
    // More than the default MAX_UPSTREAM_CALLS (1,000) at 20,000 users: the operator of such a chart raises it.
    ...(groups + 2 > DEFAULT_BUDGET.maxCalls && { gatewayEnv: { MAX_UPSTREAM_CALLS: String(groups + 2) } }),
    minimum: {
      calls: groups + 2,
      per: 'op',
      why:
        '`GET /groups` (names only), one `GET /groups/{name}` per group (no route lists several groups’ members), one ' +
        '`GET /users` for every member. The reference row, a resolver per field without loaders, makes 1 + 2 × groups ' +
        '(the group read once for its members, once for its admins) + one `GET /users/{username}` per person.',
    },
    directRest:
      '`GET /users` alongside `GET /groups`, then every `GET /groups/{name}` (as many in flight as the gateway allows ' +
      'itself, `UPSTREAM_CONCURRENCY`), members joined to users; timed from the first call to the joined answer.',
    sides: (stack) => ({
      gateway: graphql(stack.gatewayUrl, QUERY, complete, `Bearer ${API_KEY}`),
      ...(reference && {
        floor: graphql(defined(stack.floorUrl, 'the reference URL (this scenario sets floor)'), QUERY, complete),
      }),
      direct: loop(() => orgChart(stack.rest, groups, members)),
    }),
  };
}

/**
 * The org chart, then its scaling rows: 20, 200, 2,000 and 20,000 users (1×, 10×, 100×, 1,000×), a group per
 * ten users, 25 members each (all 20 users when there are only 20).
 */
export const orgChartScenarios: Scenario[] = [
  s2('S2', 2000),
  s2('S2-20u', 20),
  s2('S2-200u', 200),
  s2('S2-20ku', 20_000, false),
];
