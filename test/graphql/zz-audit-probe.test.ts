import { it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { useGateway } from '../helpers/gateway.js';
import { createApp } from '../../src/app.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { Agent } from 'undici';
const app = createApp({ client: createUpstreamClient({ baseUrl: 'http://127.0.0.1:1', dispatcher: new Agent(), credential: { kind: 'none' } }), auth: { kind: 'passthrough' }, upstreamUrl: 'http://127.0.0.1:1', listThreshold: 20, concurrency: 4 });
it('probe', async () => {
  const fetchFn = (input: any, init: any = {}) => { const h = new Headers(init.headers); h.set('authorization', 'x'); return app.fetch(input, { ...init, headers: h }); };
  for (const audit of serverAudits({ url: 'http://gateway/graphql', fetchFn })) {
    const r = await audit.fn();
    console.log(r.status, audit.id, audit.name, r.status !== 'ok' ? (r as any).reason : '');
  }
});
