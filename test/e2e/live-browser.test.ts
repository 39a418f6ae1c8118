import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type OpenedPage, openLoopbackPage } from '../helpers/browser.js';
import { AUDIENCE, jwks, makeKey, sign, startIdentityProvider } from '../helpers/identity-provider.js';
import { type Started, startProcess } from '../helpers/process.js';

/**
 * Live data in a browser: examples/self-service on its own origin shows jane's contacts' presence and a room's
 * occupants as they change, through subscriptions over SSE. The gateway runs as `npm start` in front of an emulator
 * process whose control plane plays the XMPP clients (a login, a presence change, a logout, a join, a leave).
 */
const SECRET = 'live-browser-secret';
const key = await makeKey('RS256', 'live-1');
const idp = await startIdentityProvider(jwks(key));
const janeToken = () => sign(key, { preferred_username: 'jane', roles: [] }, idp.issuer);

let emulator: Started;
let example: Started;
let gateway: Started;
let emulatorUrl: string;
let origin: string;
let graphqlUrl: string;
let browser: Browser;

beforeAll(async () => {
  emulator = await startProcess(
    'src/emulator/main.ts',
    ['--port', '0', '--seed', 'showcase', '--secret', SECRET, '--control'],
    /control plane: .*\n/,
  );
  emulatorUrl = /control plane: (http:\/\/[^/]+)\//.exec(emulator.output())?.[1] ?? '';
  example = await startProcess('examples/self-service/serve.ts', [], /gateway: .*\n/, { EXAMPLE_PORT: '0' });
  origin = /self-service example: (\S+)\//.exec(example.output())?.[1] ?? '';
  gateway = await startProcess('src/main.ts', [], /legacy: .*\n/, {
    PORT: '0',
    OPENFIRE_URL: emulatorUrl,
    OPENFIRE_SECRET: SECRET,
    AUTH_JWT_JWKS_URL: idp.jwksUrl,
    AUTH_JWT_ISSUER: idp.issuer,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    CORS_ORIGINS: origin,
    SUBSCRIPTION_POLL_MS: '100',
  });
  graphqlUrl = /GraphQL: (\S+)/.exec(gateway.output())?.[1] ?? '';
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await example?.stop();
  await emulator?.stop();
});

/** A call to the emulator's control plane, as an XMPP client's action would change Openfire. */
async function control(method: string, path: string, body: unknown): Promise<Response> {
  const res = await fetch(`${emulatorUrl}/__emulator/${path}`, { method, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return res;
}

const open = async (): Promise<OpenedPage> =>
  openLoopbackPage(browser, `${origin}/?gateway=${encodeURIComponent(graphqlUrl)}#token=${await janeToken()}`);

const presenceOf = (page: Page, username: string) =>
  page.locator(`#contacts .presence[data-username="${username}"]`).textContent();

describe('live data in the self-service example, in a browser on another origin', () => {
  it("shows a contact's presence as they log in, change it and log out", async () => {
    const { page, problems, close } = await open();
    // The showcase data has John on his phone, away.
    await expect.poll(() => presenceOf(page, 'john')).toBe('away');
    await control('DELETE', `sessions/${encodeURIComponent('john@example.org/phone')}`, undefined);
    await expect.poll(() => presenceOf(page, 'john')).toBe('offline');

    const login = await control('POST', 'sessions', { username: 'john', resource: 'desk' });
    const { sessionId } = (await login.json()) as { sessionId: string };
    await expect.poll(() => presenceOf(page, 'john')).toBe('online');

    await control('PATCH', `sessions/${encodeURIComponent(sessionId)}`, {
      presenceStatus: 'Do Not Disturb',
      presenceMessage: 'in a meeting',
    });
    await expect.poll(() => presenceOf(page, 'john')).toBe('do not disturb: in a meeting');

    await control('DELETE', `sessions/${encodeURIComponent(sessionId)}`, undefined);
    await expect.poll(() => presenceOf(page, 'john')).toBe('offline');
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('lists who is in a public room as people join and leave', async () => {
    const { page, problems, close } = await open();
    await expect.poll(() => page.locator('#account').isVisible()).toBe(true);
    await page.locator('#room').fill('lobby');
    await page.getByRole('button', { name: 'Watch room' }).click();
    const occupants = () => page.locator('#occupants li').allTextContents();
    // John left with his phone's session in the test before; jane and alice are still there.
    await expect.poll(occupants).toEqual(['jane (moderator)', 'alice (visitor)']);

    await control('POST', 'occupants', { room: 'lobby', jid: 'bob@example.org/web', nickname: 'bob' });
    await expect.poll(occupants).toEqual(['jane (moderator)', 'alice (visitor)', 'bob (participant)']);
    await control('DELETE', 'occupants', { room: 'lobby', nickname: 'alice' });
    await expect.poll(occupants).toEqual(['jane (moderator)', 'bob (participant)']);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);
});
