import { expect, it } from 'vitest';
import type { Snapshot } from '../../../src/emulator/store.js';
import { defined } from '../../helpers/defined.js';
import { setHealth } from '../../helpers/emulator.js';
import { badRequest, rejects } from './assertions.js';
import type { Contract } from './target.js';

type Check =
  | 'GET /system/liveness'
  | 'GET /system/liveness/deadlock'
  | 'GET /system/liveness/properties'
  | 'GET /system/readiness'
  | 'GET /system/readiness/server'
  | 'GET /system/readiness/cluster'
  | 'GET /system/readiness/plugins';

/** Each check without parameters, and how to make it fail on the emulator. */
const CHECKS: ReadonlyArray<readonly [Check, (draft: Snapshot) => void]> = [
  [
    'GET /system/liveness',
    ({ health }) => {
      health.deadlock = true;
    },
  ],
  [
    'GET /system/liveness/deadlock',
    ({ health }) => {
      health.deadlock = true;
    },
  ],
  [
    'GET /system/liveness/properties',
    ({ health }) => {
      health.restartRequired = true;
    },
  ],
  [
    'GET /system/readiness',
    ({ health }) => {
      health.pluginsLoaded = false;
    },
  ],
  [
    'GET /system/readiness/server',
    ({ health }) => {
      health.serverStarted = false;
    },
  ],
  [
    'GET /system/readiness/cluster',
    ({ cluster, health }) => {
      cluster.enabled = true;
      health.clusterStarted = false;
    },
  ],
  [
    'GET /system/readiness/plugins',
    ({ health }) => {
      health.pluginsLoaded = false;
    },
  ],
];

/** openfire-rest-api.md §5.10 liveness and readiness: no auth, the answer is the status code (200 true, 503 false). */
export function healthCases({ client, target, cases }: Contract): void {
  /** A real server is checked for the type only: whether it is healthy is not the suite's business. */
  const expectHealthy = (answer: boolean) => expect(answer).toEqual(target.emulator ? true : expect.any(Boolean));

  for (const [route, fail] of CHECKS) {
    cases(route, () => {
      it('answers true while healthy', async () => {
        expectHealthy(await client.call(route, {}));
      });

      it.runIf(target.embedded)('answers false while the check fails', async () => {
        defined(target.emulator, 'the embedded emulator').edit(fail);
        expect(await client.call(route, {})).toBe(false);
      });
    });
  }

  cases('GET /system/readiness/connections', () => {
    const query = { connectionType: 'SOCKET_C2S', encrypted: false };

    it('answers true while the listener is ready', async () => {
      expectHealthy(await client.call('GET /system/readiness/connections', { query }));
    });

    it.runIf(target.embedded)('answers false while the listener is not ready', async () => {
      setHealth(defined(target.emulator, 'the embedded emulator'), { connectionsNotReady: ['SOCKET_C2S:plain'] });
      expect(await client.call('GET /system/readiness/connections', { query })).toBe(false);
    });

    it('fails with BAD_REQUEST for a connection type without the encrypted flag', async () => {
      await rejects(
        client.call('GET /system/readiness/connections', { query: { connectionType: 'SOCKET_C2S' } }),
        badRequest(null),
      );
    });
  });
}
