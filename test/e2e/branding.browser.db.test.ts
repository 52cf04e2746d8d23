import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../../src/modules/incidents/index.js';
import { systemContext } from '../../src/modules/context.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { contrastRatio, type Rgb } from '../../src/domain/contrast.js';
import { auditScreen, consolePhone, signInWithForm } from '../helpers/console-browser.js';
import { auditPage, chromiumAvailable, listenWithBrowser, openWithScript, screenshot } from '../helpers/browser.js';
import { makeComponent, makeUser, type TestUser } from '../helpers/factories.js';

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="7" fill="#f5c02e"/><path d="M16 2v5M16 25v5M2 16h5M25 16h5M6 6l4 4M22 22l4 4M6 26l4-4M22 10l4-4" stroke="#f5c02e" stroke-width="2.5" stroke-linecap="round"/></svg>';

/**
 * A stylesheet that tries everything it can to hide or blank the overall status: hide every
 * element, blank text and backgrounds, shrink, clip, move away, cover, and claim the guard
 * layer for itself; and to load from another origin.
 */
const HOSTILE_CSS = `@import url("https://evil.example/steal.css");
* { display: none !important; visibility: hidden !important; opacity: 0 !important; color: transparent !important; background: transparent !important }
html, body, main { height: 0 !important; overflow: hidden !important; transform: scale(0) !important; filter: opacity(0) !important; font-size: 0 !important }
.status-banner { clip-path: inset(50%) !important; position: absolute !important; left: -9999px !important; z-index: -1 !important }
.status-banner h1 { -webkit-text-fill-color: transparent !important; text-indent: -9999px !important; font-size: 0 !important; color: #fff !important }
:root { --bb: #ffffff !important }
@layer guard { .status-banner { display: none !important; color: #fff !important; background: #fff !important } }
body::after { content: ""; display: block !important; visibility: visible !important; opacity: 1 !important; position: fixed; inset: 0; background: #fff !important; z-index: 2147483646 }
body { background-image: url("https://evil.example/pixel.png") !important }`;

interface DOMRectLike {
  left: number;
  top: number;
  width: number;
  height: number;
}

const rgb = (css: string): Rgb => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number) as unknown as Rgb;

describe.skipIf(!chromiumAvailable())('the branded page in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let owner: TestUser;

  const patchSettings = async (payload: object) => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/admin/settings', headers: owner.auth, payload });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await makeUser(t.app, 'owner');
    const ctx = { ...systemContext(t.app), actor: owner.actor };
    // An open incident of every impact: each impact badge is on the page.
    for (const impact of ['none', 'minor', 'major', 'critical'] as const) {
      const component = await makeComponent(t.app, owner.actor, { name: `Service ${impact}` });
      await createIncident(ctx, {
        title: `Incident of ${impact} impact`,
        severity: 'P2',
        status: 'investigating',
        message: 'Looking into it.',
        impactOverride: impact,
        componentStatuses: { [component.id]: 'degraded_performance' },
      });
    }
    ({ base, browser } = await listenWithBrowser(t.app));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['light', 'dark'] as const)('passes axe-core with a badge of every impact, %s theme', async (colorScheme) => {
    for (const path of ['/', '/history']) {
      expect(await auditPage(browser, `${base}${path}`, { width: 390, pageScript: true, colorScheme }), path).toEqual({ overflow: 0, violations: [] });
    }
  }, 60_000);

  it.each(['light', 'dark'] as const)('passes axe-core with a logo, an accent colour and footer links, %s theme', async (colorScheme) => {
    await patchSettings({
      pageName: 'Acme Status',
      logo: { contentType: 'image/svg+xml', data: Buffer.from(LOGO).toString('base64') },
      // A pale accent: the links get a readable shade of it in each theme.
      accentColour: '#a371f7',
      supportUrl: 'mailto:support@example.test',
      footerLinks: [{ label: 'Acme', url: 'https://acme.example/' }],
    });
    expect(await auditPage(browser, `${base}/`, { width: 390, pageScript: true, colorScheme })).toEqual({ overflow: 0, violations: [] });
  }, 60_000);

  it('leaves the layout be without custom CSS: on a desk the page keeps its 760 px column', async () => {
    const page = await openWithScript(browser, `${base}/`, { width: 1200 });
    expect(await page.evaluate<number[]>('[".wrap", ".status-banner"].map((s) => document.querySelector(s).getBoundingClientRect().width)')).toEqual([760, 728]);
    await page.context().close();
  });

  it('shows the page in the dark theme (docs/dark-mode.png)', async () => {
    const page = await openWithScript(browser, `${base}/`, { width: 760, colorScheme: 'dark' });
    expect(await page.evaluate<boolean>("document.querySelector('.brand-logo').naturalWidth > 0")).toBe(true);
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
    await screenshot(page, 'dark-mode.png');
    await page.context().close();
  }, 60_000);

  it('keeps the overall status readable under a hostile custom stylesheet, and lets it load nothing from elsewhere', async () => {
    await patchSettings({ customCss: HOSTILE_CSS });
    const context = await browser.newContext({ viewport: { width: 390, height: 740 } });
    const page = await context.newPage();
    // The browser refuses them itself (the page's policy), before any connection is tried.
    const elsewhere: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes('evil.example')) elsewhere.push(`${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.url().includes('evil.example')) elsewhere.push(`${r.url()} answered`);
    });
    await page.goto(`${base}/`);
    // The hostile sheet did load, and did hide the rest of the page.
    expect(await page.locator('.site-footer').isVisible()).toBe(false);

    const heading = page.locator('.status-banner h1');
    expect(await heading.evaluate((el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }))).toBe(true);
    const seen = await page.evaluate<{ box: DOMRectLike; onTop: boolean; color: string; fill: string; background: string; fontSize: number; indent: string; text: string }>(`(() => {
      const el = document.querySelector('.status-banner h1');
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 80), box.top + box.height / 2);
      const style = getComputedStyle(el);
      return {
        box: { left: box.left, top: box.top, width: box.width, height: box.height },
        onTop: hit !== null && el.closest('.status-banner').contains(hit),
        color: style.color,
        fill: style.webkitTextFillColor,
        background: getComputedStyle(el.closest('.status-banner')).backgroundColor,
        fontSize: Number.parseFloat(style.fontSize),
        indent: style.textIndent,
        text: el.textContent,
      };
    })()`);
    expect(seen.text).toMatch(/Outage|Degraded|Operational|Maintenance/);
    expect(seen.box.left).toBeGreaterThanOrEqual(0);
    expect(seen.box.top).toBeGreaterThanOrEqual(0);
    expect(seen.box.width).toBeGreaterThan(100);
    expect(seen.box.height).toBeGreaterThan(15);
    expect(seen.onTop).toBe(true);
    expect(seen.fontSize).toBeGreaterThanOrEqual(20);
    expect(seen.indent).toBe('0px');
    expect(seen.fill).toBe(seen.color);
    expect(contrastRatio(rgb(seen.color), rgb(seen.background))).toBeGreaterThanOrEqual(4.5);

    expect(elsewhere.sort()).toEqual(['https://evil.example/pixel.png csp', 'https://evil.example/steal.css csp']);
    await context.close();
    await patchSettings({ customCss: null });
  }, 60_000);

  it('sets the page up from the console screen at 390 px: axe-core clean, an error beside its field, a logo uploaded', async () => {
    const { context, page, problems } = await consolePhone(browser);
    await signInWithForm(page, base, owner);
    await page.goto(`${base}/admin/settings`);
    await auditScreen(page);
    await page.getByLabel('Accent colour').fill('purple');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The accent colour is written #rrggbb').waitFor();
    await auditScreen(page);

    await page.getByLabel('Accent colour').fill('#6f42c1');
    await page.getByLabel('Page name').fill('Screen Status');
    await page.getByLabel('Logo (PNG or SVG, 256 KiB at most)').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO) });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await auditScreen(page);
    await page.goto(`${base}/`);
    expect(await page.title()).toBe('Screen Status');
    expect(await page.evaluate<boolean>("document.querySelector('.brand-logo').naturalWidth > 0")).toBe(true);
    // The one error answer is the form refusing the colour.
    expect(problems.filter((p) => !p.startsWith('400 ') && !p.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 90_000);
});
