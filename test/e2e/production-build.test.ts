import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../helpers/process.js';

describe('the production build', () => {
  it('compiles (npm run build) and runs as plain JavaScript, writing its buffered log lines on exit', async () => {
    // Its own output directory (git-ignored), so a build here never races `npm run build` or the bench over dist/.
    const out = '.build-test';
    rmSync(out, { recursive: true, force: true });
    const tsc = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', out],
      { encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    try {
      const proc = await startProcess(`${out}/main.js`, [], /health: (\S+)\n/, {
        PORT: '0',
        OPENFIRE_SECRET: 'build-secret',
        LOG_LEVEL: 'info',
      });
      const graphql = `${/GraphQL: (\S+)/.exec(proc.output())?.[1]}`;
      const res = await fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'build-secret', 'x-request-id': 'build-1' },
        body: JSON.stringify({ query: '{ user(username: "john") { name } }' }),
      });
      expect(await res.json()).toEqual({ data: { user: { name: 'John Doe' } } });
      expect(await proc.stop()).toBe(0);
      const lines = proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; requestId?: string; upstreamCalls?: number });
      expect(lines.find((l) => l.msg === 'request' && l.requestId === 'build-1')).toMatchObject({ upstreamCalls: 1 });
      expect(lines.at(-1)?.msg).toBe('stopped');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
