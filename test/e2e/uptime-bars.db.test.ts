import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponent, updateComponent } from '../../src/modules/components/components.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { actingAs } from '../helpers/context.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable, horizontalOverflow, openOnPhone } from '../helpers/browser.js';
import { makeUser } from '../helpers/factories.js';

const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable())('uptime bars in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const now = Date.now();
  // Noon of a UTC day ten days ago: the one-minute outage stays within that day.
  const outageDay = new Date(Math.floor((now - 10 * DAY) / DAY) * DAY + DAY / 2);

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await makeUser(t.app, 'owner');
    const api = await createComponent(actingAs(t.app, owner.actor, new Date(now - 200 * DAY)), { name: 'Checkout API' });
    await updateComponent(actingAs(t.app, owner.actor, outageDay), api.id, { status: 'major_outage' });
    await updateComponent(actingAs(t.app, owner.actor, new Date(outageDay.getTime() + 60_000)), api.id, { status: 'operational' });
    await createComponent(actingAs(t.app, owner.actor, new Date(now - 5 * DAY)), { name: 'New service' });
    t.app.publicCache.invalidate();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('draws 90 bars per component and reads them out without hover or JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);

    const list = page.getByRole('list', { name: /^Checkout API: status by UTC day/ });
    const bars = list.getByRole('listitem');
    expect(await bars.count()).toBe(90);
    // Each bar is drawn: a visible box of some width and height.
    const box = await bars.nth(0).boundingBox();
    expect(box!.width).toBeGreaterThan(2);
    expect(box!.height).toBeGreaterThan(10);

    // The text alternative is in the accessibility tree, not only in a tooltip.
    const label = outageDay.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
    const snapshot = await list.ariaSnapshot();
    expect(snapshot).toContain(`${label}: major outage for 1 min`);
    // Screen readers get it; sighted readers see bars, not 90 lines of text.
    const hidden = await list.getByText(`${label}: major outage for 1 min`).boundingBox();
    expect(hidden!.width).toBeLessThanOrEqual(1);
    expect(await page.getByText('99.99% uptime').isVisible()).toBe(true);

    // Without hover: the days with issues are one click away, as text.
    await page.getByText('1 day with issues').click();
    expect(await page.getByRole('listitem').filter({ hasText: `${label}: major outage for 1 min` }).last().isVisible()).toBe(true);

    // With hover: the bar shows its own text.
    const outageBar = list.getByRole('listitem').filter({ hasText: `${label}:` });
    await outageBar.hover();
    const tip = await outageBar.getByText(`${label}: major outage for 1 min`).boundingBox();
    expect(tip!.width).toBeGreaterThan(50);

    // A component created five days ago has grey "no data" bars before that.
    const young = page.getByRole('list', { name: /^New service: status by UTC day/ }).getByRole('listitem');
    expect(await young.nth(0).textContent()).toMatch(/: no data$/);
    expect(await young.nth(89).textContent()).toMatch(/: no downtime$/);
    await context.close();
  });

  it('fits a phone-sized screen', async () => {
    const page = await openOnPhone(browser, `${base}/`);
    expect(await page.locator('ol.bars').first().isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
