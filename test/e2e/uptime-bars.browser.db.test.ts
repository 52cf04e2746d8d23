import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponent, updateComponent } from '../../src/modules/components/components.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { actingAs } from '../helpers/context.js';
import { auditPage, chromiumAvailable, horizontalOverflow, listenWithBrowser, openOnPhone } from '../helpers/browser.js';
import { makeUser } from '../helpers/factories.js';

const DAY = 86_400_000;

/** The tone of each day of a row of bars, read from its strokes' runs ("M12 .5h30"). */
async function tonesOf(bars: Locator): Promise<string[]> {
  const tones: string[] = [];
  for (const path of await bars.locator('path').all()) {
    const tone = (await path.getAttribute('class'))!.replace(/^u-/, '');
    for (const [, from, length] of (await path.getAttribute('d'))!.matchAll(/M(\d+) \.5h(\d+)/g)) {
      for (let i = Number(from); i < Number(from) + Number(length); i += 1) tones[i] = tone;
    }
  }
  return tones;
}

describe.skipIf(!chromiumAvailable())('uptime bars in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const now = Date.now();
  // Noon of a UTC day ten days ago: the one-minute outage stays within that day.
  const outageDay = new Date(Math.floor((now - 10 * DAY) / DAY) * DAY + DAY / 2);
  const label = (at: Date) => at.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await makeUser(t.app, 'owner');
    const api = await createComponent(actingAs(t.app, owner.actor, new Date(now - 200 * DAY)), { name: 'Checkout API' });
    await updateComponent(actingAs(t.app, owner.actor, outageDay), api.id, { status: 'major_outage' });
    await updateComponent(actingAs(t.app, owner.actor, new Date(outageDay.getTime() + 60_000)), api.id, { status: 'operational' });
    await createComponent(actingAs(t.app, owner.actor, new Date(now - 5 * DAY)), { name: 'New service' });
    t.app.publicCache.invalidate();
    ({ base, browser } = await listenWithBrowser(t.app));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('draws 90 bars per component and reads them out without hover or JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);

    const row = page.locator('li.row', { hasText: 'Checkout API' });
    const bars = row.locator('svg.bars');
    const tones = await tonesOf(bars);
    expect(tones).toHaveLength(90);
    expect(tones.every(Boolean)).toBe(true);
    expect(tones[79]).toBe('major_outage');
    // The row is drawn: a visible box, each of the 90 days a few pixels wide.
    const box = await bars.boundingBox();
    expect(box!.width / 90).toBeGreaterThan(2);
    expect(box!.height).toBeGreaterThan(10);

    // The text alternative is in the accessibility tree, not only in a tooltip; the bars are not.
    const snapshot = await row.ariaSnapshot();
    expect(snapshot).toContain('Checkout API, status by UTC day, the last 90 days:');
    expect(snapshot).toContain('1 day with issues, listed below; no downtime on the others.');
    expect(snapshot).not.toContain('img');
    // Screen readers get it; sighted readers see bars, not a paragraph.
    const hidden = await row.getByText('Checkout API, status by UTC day').boundingBox();
    expect(hidden!.width).toBeLessThanOrEqual(1);
    expect(await page.getByText('99.99% uptime').isVisible()).toBe(true);

    // Without hover: the days with issues are one click away, as text.
    await page.getByText('1 day with issues', { exact: true }).click();
    expect(await page.getByRole('listitem').filter({ hasText: `${label(outageDay)}: major outage for 1 min` }).last().isVisible()).toBe(true);

    // A component created five days ago has grey "no data" bars before that.
    const young = page.locator('li.row', { hasText: 'New service' });
    const youngTones = await tonesOf(young.locator('svg.bars'));
    expect(youngTones[0]).toBe('none');
    expect(youngTones[89]).toBe('operational');
    expect(await young.ariaSnapshot()).toMatch(/: no data; [A-Z][a-z]{2} \d+ – [A-Z][a-z]{2} \d+: no downtime\./);
    await context.close();
  });

  it('names the bar under the pointer, with JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const bars = page.locator('li.row', { hasText: 'Checkout API' }).locator('svg.bars');
    const box = (await bars.boundingBox())!;
    const dayAt = (index: number) => ({ x: box.x + ((index + 0.4) / 90) * box.width, y: box.y + box.height / 2 });

    const tip = page.locator('.bar-tip');
    await page.mouse.move(dayAt(79).x, dayAt(79).y);
    await expect.poll(() => tip.textContent()).toBe(`${label(outageDay)}: major outage for 1 min`);
    expect(await tip.isVisible()).toBe(true);
    const tipBox = (await tip.boundingBox())!;
    expect(tipBox.y + tipBox.height).toBeLessThanOrEqual(box.y);

    await page.mouse.move(dayAt(89).x, dayAt(89).y);
    await expect.poll(() => tip.textContent()).toBe(`${label(new Date(now))}: no downtime`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
    await expect.poll(() => tip.isVisible()).toBe(false);
    await context.close();
  });

  it('fits a phone-sized screen', async () => {
    const page = await openOnPhone(browser, `${base}/`);
    expect(await page.locator('svg.bars').first().isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it.each([true, false])('passes axe-core at 390 px, the page’s script running: %s', async (pageScript) => {
    expect(await auditPage(browser, `${base}/`, { width: 390, pageScript })).toEqual({ overflow: 0, violations: [] });
  }, 60_000);
});
