/**
 * The reference floor of `npm run bench` (S1): the least a GraphQL server can do for `user(username:)`, to compare
 * the gateway's own layers with. Bare graphql-yoga with one resolver making the gateway's single undici call to
 * Openfire; no auth, logging, metrics, loaders or decoding. Plain JavaScript run by plain node, as the compiled
 * gateway is. Started by the bench with OPENFIRE_URL, OPENFIRE_SECRET and OPENFIRE_CONNECTIONS (the gateway's pool size).
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';

const openfire = new Pool(process.env.OPENFIRE_URL, { connections: Number(process.env.OPENFIRE_CONNECTIONS) });
const headers = { accept: 'application/json', authorization: process.env.OPENFIRE_SECRET };

const yoga = createYoga({
  logging: false,
  schema: createSchema({
    typeDefs: 'type User { username: String! name: String email: String } type Query { user(username: String!): User }',
    resolvers: {
      Query: {
        user: async (_root, args) => {
          const res = await openfire.request({ method: 'GET', path: `/plugins/restapi/v1/users/${encodeURIComponent(args.username)}`, headers });
          return res.body.json();
        },
      },
    },
  }),
});

const server = createServer(yoga).listen(0, '127.0.0.1', () => {
  process.stdout.write(`reference floor listening on http://127.0.0.1:${server.address().port}\n`);
});
// An orderly exit on the bench's SIGTERM, so that `--cpu-prof` gets to write its profile.
process.once('SIGTERM', () => process.exit(0));
