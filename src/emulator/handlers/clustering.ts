import type { RouteKey } from '../../upstream/routes.js';
import { notFound } from '../errors.js';
import { entity, type Handler } from '../http/types.js';
import type { ClusterNodeRecord, ClusterState } from '../store.js';

/**
 * A disabled cluster reports `Disabled` and knows no nodes, whatever else the state holds (openfire-rest-api.md §7.13).
 */
const statusOf = (cluster: ClusterState): string => (cluster.enabled ? cluster.status : 'Disabled');
const nodesOf = (cluster: ClusterState): ClusterNodeRecord[] => (cluster.enabled ? cluster.nodes : []);

const status: Handler = (_req, ctx) => entity('clustering', { status: statusOf(ctx.store.state.cluster) });

// Node records carry exactly the entity's fields; `joinedTime` is epoch ms, null (left out) when unknown
// (openfire-rest-api.md §9.8).
const nodes: Handler = (_req, ctx) => entity('clusterNodes', { clusterNodes: nodesOf(ctx.store.state.cluster) });

const node: Handler = (req, ctx) => {
  const nodeId = req.params.nodeId ?? '';
  const found = nodesOf(ctx.store.state.cluster).find((n) => n.nodeID === nodeId);
  if (!found) {
    throw notFound('ClusterNodeNotFoundException', 'Could not find a cluster node with this NodeID.', nodeId);
  }
  return entity('clusterNode', { ...found });
};

export const clusteringHandlers = {
  'GET /clustering/status': status,
  'GET /clustering/nodes': nodes,
  'GET /clustering/nodes/{nodeId}': node,
} satisfies Partial<Record<RouteKey, Handler>>;
