import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Response as PlaywrightResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createTransport } from '../../src/upstream/dispatcher.js';
import { launchChromium } from '../helpers/browser.js';
import { SECRET, useEmulator } from '../helpers/emulator.js';

/**
 * GraphiQL in a real headless Chromium (Debian's `chromium` package) against the gateway on a loopback port, in
 * front of the demo data: it must render and run its opening operation with nothing but 127.0.0.1 reachable.
 */
const emulator = useEmulator();
const transport = emulator.ready.then((e) => createTransport({ origin: e.url }));
let server: Server;
let base: string;
let browser: Browser;
let app: ReturnType<typeof createApp>;

/**
 * The gateway as `npm start` builds it in embedded mode, GraphiQL's headers pre-filled with `secret` and the "Me"
 * tab's with `userToken` (a token is not checked here: the tabs' headers are what is tested).
 */
async function gateway(secret: string, userToken = 'user-token-1'): Promise<ReturnType<typeof createApp>> {
  const upstreamUrl = (await emulator.ready).url;
  const deps: AppDeps = {
    client: createUpstreamClient({ baseUrl: upstreamUrl, dispatcher: await transport, credential: { kind: 'none' } }),
    auth: { kind: 'passthrough' },
    upstreamUrl,
    listThreshold: 20,
    concurrency: 16,
    domain: 'example.org',
    graphiql: { defaultHeaders: { Authorization: secret }, userHeaders: { Authorization: `Bearer ${userToken}` } },
  };
  return createApp(deps);
}

beforeAll(async () => {
  app = await gateway(SECRET);
  // One origin for the whole file (browser storage is per origin); a test may swap the app behind it.
  server = createServer((req, res) => app(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await (await transport).close();
});

/** A fresh browser profile on the GraphiQL page, with only 127.0.0.1 reachable, as on a closed admin network. */
async function open() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const requested: string[] = [];
  const blocked: string[] = [];
  const problems: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.route('**/*', (route) => {
    if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
    blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  await page.goto(`${base}/graphql`);
  await editorShows(page, 'query UsersWithGroupsAndRosters');
  return { context, page, requested, blocked, problems };
}

/** Waits until Monaco has rendered the opening operation in the query editor. */
async function editorShows(page: Page, expected: string): Promise<void> {
  const queryEditor = page.locator('.graphiql-query-editor .view-lines');
  await expect.poll(async () => text((await queryEditor.textContent()) ?? ''), { timeout: 60_000 }).toContain(expected);
}

/** Clicks the execute button and returns GraphiQL's request for the opening operation, once answered. */
async function execute(page: Page): Promise<PlaywrightResponse> {
  const answer = page.waitForResponse(
    (res) =>
      res.url() === `${base}/graphql` &&
      res.request().method() === 'POST' &&
      res.request().postData()?.includes('UsersWithGroupsAndRosters') === true,
  );
  await page.locator('button.graphiql-execute-button').click();
  return answer;
}

describe('GraphiQL in a headless browser', () => {
  it('renders offline, runs the opening operation with the pre-filled credential and shows the emulator’s data', async () => {
    const { context, page, requested, blocked, problems } = await open();
    const response = await execute(page);
    expect(response.status()).toBe(200);
    expect(response.request().headers().authorization).toBe(SECRET);
    // The CSRF prevention header rides along (GET queries would need it).
    expect(response.request().headers()['x-graphql-yoga-csrf']).toBe('graphiql');

    const resultPane = page.locator('.graphiql-response .view-lines');
    await expect
      .poll(async () => text((await resultPane.textContent()) ?? ''), { timeout: 60_000 })
      .toContain('"name": "Jane Doe"');
    const shown = text((await resultPane.textContent()) ?? '');
    expect(shown).toContain('"totalCount": 3');
    expect(shown).toContain('"username": "john"');
    expect(shown).toContain('"jid": "jane@example.org"');
    expect(shown).not.toContain('"errors"');

    // Monaco's language worker came from the gateway too (yoga's own page fetches the workers from a CDN); how
    // often Chromium fetches it is its own business.
    await expect
      .poll(() => requested.some((url) => /\/graphiql\/[0-9a-f]{16}\/graphql\.worker\.js$/.test(url)), {
        timeout: 60_000,
      })
      .toBe(true);
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('runs the LiveSessions subscription over SSE and shows the sessions open now', async () => {
    const { context, page, problems } = await open();
    const login = await fetch(`${(await emulator.ready).url}/__emulator/sessions`, {
      method: 'POST',
      body: JSON.stringify({ username: 'jane', resource: 'graphiql', presenceMessage: 'trying subscriptions' }),
    });
    expect(login.status).toBe(201);
    await page.locator('button.graphiql-tab-button[title="LiveSessions"]').dispatchEvent('click');
    await editorShows(page, 'subscription LiveSessions');
    // GraphiQL sends subscriptions over SSE (yoga's distinct-connection mode), as a GET or a POST.
    const streamed = page.waitForResponse(
      (res) =>
        res.url().startsWith(`${base}/graphql`) &&
        `${res.url()} ${res.request().postData() ?? ''}`.includes('LiveSessions'),
    );
    await page.locator('button.graphiql-execute-button').click();
    expect((await streamed).headers()['content-type']).toContain('text/event-stream');
    const resultPane = page.locator('.graphiql-response .view-lines');
    await expect
      .poll(async () => text((await resultPane.textContent()) ?? ''), { timeout: 60_000 })
      .toContain('"presenceMessage": "trying subscriptions"');
    expect(text((await resultPane.textContent()) ?? '')).toContain('"kind": "STARTED"');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('keeps its tabs over a reload, the stored credentials replaced when they were the previous ones (a restart)', async () => {
    app = await gateway('previous-secret', 'previous-user-token');
    const { context, page } = await open();
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('graphiql:tabState')), { timeout: 60_000 })
      .toContain('previous-secret');

    app = await gateway(SECRET, 'current-user-token');
    await page.reload();
    await editorShows(page, 'query UsersWithGroupsAndRosters');
    expect(await page.locator('.graphiql-tab').allInnerTexts()).toEqual([
      'UsersWithGroupsAndRosters',
      'RoomsWithOwnersAndOccupants',
      'CreateStandup',
      'LiveSessions',
      'Me',
    ]);
    const response = await execute(page);
    expect(response.request().headers().authorization).toBe(SECRET);
    expect(await response.json()).toMatchObject({ data: { users: { totalCount: 3 } } });
    // The "Me" tab holds the token of this start, not the last one's.
    const stored = await page.evaluate(() => localStorage.getItem('graphiql:tabState'));
    expect(stored).toContain('current-user-token');
    expect(stored).not.toContain('previous-user-token');
    await context.close();
  }, 180_000);
});

/** Monaco renders spaces as no-break spaces. */
const text = (s: string): string => s.replace(/\u00a0/g, ' ');
