import { expect, it } from 'vitest';
import { SECRET } from '../helpers/emulator.js';
import { eventually } from '../helpers/live-clients.js';
import { startLiveGateway } from '../helpers/live-gateway.js';

const gw = await startLiveGateway();
it('bridge return timing', async () => {
  const stream = await gw.app.run(
    { query: 'subscription { sessionCounts { local } }' },
    { transport: 'ws', authorization: SECRET, headers: new Headers(), client: '127.0.0.1' },
  );
  console.log(JSON.stringify(await stream.next()));
  const t = performance.now();
  await stream.return();
  console.log('return took', performance.now() - t);
  await eventually(() => gw.app.live.size.pollers === 0);
  console.log('pollers 0 after', performance.now() - t);
  expect(1).toBe(1);
});
