import { defined } from '../../test/helpers/defined.js';
import { cannon } from '../lib/cannon.js';
import { graphql } from '../lib/graphql.js';
import type { Scenario } from '../lib/scenario.js';
import { API_KEY, OPENFIRE_SECRET } from '../lib/stack.js';

/** S1: one user by name, three scalar fields; the gateway against the same GET made directly and a bare yoga. */
const USERNAME = 'user00042';
const QUERY = `{ user(username: "${USERNAME}") { username name email } }`;
const EXPECTED = `"email":"${USERNAME}@example.com"`;
const complete = (body: string): boolean => body.includes(EXPECTED);

/** The gateway side: the query with the bench's API key, through one gateway or dealt over replicas. */
export const userLookup = (gateway: string | readonly string[]) =>
  graphql(gateway, QUERY, complete, `Bearer ${API_KEY}`);

function s1(id: string, title: string, connections?: number): Scenario {
  return {
    id,
    title,
    sizes: { users: 2000, groups: 0, members: 0, rooms: 0 },
    connections,
    floor: { title: 'reference floor: bare graphql-yoga in place of the gateway' },
    minimum: { calls: 1, per: 'op', why: '`GET /users/{username}` is the only call that reads one user.' },
    directRest: '`GET /users/{username}` with `Accept: application/json` and the secret.',
    sides: (stack) => ({
      gateway: userLookup(stack.gatewayUrl),
      floor: graphql(defined(stack.floorUrl, 'the reference URL (this scenario sets floor)'), QUERY, complete),
      direct: cannon(
        stack.emulatorUrl,
        [
          {
            method: 'GET',
            path: `/plugins/restapi/v1/users/${USERNAME}`,
            headers: { accept: 'application/json', authorization: OPENFIRE_SECRET },
          },
        ],
        (status, body) => status === 200 && complete(body),
      ),
    }),
  };
}

export const userScenarios: Scenario[] = [s1('S1', 'single user'), s1('S1-1c', 'single user, one connection', 1)];
