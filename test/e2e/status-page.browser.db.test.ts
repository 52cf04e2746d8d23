import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { subscribers } from '../../src/db/schema/notifications.js';
import { createIncident } from '../../src/modules/incidents/index.js';
import { createMaintenance } from '../../src/modules/maintenance/index.js';
import { systemContext } from '../../src/modules/context.js';
import { importSubscribers } from '../../src/modules/subscribers/subscribers.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditPage, chromiumAvailable, horizontalOverflow, listenWithBrowser, openOnPhone } from '../helpers/browser.js';
import { makeComponent, makeUser } from '../helpers/factories.js';

describe.skipIf(!chromiumAvailable())('the status page in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  /** The other public pages, each audited like `/`. */
  let publicPages: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await makeUser(t.app, 'owner');
    const api = await makeComponent(t.app, owner.actor, { name: 'Checkout API' });
    const ctx = { ...systemContext(t.app), actor: owner.actor };
    const incident = await createIncident(
      { ...systemContext(t.app), actor: owner.actor },
      {
        title: 'Checkout failures',
        severity: 'P1',
        status: 'investigating',
        message: 'Payments **fail** for some customers.',
        componentStatuses: { [api.id]: 'partial_outage' },
      },
    );
    const maintenance = await createMaintenance(ctx, {
      title: 'Database upgrade',
      body: 'Checkout may be **slow** for a few minutes.',
      componentIds: [api.id],
      scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
      scheduledUntil: new Date(Date.now() + 90_000_000).toISOString(),
    });
    // A real unsubscribe link: its page carries the form with the button.
    await importSubscribers(ctx, { subscribers: [{ email: 'reader@example.org' }], confirmed: true }, t.app.notifications.tokens);
    const [reader] = await t.app.db.select().from(subscribers).where(eq(subscribers.email, 'reader@example.org'));
    const unsubscribe = t.app.notifications.tokens.token('unsubscribe', reader!.id, reader!.unsubscribeNonce);
    expect((await t.app.inject(`/unsubscribe/${unsubscribe}`)).body).toContain('Unsubscribe?');
    publicPages = [
      '/history',
      `/incidents/${incident.id}`,
      `/maintenances/${maintenance.id}`,
      `/unsubscribe/${unsubscribe}`,
      // A used or made-up link: the subscription page's other shape.
      `/subscribe/confirm/${'x'.repeat(43)}`,
    ];
    ({ base, browser } = await listenWithBrowser(t.app));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the overall status and the incident, with no console errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });

    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByText('Partial System Outage').first().isVisible()).toBe(true);
    const incident = page.getByRole('link', { name: 'Checkout failures' }).first();
    expect(await incident.isVisible()).toBe(true);
    expect(await page.getByText('Checkout API').first().isVisible()).toBe(true);

    await incident.click();
    await page.waitForURL(/\/incidents\//);
    expect(await page.getByText('Payments').first().isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says how long ago the update was posted with JavaScript, and the time alone without', async () => {
    const plain = await openOnPhone(browser, `${base}/`);
    const meta = (page: Page) => page.locator('.incident-card .update .meta').first();
    const posted = (await meta(plain).locator('time').getAttribute('datetime'))!;
    expect(await meta(plain).textContent()).toMatch(/^Posted [A-Z][a-z]{2} \d+, \d{4}, \d{2}:\d{2} UTC$/);
    await plain.context().close();

    // The reader's clock, not the render's, says how long ago: five minutes after posting here.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install({ time: new Date(Date.parse(posted) + 5 * 60_000 + 10_000) });
    await page.goto(`${base}/`);
    await expect.poll(() => meta(page).textContent()).toMatch(/^Posted [A-Z][a-z]{2} \d+, \d{4}, \d{2}:\d{2} UTC \(5 minutes ago\)$/);
    // And it keeps counting without a new render.
    await page.clock.runFor(60_000);
    await expect.poll(() => meta(page).textContent()).toMatch(/\(6 minutes ago\)$/);
    await context.close();
  });

  it.each([true, false])('passes axe-core at 390 px, the page’s script running: %s', async (pageScript) => {
    expect(await auditPage(browser, `${base}/`, { width: 390, pageScript })).toEqual({ overflow: 0, violations: [] });
  }, 60_000);

  it.each(['light', 'dark'] as const)('passes axe-core at 390 px on every other public page, %s theme', async (colorScheme) => {
    for (const path of publicPages) {
      expect(await auditPage(browser, `${base}${path}`, { width: 390, pageScript: true, colorScheme }), path).toEqual({ overflow: 0, violations: [] });
    }
  }, 120_000);

  it('passes axe-core on the status page in the dark theme', async () => {
    expect(await auditPage(browser, `${base}/`, { width: 390, pageScript: true, colorScheme: 'dark' })).toEqual({ overflow: 0, violations: [] });
  }, 60_000);

  it('works on a phone-sized screen with JavaScript off', async () => {
    const page = await openOnPhone(browser, `${base}/`);
    expect(await page.getByText('Partial System Outage').first().isVisible()).toBe(true);
    // Nothing may overflow sideways on a small phone.
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
