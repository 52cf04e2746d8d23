import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * The app listening on loopback, and a browser to visit it with: what every browser test starts
 * with (one browser per test file). `base` is the app's origin.
 */
export async function listenWithBrowser(app: FastifyInstance): Promise<{ base: string; browser: Browser }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { base, browser: await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }) };
}

/**
 * A page in a phone-sized viewport, by default 360 px wide with JavaScript off: how a reader on
 * a bad connection sees it.
 */
export async function openOnPhone(browser: Browser, url: string, { width = 360, javaScript = false } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width, height: 740 } });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/**
 * A page `width` px wide with JavaScript on, for tools that run in the page (axe-core): a
 * reader without JavaScript is played by blocking the page's one script, public/page.js.
 */
export async function openWithScript(
  browser: Browser,
  url: string,
  { width = 390, pageScript = true, colorScheme = 'light' as 'light' | 'dark' } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 740 }, colorScheme });
  if (!pageScript) await context.route('**/page.js*', (route) => route.abort());
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** How far the page sticks out sideways: above 0, a reader on a small phone must scroll. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** What axe-core reports of one rule the page breaks. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

const require = createRequire(import.meta.url);

/**
 * The WCAG 2.1 A and AA rules axe-core finds broken on the page as it is now. axe is evaluated
 * through the browser's debugging protocol, so it runs beside the page's own content security
 * policy and with the page's JavaScript off too.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate<AxeViolation[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`);
}

/**
 * What a reader `width` px wide meets on the page, with or without its script: how far it
 * sticks out sideways, and the axe-core violations.
 */
export async function auditPage(browser: Browser, url: string, options: { width: number; pageScript: boolean; colorScheme?: 'light' | 'dark' }) {
  const page = await openWithScript(browser, url, options);
  try {
    return { overflow: await horizontalOverflow(page), violations: await accessibilityViolations(page) };
  } finally {
    await page.context().close();
  }
}

/** Where the README's screenshots live. */
const SCREENSHOTS = new URL('../../docs/', import.meta.url);

/**
 * A PNG of the whole page as it is now. With `UPDATE_SCREENSHOTS=1` it is also written to
 * `docs/<name>` for the README; otherwise the test only sees that it renders.
 */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: true, animations: 'disabled' });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(new URL(name, SCREENSHOTS), png);
  }
  return png;
}
