import type { ClusterNode as ClusterNodeModel } from '../upstream/model.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { STAFF } from './scopes.js';
import { nonEmpty } from './validate.js';

/** Openfire clustering (REST `/clustering`, openfire-rest-api.md §7.13). */
const ClusterNode = builder.objectRef<ClusterNodeModel>('ClusterNode').implement({
  authScopes: STAFF,
  description: 'A member of the Openfire cluster.',
  fields: (t) => ({
    id: t.exposeID('nodeID', { description: 'The node ID.' }),
    hostName: t.exposeString('hostName', { description: 'Name and address, e.g. `node1.example.org (198.51.100.1)`.' }),
    joinedTime: t.expose('joinedTime', { type: 'DateTime', nullable: true, description: 'Null when unknown.' }),
    seniorMember: t.exposeBoolean('seniorMember'),
  }),
});

const status = (ctx: Context): Promise<string> => ctx.upstream.call('GET /clustering/status', {});

const Cluster = builder.objectRef<object>('Cluster').implement({
  authScopes: STAFF,
  description: 'The Openfire cluster; one field per upstream call, made only when selected.',
  fields: (t) => ({
    status: t.string({
      description: '`Disabled`, `Starting up`, `Junior member`, `Senior member` or `SENIOR AND ONLY MEMBER`.',
      resolve: (_root, _args, ctx) => status(ctx),
    }),
    enabled: t.boolean({
      description: 'Whether clustering is enabled (the status is not `Disabled`).',
      resolve: async (_root, _args, ctx) => (await status(ctx)) !== 'Disabled',
    }),
    nodes: t.field({
      type: [ClusterNode],
      description: 'Every known node; empty when clustering is disabled.',
      resolve: async (_root, _args, ctx) => {
        const nodes = await ctx.upstream.call('GET /clustering/nodes', {});
        for (const node of nodes) ctx.loaders.clusterNode.prime(node.nodeID, node);
        return nodes;
      },
    }),
    node: t.field({
      type: ClusterNode,
      nullable: true,
      description: 'A node by ID, or null.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.loaders.clusterNode.load(nonEmpty(String(args.id), 'id')),
    }),
  }),
});

builder.queryFields((t) => ({
  cluster: t.field({ type: Cluster, description: 'Openfire’s cluster status and nodes.', resolve: () => ({}) }),
}));
