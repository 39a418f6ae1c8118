import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';

const t = useEmulator();

describe('smoke', () => {
  it('401 without credentials, before routing', async () => {
    const res = await t.api('GET', '/nope', { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
  it('404 for unknown routes with credentials', async () => {
    const res = await t.api('GET', '/nope', { accept: 'application/json' });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ servlet: 'PluginServlet', message: 'Not Found', url: '/plugins/restapi/v1/nope', status: '404' });
  });
  it('405 for a known path with a wrong method', async () => {
    expect((await t.api('PATCH', '/users')).status).toBe(405);
  });
});
