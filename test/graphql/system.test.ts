import { describe, expect, it } from 'vitest';
import { setHealth } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway();

const allChecks =
  '{ health { liveness readiness checks { noDeadlock noRestartRequired serverStarted clusterReady pluginsLoaded connectionsReady } } }';

describe('health', () => {
  it('reports a healthy server, one upstream call per check', async () => {
    const res = await g.gql(allChecks);
    expect(res.body).toEqual({
      data: {
        health: {
          liveness: true,
          readiness: true,
          checks: {
            noDeadlock: true,
            noRestartRequired: true,
            serverStarted: true,
            clusterReady: true,
            pluginsLoaded: true,
            connectionsReady: true,
          },
        },
      },
    });
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /system/liveness': 1,
      'GET /system/liveness/deadlock': 1,
      'GET /system/liveness/properties': 1,
      'GET /system/readiness': 1,
      'GET /system/readiness/server': 1,
      'GET /system/readiness/cluster': 1,
      'GET /system/readiness/plugins': 1,
      'GET /system/readiness/connections': 1,
    });
  });

  it('calls only the checks asked for, once however often they are asked', async () => {
    const res = await g.gql('{ a: health { liveness } b: health { liveness checks { noDeadlock } } }');
    expect(res.body.data).toEqual({ a: { liveness: true }, b: { liveness: true, checks: { noDeadlock: true } } });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /system/liveness': 1, 'GET /system/liveness/deadlock': 1 });
  });

  it('reports a deadlock as not alive while staying ready', async () => {
    setHealth(await g.ready, { deadlock: true });
    const res = await g.gql('{ health { liveness readiness checks { noDeadlock noRestartRequired } } }');
    expect(res.body.data.health).toEqual({
      liveness: false,
      readiness: true,
      checks: { noDeadlock: false, noRestartRequired: true },
    });
  });

  it('reports a property waiting for a restart as not alive', async () => {
    setHealth(await g.ready, { restartRequired: true });
    const res = await g.gql('{ health { liveness checks { noDeadlock noRestartRequired } } }');
    expect(res.body.data.health).toEqual({ liveness: false, checks: { noDeadlock: true, noRestartRequired: false } });
  });

  it('reports a server not started, a cluster starting and plugins loading as not ready', async () => {
    const emulator = await g.ready;
    setHealth(emulator, { serverStarted: false, clusterStarted: false, pluginsLoaded: false });
    emulator.edit(({ cluster }) => {
      cluster.enabled = true;
    });
    const res = await g.gql('{ health { liveness readiness checks { serverStarted clusterReady pluginsLoaded } } }');
    expect(res.body.data.health).toEqual({
      liveness: true,
      readiness: false,
      checks: { serverStarted: false, clusterReady: false, pluginsLoaded: false },
    });
  });

  it('checks connection listeners all together or by type and mode', async () => {
    setHealth(await g.ready, { connectionsNotReady: ['SOCKET_C2S:plain'] });
    const res = await g.gql(`{ health { readiness checks {
      all: connectionsReady
      c2sPlain: connectionsReady(connectionType: SOCKET_C2S, encrypted: false)
      c2sTls: connectionsReady(connectionType: SOCKET_C2S, encrypted: true)
      bosh: connectionsReady(connectionType: BOSH_C2S, encrypted: false)
    } } }`);
    expect(res.body.data.health).toEqual({
      readiness: false,
      checks: { all: false, c2sPlain: false, c2sTls: true, bosh: true },
    });
    expect((await g.upstreamCalls()).routes['GET /system/readiness/connections']).toBe(4);
  });

  it.each([
    ['a type without encryption', 'connectionType: SOCKET_C2S'],
    ['an encryption without a type', 'encrypted: true'],
  ])('rejects %s before calling Openfire', async (_what, args) => {
    const res = await g.gql(`{ health { checks { connectionsReady(${args}) } } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
