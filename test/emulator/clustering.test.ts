import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../src/emulator/store.js';
import { defined } from '../helpers/defined.js';
import { useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
/** The `<error>` entity of RESTExceptionMapper, elements in JAXB's alphabetical order (openfire-rest-api.md §4.3). */
const xmlError = (exception: string, message: string, resource: string): string =>
  `${XML}<error><exception>${exception}</exception><message>${message}</message><resource>${resource}</resource></error>`;
const JSON_ACCEPT = { accept: 'application/json' };
const NODE1 = '52a89928-1111-1111-1111-096de07400ac';
const NODE2 = '52a89928-2222-2222-2222-096de07400ac';

/** The two-node cluster of the plugin's backward-compatibility recordings, as `change` adapts it. */
async function seedCluster(change: (cluster: ClusterState) => void = () => {}): Promise<void> {
  const cluster: ClusterState = {
    enabled: true,
    status: 'Senior member',
    nodes: [
      { hostName: 'node1.example.org (198.51.100.1)', nodeID: NODE1, joinedTime: 1644246591517, seniorMember: false },
      { hostName: 'node2.example.org (198.51.100.2)', nodeID: NODE2, joinedTime: 1641256861924, seniorMember: true },
    ],
  };
  change(cluster);
  (await t.ready).edit((draft) => {
    draft.cluster = cluster;
  });
}

describe('GET /clustering/status', () => {
  it('reports Disabled while clustering is off', async () => {
    expect((await t.api('GET', '/clustering/status')).text).toBe(
      `${XML}<clustering><status>Disabled</status></clustering>`,
    );
    expect((await t.api('GET', '/clustering/status', JSON_ACCEPT)).text).toBe('{"status":"Disabled"}');
  });

  it('reports the node status while clustering is on', async () => {
    await seedCluster((cluster) => {
      cluster.status = 'SENIOR AND ONLY MEMBER';
    });
    const xml = await t.api('GET', '/clustering/status');
    expect(xml.status).toBe(200);
    expect(xml.text).toBe(`${XML}<clustering><status>SENIOR AND ONLY MEMBER</status></clustering>`);
    expect((await t.api('GET', '/clustering/status', JSON_ACCEPT)).text).toBe('{"status":"SENIOR AND ONLY MEMBER"}');
  });
});

describe('GET /clustering/nodes', () => {
  it('lists no nodes while clustering is off', async () => {
    expect((await t.api('GET', '/clustering/nodes')).text).toBe(`${XML}<clusterNodes/>`);
    expect((await t.api('GET', '/clustering/nodes', JSON_ACCEPT)).text).toBe('{"clusterNodes":[]}');
  });

  it('lists nodes with alphabetical XML elements and epoch-ms JSON join times', async () => {
    await seedCluster();
    expect((await t.api('GET', '/clustering/nodes')).text).toBe(
      `${XML}<clusterNodes><clusterNode><hostName>node1.example.org (198.51.100.1)</hostName><joinedTime>2022-02-07T15:09:51.517Z</joinedTime>` +
        `<nodeID>${NODE1}</nodeID><seniorMember>false</seniorMember></clusterNode><clusterNode><hostName>node2.example.org (198.51.100.2)</hostName>` +
        `<joinedTime>2022-01-04T00:41:01.924Z</joinedTime><nodeID>${NODE2}</nodeID><seniorMember>true</seniorMember></clusterNode></clusterNodes>`,
    );
    expect((await t.api('GET', '/clustering/nodes', JSON_ACCEPT)).text).toBe(
      `{"clusterNodes":[{"hostName":"node1.example.org (198.51.100.1)","nodeID":"${NODE1}","joinedTime":1644246591517,"seniorMember":false},` +
        `{"hostName":"node2.example.org (198.51.100.2)","nodeID":"${NODE2}","joinedTime":1641256861924,"seniorMember":true}]}`,
    );
  });

  it('leaves out an unknown join time', async () => {
    await seedCluster((cluster) => {
      defined(cluster.nodes[0], 'the first seeded cluster node').joinedTime = null;
    });
    const json = await t.api('GET', '/clustering/nodes', JSON_ACCEPT);
    expect(json.json().clusterNodes[0]).toEqual({
      hostName: 'node1.example.org (198.51.100.1)',
      nodeID: NODE1,
      seniorMember: false,
    });
    expect((await t.api('GET', '/clustering/nodes')).text).toContain(
      `<clusterNode><hostName>node1.example.org (198.51.100.1)</hostName><nodeID>${NODE1}</nodeID>`,
    );
  });
});

describe('GET /clustering/nodes/{nodeId}', () => {
  it('returns one node', async () => {
    await seedCluster();
    expect((await t.api('GET', `/clustering/nodes/${NODE2}`)).text).toBe(
      `${XML}<clusterNode><hostName>node2.example.org (198.51.100.2)</hostName><joinedTime>2022-01-04T00:41:01.924Z</joinedTime>` +
        `<nodeID>${NODE2}</nodeID><seniorMember>true</seniorMember></clusterNode>`,
    );
    expect((await t.api('GET', `/clustering/nodes/${NODE2}`, JSON_ACCEPT)).text).toBe(
      `{"hostName":"node2.example.org (198.51.100.2)","nodeID":"${NODE2}","joinedTime":1641256861924,"seniorMember":true}`,
    );
  });

  it('answers 404 ClusterNodeNotFoundException for an unknown node and while clustering is off', async () => {
    await seedCluster();
    const xml = await t.api('GET', '/clustering/nodes/nope');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe(
      xmlError('ClusterNodeNotFoundException', 'Could not find a cluster node with this NodeID.', 'nope'),
    );
    (await t.ready).edit(({ cluster }) => {
      cluster.enabled = false;
    });
    const json = await t.api('GET', `/clustering/nodes/${NODE1}`, JSON_ACCEPT);
    expect(json.status).toBe(404);
    expect(json.text).toBe(
      `{"resource":"${NODE1}","message":"Could not find a cluster node with this NodeID.","exception":"ClusterNodeNotFoundException"}`,
    );
  });
});
