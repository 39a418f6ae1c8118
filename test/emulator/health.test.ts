import { describe, expect, it } from 'vitest';
import type { HealthState } from '../../src/emulator/store.js';
import { setHealth, useEmulator } from '../helpers/emulator.js';

const t = useEmulator();

async function health(changes: Partial<HealthState>): Promise<void> {
  setHealth(await t.ready, changes);
}

/** Health endpoints need no credentials (openfire-rest-api.md §3 step 2), so every call here goes without them. */
const probe = (path: string, accept?: string) => t.api('GET', `/system/${path}`, { auth: null, accept });

async function statuses(...paths: string[]): Promise<number[]> {
  return Promise.all(paths.map(async (path) => (await probe(path)).status));
}

describe('liveness', () => {
  it('answers an empty 200 without credentials when nothing is wrong', async () => {
    for (const path of ['liveness', 'liveness/deadlock', 'liveness/properties']) {
      const res = await probe(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
  });

  it('answers 503 for a deadlock, from liveness and liveness/deadlock only', async () => {
    await health({ deadlock: true });
    expect(await statuses('liveness', 'liveness/deadlock', 'liveness/properties')).toEqual([503, 503, 200]);
  });

  it('answers 503 for a property requiring a restart, from liveness and liveness/properties only', async () => {
    await health({ restartRequired: true });
    expect(await statuses('liveness', 'liveness/deadlock', 'liveness/properties')).toEqual([503, 200, 503]);
  });

  it('renders a 503 as a container page, not an error entity', async () => {
    await health({ deadlock: true });
    const json = await probe('liveness', 'application/json');
    expect(json.json()).toEqual({
      servlet: 'PluginServlet',
      message: 'Service Unavailable',
      url: '/plugins/restapi/v1/system/liveness',
      status: '503',
    });
    expect((await probe('liveness')).text).toContain('<h2>HTTP ERROR 503 Service Unavailable</h2>');
  });
});

describe('readiness', () => {
  it('answers an empty 200 for every check of a started server', async () => {
    const paths = ['readiness', 'readiness/server', 'readiness/cluster', 'readiness/plugins', 'readiness/connections'];
    expect(await statuses(...paths)).toEqual([200, 200, 200, 200, 200]);
    expect((await probe('readiness')).text).toBe('');
  });

  it('answers 503 from readiness and readiness/server while the server is not started', async () => {
    await health({ serverStarted: false });
    expect(await statuses('readiness', 'readiness/server', 'readiness/plugins')).toEqual([503, 503, 200]);
  });

  it('answers 503 from readiness and readiness/plugins while plugins load', async () => {
    await health({ pluginsLoaded: false });
    expect(await statuses('readiness', 'readiness/plugins', 'readiness/server')).toEqual([503, 503, 200]);
  });

  it('ignores an unstarted cluster while clustering is disabled', async () => {
    await health({ clusterStarted: false });
    expect(await statuses('readiness', 'readiness/cluster')).toEqual([200, 200]);
    (await t.ready).edit(({ cluster }) => {
      cluster.enabled = true;
    });
    expect(await statuses('readiness', 'readiness/cluster')).toEqual([503, 503]);
  });
});

describe('readiness/connections', () => {
  it('checks one listener mode when type and encrypted are given', async () => {
    await health({ connectionsNotReady: ['SOCKET_C2S:encrypted'] });
    expect(await statuses('readiness/connections?connectionType=SOCKET_C2S&encrypted=true')).toEqual([503]);
    expect(await statuses('readiness/connections?connectionType=SOCKET_C2S&encrypted=false')).toEqual([200]);
    expect(await statuses('readiness/connections?connectionType=BOSH_C2S&encrypted=true')).toEqual([200]);
  });

  it('checks every listener when no type is given, and so does readiness', async () => {
    await health({ connectionsNotReady: ['COMPONENT:plain'] });
    expect(await statuses('readiness/connections', 'readiness')).toEqual([503, 503]);
  });

  it('treats a listener named without mode as not ready in both modes', async () => {
    await health({ connectionsNotReady: ['BOSH_C2S'] });
    expect(await statuses('readiness/connections?connectionType=BOSH_C2S&encrypted=TRUE')).toEqual([503]);
    expect(await statuses('readiness/connections?connectionType=BOSH_C2S&encrypted=no')).toEqual([503]);
  });

  it('always reports WEBADMIN and SOCKET_S2S as ready', async () => {
    await health({ connectionsNotReady: ['WEBADMIN', 'SOCKET_S2S'] });
    expect(
      await statuses(
        'readiness/connections?connectionType=WEBADMIN&encrypted=true',
        'readiness/connections?connectionType=SOCKET_S2S&encrypted=false',
        'readiness/connections',
        'readiness',
      ),
    ).toEqual([200, 200, 200, 200]);
  });

  it('answers 400 for an unknown or differently cased type and for a type without encrypted', async () => {
    const paths = [
      'readiness/connections?connectionType=socket_c2s&encrypted=true',
      'readiness/connections?connectionType=NOPE&encrypted=false',
      'readiness/connections?connectionType=SOCKET_C2S',
    ];
    expect(await statuses(...paths)).toEqual([400, 400, 400]);
    const json = await probe('readiness/connections?connectionType=SOCKET_C2S', 'application/json');
    expect(json.json()).toMatchObject({ message: 'Bad Request', status: '400' });
  });
});
