import { describe, expect, it } from 'vitest';
import { offlineApp } from './helpers/gateway.js';

describe('the app', () => {
  it('answers /healthz and 404 elsewhere', async () => {
    const app = offlineApp();
    const health = await app.fetch('http://gateway/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', upstream: 'http://127.0.0.1:1' });
    expect((await app.fetch('http://gateway/nothing')).status).toBe(404);
  });
});
