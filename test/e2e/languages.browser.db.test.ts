import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/languages.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { accessibilityViolations, chromiumAvailable, horizontalOverflow, listenWithBrowser } from '../helpers/browser.js';
import { makeComponent, makeUser } from '../helpers/factories.js';
import request from 'supertest';

/**
 * The public page in every shipped language, light and dark, 390 px wide: no sideways
 * scrolling and no axe-core violation. One browser and one page for the file: the loop only
 * changes the URL and the colour scheme. The fixture shows what words may break: an incident
 * under way, maintenance, a component in each status, bars with a bad day.
 */
describe.skipIf(!chromiumAvailable())('the public page in each language, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let incidentId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await makeUser(t.app, 'owner');
    const api = () => request(t.app.server);
    const checkout = await makeComponent(t.app, owner.actor, { name: 'Checkout API', showcase: true });
    for (const status of ['degraded_performance', 'partial_outage', 'under_maintenance'] as const) {
      await makeComponent(t.app, owner.actor, { name: `Service ${status}`, status });
    }
    const incident = await api()
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Checkout errors', severity: 'P1', status: 'identified', message: 'A bad deploy.', messages: { de: 'Ein fehlerhaftes Deployment.' }, componentStatuses: { [checkout.id]: 'major_outage' } });
    incidentId = incident.body.id;
    const soon = new Date(Date.now() + 86_400_000);
    const maintenance = await api()
      .post('/api/admin/maintenances')
      .set(owner.auth)
      .send({ title: 'Database upgrade', body: 'A short pause.', scheduledFor: soon.toISOString(), scheduledUntil: new Date(soon.getTime() + 3_600_000).toISOString() });
    expect([incident.status, maintenance.status]).toEqual([201, 201]);
    ({ base, browser } = await listenWithBrowser(t.app));
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['light', 'dark'] as const)('passes axe-core and fits 390 px in every language, %s', async (colorScheme) => {
    await page.emulateMedia({ colorScheme });
    const problems: Record<string, unknown> = {};
    for (const lang of LANGUAGES) {
      for (const path of ['/', `/incidents/${incidentId}`]) {
        const url = `${base}${path}?lang=${lang}`;
        await page.goto(url);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const overflow = await horizontalOverflow(page);
        const violations = await accessibilityViolations(page);
        if (overflow > 0 || violations.length > 0) problems[`${lang} ${path}`] = { overflow, violations };
      }
    }
    expect(problems).toEqual({});
  });

  it('switches language with the switcher’s links, without JavaScript doing it', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
    await page.waitForURL(`${base}/?lang=de`);
    await expect(page.getByRole('heading', { name: 'Komponenten' }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Checkout errors' }).first().click();
    await page.waitForURL(`${base}/incidents/${incidentId}?lang=de`);
    expect(await page.textContent('main')).toContain('Ein fehlerhaftes Deployment.');
  });
});
