import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { defined } from '../helpers/defined.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';
import { type Started, startProcess, tryConnect } from '../helpers/process.js';

/** The gateway as a real process in front of a test emulator whose user lookups are slow. */
const t = useEmulator();
const agent = new Agent({ keepAliveTimeout: 60_000 });
afterAll(() => agent.close());

async function gateway(env: Record<string, string> = {}): Promise<{ process: Started; url: string; port: number }> {
  const e = await t.ready;
  const started = await startProcess('src/main.ts', [], /listening on http:\/\/\S+:\d+/, {
    OPENFIRE_URL: e.url,
    OPENFIRE_SECRET: SECRET,
    PORT: '0',
    ...env,
  });
  const [, url, port] = defined(/listening on (http:\/\/\S+:(\d+))/.exec(started.output()), 'the banner');
  return { process: started, url: defined(url, 'the URL'), port: Number(port) };
}

function slowQuery(url: string) {
  return request(`${url}/graphql`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', authorization: SECRET },
    body: JSON.stringify({ query: '{ user(username: "john") { username } }' }),
  });
}

async function inFlightUpstream(): Promise<void> {
  const e = await t.ready;
  await expect.poll(() => e.stats.toJSON().routes['GET /users/{username}'] ?? 0).toBe(1);
}

describe('graceful shutdown', () => {
  it('on SIGTERM refuses new connections, lets the request in flight finish, and exits 0', async () => {
    (await t.ready).faults.add({ route: 'GET /users/{username}', latencyMs: 3_000 });
    const gw = await gateway();
    let answered = false;
    const slow = slowQuery(gw.url).then(async (res) => {
      answered = true;
      return { status: res.statusCode, connection: res.headers.connection, body: (await res.body.json()) as unknown };
    });
    await inFlightUpstream();
    const exited = gw.process.stop('SIGTERM');
    await expect.poll(() => tryConnect(gw.port)).toBe('refused');
    expect(answered).toBe(false);
    // `Connection: close` tells the client not to reuse the connection, which is closed once the answer is out.
    expect(await slow).toEqual({ status: 200, connection: 'close', body: { data: { user: { username: 'john' } } } });
    expect(await exited).toBe(0);
  });

  it('cuts what still runs at SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    (await t.ready).faults.add({ route: 'GET /users/{username}', latencyMs: 10_000 });
    const gw = await gateway({ SHUTDOWN_TIMEOUT_MS: '300' });
    const slow = slowQuery(gw.url).then(
      () => 'answered',
      () => 'cut',
    );
    await inFlightUpstream();
    expect(await gw.process.stop('SIGTERM')).toBe(0);
    expect(await slow).toBe('cut');
    // Cut by the timeout, not finished: the upstream answer (10 s away) had not come when the process said so.
    const records = gw.process
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; requests?: number });
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'requests still running at SHUTDOWN_TIMEOUT_MS were cut', requests: 1 }),
    );
  });
});
