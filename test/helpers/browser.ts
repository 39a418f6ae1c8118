import { type Browser, chromium, type Page } from 'playwright-core';

/** Headless Chromium from Debian's `chromium` package, quiet: no background traffic beyond what a test asks for. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}

export interface OpenedPage {
  readonly page: Page;
  /** Uncaught errors of the page's scripts. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** A page at `url` in a fresh browser profile, with only 127.0.0.1 reachable, as on a closed network. */
export async function openLoopbackPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient'),
  );
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}
