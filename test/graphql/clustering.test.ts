import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../src/emulator/store.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway();

const joined = Date.UTC(2026, 0, 1, 9, 0, 0);
const twoNodes: ClusterState = {
  enabled: true,
  status: 'Senior member',
  nodes: [
    { hostName: 'node1.example.org (198.51.100.1)', nodeID: 'n1', joinedTime: joined, seniorMember: true },
    { hostName: 'node2.example.org (198.51.100.2)', nodeID: 'n2', joinedTime: null, seniorMember: false },
  ],
};

describe('cluster', () => {
  it('reports a disabled cluster without nodes', async () => {
    const res = await g.gql('{ cluster { status enabled nodes { id } node(id: "n1") { id } } }');
    expect(res.body).toEqual({ data: { cluster: { status: 'Disabled', enabled: false, nodes: [], node: null } } });
  });

  it('reports the status and every node of an enabled cluster', async () => {
    (await g.ready).edit((draft) => {
      draft.cluster = twoNodes;
    });
    const res = await g.gql('{ cluster { status enabled nodes { id hostName joinedTime seniorMember } } }');
    expect(res.body.data.cluster).toEqual({
      status: 'Senior member',
      enabled: true,
      nodes: [
        {
          id: 'n1',
          hostName: 'node1.example.org (198.51.100.1)',
          joinedTime: '2026-01-01T09:00:00.000Z',
          seniorMember: true,
        },
        { id: 'n2', hostName: 'node2.example.org (198.51.100.2)', joinedTime: null, seniorMember: false },
      ],
    });
    // `status` and `enabled` share one call.
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /clustering/status': 1, 'GET /clustering/nodes': 1 });
  });

  it('finds a node by ID once however often it is asked, and null for an unknown ID', async () => {
    (await g.ready).edit((draft) => {
      draft.cluster = twoNodes;
    });
    const res = await g.gql(
      '{ cluster { a: node(id: "n2") { hostName seniorMember } b: node(id: "n2") { id } c: node(id: "n9") { id } } }',
    );
    expect(res.body.data.cluster).toEqual({
      a: { hostName: 'node2.example.org (198.51.100.2)', seniorMember: false },
      b: { id: 'n2' },
      c: null,
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /clustering/nodes/{nodeId}': 2 });
  });

  it('calls only what is asked for', async () => {
    await g.gql('{ cluster { status } }');
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /clustering/status': 1 });
  });

  it('rejects an empty node ID before calling Openfire', async () => {
    const res = await g.gql('{ cluster { node(id: "") { id } } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
