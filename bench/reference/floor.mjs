/**
 * The references of `npm run bench`, as bare graphql-yoga: no auth, logging, metrics, loaders or decoding, plain
 * JavaScript run by plain node (as the compiled gateway is). Started by the bench with OPENFIRE_URL, OPENFIRE_SECRET
 * and OPENFIRE_CONNECTIONS (the gateway's pool size).
 * - S1, the floor: `user(username:)` with one resolver making the gateway's single undici call; the least a GraphQL
 *   server can do, to compare the gateway's own layers with.
 * - S2, a resolver per field without loaders: each group's `members` and `admins` fetch the group, then each user on
 *   its own; what a GraphQL layer generated over the REST API does.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';

const openfire = new Pool(process.env.OPENFIRE_URL, { connections: Number(process.env.OPENFIRE_CONNECTIONS) });
const headers = { accept: 'application/json', authorization: process.env.OPENFIRE_SECRET };

async function get(path) {
  const res = await openfire.request({ method: 'GET', path: `/plugins/restapi/v1${path}`, headers });
  return res.body.json();
}

const user = (username) => get(`/users/${encodeURIComponent(username)}`);
/** Members and admins are JIDs; the user is the part before `@`. */
const people = async (group, role) => {
  const detail = await get(`/groups/${encodeURIComponent(group.name)}`);
  return Promise.all((detail[role] ?? []).map((jid) => user(jid.slice(0, jid.indexOf('@')))));
};

const yoga = createYoga({
  logging: false,
  schema: createSchema({
    typeDefs: `
      type User { username: String! name: String email: String }
      type Group { name: String! members: [User!]! admins: [User!]! }
      type GroupList { nodes: [Group!]! }
      type Query { user(username: String!): User groups: GroupList! }`,
    resolvers: {
      Query: {
        user: (_root, args) => user(args.username),
        groups: async () => ({ nodes: (await get('/groups')).groups }),
      },
      Group: {
        members: (group) => people(group, 'members'),
        admins: (group) => people(group, 'admins'),
      },
    },
  }),
});

const server = createServer(yoga).listen(0, '127.0.0.1', () => {
  process.stdout.write(`reference floor listening on http://127.0.0.1:${server.address().port}\n`);
});
// An orderly exit on the bench's SIGTERM, so that `--cpu-prof` gets to write its profile.
process.once('SIGTERM', () => process.exit(0));
