import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, and no calls home on a closed network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * Whether browser tests can run. Without Chromium they are skipped, and say so; on CI (which
 * installs it) a missing browser is a failure, never a silent skip.
 */
export function chromiumAvailable(): boolean {
  const present = existsSync(CHROMIUM_PATH);
  if (!present && process.env.CI) throw new Error(`CI must run the browser tests, but ${CHROMIUM_PATH} is missing`);
  if (!present) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  return present;
}

/** A page in a phone-sized viewport with JavaScript off: how a reader on a bad connection sees it. */
export async function openOnPhone(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** How far the page sticks out sideways: above 0, a reader on a small phone must scroll. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
