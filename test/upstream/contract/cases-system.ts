import { expect, it } from 'vitest';
import type { ClusterNode } from '../../../src/upstream/model.js';
import { expectEach, notFound, nullable, rejects } from './assertions.js';
import { STAMP, sessionFor } from './fixtures.js';
import type { Contract } from './target.js';

const NODES: ClusterNode[] = [
  { hostName: 'node1.example.org (198.51.100.1)', nodeID: 'a1b2c3d4-0001', joinedTime: STAMP, seniorMember: true },
  { hostName: 'node2.example.org (198.51.100.2)', nodeID: 'a1b2c3d4-0002', joinedTime: null, seniorMember: false },
];

const NODE_SHAPE = {
  hostName: expect.any(String),
  nodeID: expect.any(String),
  joinedTime: nullable(Number),
  seniorMember: expect.any(Boolean),
};

/** openfire-rest-api.md §5.10 system properties and statistics, openfire-rest-api.md §5.11 clustering. */
export function systemCases({ client, target, fx, cases }: Contract): void {
  const propertyOf = (propertyKey: string) =>
    client.call('GET /system/properties/{propertyKey}', { path: { propertyKey } });
  const missingProperty = (key: string) => notFound('PropertyNotFoundException', key);
  /** A two-node cluster on the emulator; a real server's cluster is whatever it is. */
  const clustered = (): ClusterNode[] | null => {
    if (!target.emulator) return null;
    target.emulator.edit((draft) => {
      draft.cluster = { enabled: true, status: 'Senior member', nodes: NODES };
    });
    return NODES;
  };

  cases('GET /system/properties', () => {
    it('lists every property sorted by key, one just set among them', async () => {
      const property = await fx.property();
      const properties = await client.call('GET /system/properties', {});
      expect(properties).toContainEqual(property);
      const keys = properties.map((p) => p.key);
      expect(keys).toEqual([...keys].sort());
    });
  });

  cases('GET /system/properties/{propertyKey}', () => {
    it('returns the key and value', async () => {
      const property = await fx.property('forty-two');
      expect(await propertyOf(property.key)).toEqual(property);
    });

    it('fails with NOT_FOUND PropertyNotFoundException for an unknown key', async () => {
      const key = fx.name('noprop');
      await rejects(propertyOf(key), missingProperty(key));
    });
  });

  cases('POST /system/properties', () => {
    it('sets a property that reads back', async () => {
      const body = { key: fx.fresh('property'), value: 'on' };
      expect(await client.call('POST /system/properties', { body })).toBeUndefined();
      expect(await propertyOf(body.key)).toEqual(body);
    });
  });

  cases('PUT /system/properties/{propertyKey}', () => {
    it('changes the value', async () => {
      const { key } = await fx.property();
      const call = client.call('PUT /system/properties/{propertyKey}', {
        path: { propertyKey: key },
        body: { key, value: 'off' },
      });
      expect(await call).toBeUndefined();
      expect(await propertyOf(key)).toEqual({ key, value: 'off' });
    });

    it('fails with NOT_FOUND PropertyNotFoundException for an unknown key', async () => {
      const key = fx.fresh('property');
      await rejects(
        client.call('PUT /system/properties/{propertyKey}', { path: { propertyKey: key }, body: { key, value: 'x' } }),
        missingProperty(key),
      );
    });
  });

  cases('DELETE /system/properties/{propertyKey}', () => {
    it('deletes the property, which then is not found', async () => {
      const { key } = await fx.property();
      expect(
        await client.call('DELETE /system/properties/{propertyKey}', { path: { propertyKey: key } }),
      ).toBeUndefined();
      await rejects(propertyOf(key), missingProperty(key));
    });

    it('fails with NOT_FOUND PropertyNotFoundException for an unknown key', async () => {
      const key = fx.name('noprop');
      await rejects(
        client.call('DELETE /system/properties/{propertyKey}', { path: { propertyKey: key } }),
        missingProperty(key),
      );
    });
  });

  cases('GET /system/statistics/sessions', () => {
    it('counts the local and the cluster-wide client sessions', async () => {
      const { emulator } = target;
      if (emulator) {
        const { username } = await fx.user();
        const remote = sessionFor(target, username, 'phone', { node: 'Remote' });
        emulator.edit((draft) => {
          draft.sessions = [sessionFor(target, username, 'desk'), remote];
        });
      }
      const counts = await client.call('GET /system/statistics/sessions', {});
      if (emulator) expect(counts).toEqual({ localSessions: 1, clusterSessions: 2 });
      else expect(counts).toEqual({ localSessions: expect.any(Number), clusterSessions: expect.any(Number) });
    });
  });

  cases('GET /clustering/status', () => {
    it('reports the status of this node', async () => {
      const nodes = clustered();
      expect(await client.call('GET /clustering/status', {})).toEqual(nodes ? 'Senior member' : expect.any(String));
    });
  });

  cases('GET /clustering/nodes', () => {
    it('lists the nodes with their join time', async () => {
      const nodes = clustered();
      const listed = await client.call('GET /clustering/nodes', {});
      if (nodes) expect(listed).toEqual(nodes);
      else expectEach(listed, NODE_SHAPE);
    });
  });

  cases('GET /clustering/nodes/{nodeId}', () => {
    it('returns one node', async () => {
      const [first] = clustered() ?? (await client.call('GET /clustering/nodes', {}));
      // A real server outside a cluster has no node to fetch; the error case below still calls the route.
      if (first)
        expect(await client.call('GET /clustering/nodes/{nodeId}', { path: { nodeId: first.nodeID } })).toEqual(first);
    });

    it('fails with NOT_FOUND ClusterNodeNotFoundException for an unknown node', async () => {
      const nodeId = fx.name('nonode');
      await rejects(
        client.call('GET /clustering/nodes/{nodeId}', { path: { nodeId } }),
        notFound('ClusterNodeNotFoundException', nodeId),
      );
    });
  });
}
