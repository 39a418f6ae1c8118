import { describe, expect, it } from 'vitest';
import { call } from '../helpers/emulator.js';
import { runProcess, startProcess } from '../helpers/process.js';

describe('npm run emulator', () => {
  it('starts with the given port and secret, prints a banner, and stops cleanly on SIGTERM', async () => {
    const proc = await startProcess(
      'src/emulator/main.ts',
      ['--port', '0', '--secret', 'potato', '--control'],
      /listening on (\S+)\/plugins/,
    );
    const base = /listening on (\S+)\/plugins/.exec(proc.output())?.[1] ?? '';
    expect(proc.output()).toContain('credential: Authorization: potato');
    const res = await call(base, 'GET', '/users/admin', { auth: 'potato', accept: 'application/json' });
    expect(res.json()).toEqual({
      username: 'admin',
      name: 'Administrator',
      email: 'admin@example.com',
      properties: [],
    });
    expect((await call(base, 'GET', '//__emulator/stats', { auth: null })).json().total).toBe(1);
    expect(await proc.stop()).toBe(0);
  });

  it('explains a bad flag and exits 2', async () => {
    const result = await runProcess('src/emulator/main.ts', ['--auth', 'oauth']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--auth must be "secret" or "basic"');
    expect(result.stderr).toContain('Usage: npm run emulator');
  });
});
