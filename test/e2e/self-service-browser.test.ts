import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type OpenedPage, openLoopbackPage } from '../helpers/browser.js';
import { AUDIENCE, jwks, makeKey, sign, startIdentityProvider } from '../helpers/identity-provider.js';
import { type Started, startProcess } from '../helpers/process.js';

/**
 * examples/self-service in headless Chromium: the page served by `npm run example:self-service` on its own origin,
 * the gateway started as `npm start` is with a JWKS over real HTTP and `CORS_ORIGINS` naming the page's origin.
 * The user signs in with a token, sees their profile and contacts, adds and removes a contact, is sent back to
 * sign in when the token has expired, and cannot read another user's roster from the browser.
 */
const key = await makeKey('RS256', 'frontend-1');
const idp = await startIdentityProvider(jwks(key));
const token = (username: string, options: { roles?: string[]; expiresIn?: number } = {}) =>
  sign(key, { preferred_username: username, roles: options.roles ?? [] }, idp.issuer, {
    expiresIn: options.expiresIn,
  });

let example: Started;
let gateway: Started;
let origin: string;
let graphqlUrl: string;
let browser: Browser;

beforeAll(async () => {
  example = await startProcess('examples/self-service/serve.ts', [], /gateway: .*\n/, { EXAMPLE_PORT: '0' });
  origin = /self-service example: (\S+)\//.exec(example.output())?.[1] ?? '';
  gateway = await startProcess('src/main.ts', [], /legacy: .*\n/, {
    PORT: '0',
    OPENFIRE_SECRET: 'self-service-secret',
    AUTH_JWT_JWKS_URL: idp.jwksUrl,
    AUTH_JWT_ISSUER: idp.issuer,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    CORS_ORIGINS: origin,
  });
  graphqlUrl = /GraphQL: (\S+)/.exec(gateway.output())?.[1] ?? '';
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await example?.stop();
});

/** The roster of a user as an administrator sees it (an admin-role token, from Node, not the browser). */
async function rosterOf(username: string): Promise<string[]> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await token('ops', { roles: ['openfire-admin'] })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query: `{ user(username: "${username}") { roster { jid } } }` }),
  });
  const body = (await res.json()) as { data: { user: { roster: Array<{ jid: string }> } } };
  return body.data.user.roster.map((item) => item.jid);
}

/** The example page in a fresh browser profile, told where the gateway is; only 127.0.0.1 is reachable. */
const open = async (): Promise<OpenedPage> =>
  openLoopbackPage(browser, `${origin}/?gateway=${encodeURIComponent(graphqlUrl)}`);

async function signIn(page: Page, value: string): Promise<void> {
  await page.locator('#token').fill(value);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const contacts = (page: Page) => page.locator('#contacts li .contact');

describe('the self-service example in a browser, on another origin than the gateway', () => {
  it('signs in with a token, shows the profile and contacts, adds and removes a contact', async () => {
    expect(new URL(origin).port).not.toBe(new URL(graphqlUrl).port);
    const { page, problems, close } = await open();
    await expect.poll(() => page.locator('#sign-in').isVisible()).toBe(true);
    await signIn(page, await token('jane'));

    await expect.poll(() => page.locator('#name').textContent()).toBe('Jane Doe');
    expect(await page.locator('#email').textContent()).toBe('jane.doe@example.com');
    expect(await contacts(page).allTextContents()).toEqual([
      'John · john@example.org',
      'Alice Liddell · alice@example.org',
    ]);

    await page.locator('#contact-jid').fill('bob@example.org');
    await page.locator('#contact-nickname').fill('Bob');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await expect.poll(() => contacts(page).allTextContents()).toContain('Bob · bob@example.org');
    expect(await rosterOf('jane')).toContain('bob@example.org');

    await page.getByRole('button', { name: 'Remove bob@example.org' }).click();
    await expect.poll(() => contacts(page).allTextContents()).not.toContain('Bob · bob@example.org');
    expect(await page.locator('#notice').textContent()).toBe('bob@example.org was removed.');
    expect(await rosterOf('jane')).not.toContain('bob@example.org');
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('sends the user back to sign in when the token has expired', async () => {
    const { page, close } = await open();
    // Expired a minute ago: beyond the 30 s of clock tolerance.
    await signIn(page, await token('jane', { expiresIn: -60 }));
    await expect
      .poll(() => page.locator('#notice').textContent())
      .toBe('Your session has expired. Please sign in again.');
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    expect(await page.locator('#account').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await close();
  }, 120_000);

  it("gives a user's token nothing of another user's roster, asked from the page's origin", async () => {
    const { page, close } = await open();
    const bearer = `Bearer ${await token('jane')}`;
    const ask = (query: string) =>
      page.evaluate(
        async ({ url, authorization, query }) => {
          const res = await fetch(url, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
          });
          return { status: res.status, body: await res.json() };
        },
        { url: graphqlUrl, authorization: bearer, query },
      );
    const direct = await ask('{ user(username: "john") { roster { jid } } }');
    expect(direct.body).toEqual({
      data: { user: null },
      errors: [expect.objectContaining({ message: 'Query.user is not open to end users.' })],
    });
    const related = await ask('{ me { roster { jid user { roster { jid } } } } }');
    expect(related.body.data.me.roster).toEqual([
      { jid: 'john@example.org', user: null },
      { jid: 'alice@example.org', user: null },
    ]);
    expect(related.body.errors.map((e: { message: string }) => e.message)).toEqual([
      'User.roster is not open to end users.',
      'User.roster is not open to end users.',
    ]);
    await close();
  }, 120_000);
});
