import type autocannon from 'autocannon';
import { cannon } from '../lib/cannon.js';
import type { Scenario } from '../lib/scenario.js';
import { OPENFIRE_SECRET, USERSERVICE_SECRET } from '../lib/stack.js';

/**
 * S4: legacy `/userservice` add then delete of a new user, against the same two REST calls made directly. Each
 * connection keeps its current user in autocannon's per-connection context; names are unique across the run.
 */
interface Cycle {
  user?: string;
}

const prefix = `bench${Date.now().toString(36)}`;
let created = 0;
const newUser = (context: Cycle): string => (context.user = `${prefix}-${++created}`);

function legacy(type: 'add' | 'delete', params: (context: Cycle) => Record<string, string>): autocannon.Request {
  return {
    method: 'GET',
    setupRequest: (req, context: Cycle) => ({
      ...req,
      path: `/userservice?${new URLSearchParams({ type, secret: USERSERVICE_SECRET, ...params(context) })}`,
    }),
  };
}

const userFields = (username: string) => ({
  username,
  password: 'secret',
  name: 'Bench User',
  email: `${username}@example.com`,
});

const restHeaders = { accept: 'application/json', authorization: OPENFIRE_SECRET };

/** The gateway side: add then delete through `/userservice`, through one gateway or dealt over replicas. */
export const legacyCycle = (gateway: string | readonly string[]) =>
  cannon(
    gateway,
    [legacy('add', (c) => userFields(newUser(c))), legacy('delete', (c) => ({ username: c.user ?? '' }))],
    (status, body) => status === 200 && body.startsWith('<result>ok</result>'),
  );

function s4(id: string, title: string, connections?: number): Scenario {
  return {
    id,
    title,
    sizes: { users: 2000, groups: 0, members: 0, rooms: 0 },
    connections,
    minimum: {
      calls: 2,
      per: 'add + delete cycle',
      why: '`POST /users` creates, `DELETE /users/{username}` deletes; neither can be skipped.',
    },
    directRest: '`POST /users` then `DELETE /users/{username}`, with the bodies and headers the gateway sends.',
    sides: (stack) => ({
      gateway: legacyCycle(stack.gatewayUrl),
      direct: cannon(stack.emulatorUrl, [
        {
          method: 'POST',
          path: '/plugins/restapi/v1/users',
          headers: { ...restHeaders, 'content-type': 'application/json' },
          setupRequest: (req, context: Cycle) => ({
            ...req,
            body: JSON.stringify({ ...userFields(newUser(context)), properties: [] }),
          }),
        },
        {
          method: 'DELETE',
          headers: restHeaders,
          setupRequest: (req, context: Cycle) => ({
            ...req,
            path: `/plugins/restapi/v1/users/${encodeURIComponent(context.user ?? '')}`,
          }),
        },
      ]),
    }),
  };
}

export const legacyScenarios: Scenario[] = [
  s4('S4', 'legacy add + delete'),
  s4('S4-1c', 'legacy add + delete, one connection', 1),
];
