import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from '../../src/modules/templates/templates.service.js';
import { auditScreen, consolePhone, signInWithForm } from '../helpers/console-browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, listenWithBrowser, screenshot } from '../helpers/browser.js';
import { actingAs } from '../helpers/context.js';
import { makeComponent, makeUser, type TestUser } from '../helpers/factories.js';

/**
 * The console as the communications lead uses it (issue 14): sign in, declare from a template,
 * post with Ctrl+Enter, resolve; the same with JavaScript off; each page on a 390 px phone with
 * no sideways scrolling, no console errors and no axe-core violations.
 */
describe.skipIf(!chromiumAvailable())('the console in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let responder: TestUser;

  beforeAll(async () => {
    // Plain http on 127.0.0.1: the cookies are not Secure here (they are when PUBLIC_URL is https).
    t = await createTestApp({ config: { publicUrl: 'http://127.0.0.1' } });
    const owner = await makeUser(t.app, 'owner');
    responder = await makeUser(t.app, 'responder');
    const api = await makeComponent(t.app, owner.actor, { name: 'Checkout API' });
    await makeComponent(t.app, owner.actor, { name: 'Website' });
    await createTemplate(actingAs(t.app, owner.actor), {
      name: 'Payments down',
      title: '{{component}} failing',
      severity: 'P1',
      status: 'investigating',
      message: 'Payments through **{{component}}** fail. We are investigating.',
      componentStatuses: { [api.id]: 'major_outage' },
    });
    ({ base, browser } = await listenWithBrowser(t.app));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const phone = (javaScriptEnabled = true) => consolePhone(browser, javaScriptEnabled);
  const signIn = (page: Page, { audited = true } = {}) => signInWithForm(page, base, responder, audited ? auditScreen : undefined);

  it('signs in, declares from a template, posts with Ctrl+Enter and resolves', async () => {
    const { context, page, problems } = await phone();
    await signIn(page);
    await auditScreen(page);

    await page.getByRole('link', { name: 'Declare incident' }).first().click();
    await page.getByLabel('Template').selectOption({ label: 'Payments down' });
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Checkout API failing');
    expect(await page.getByLabel('Checkout API').inputValue()).toBe('major_outage');
    expect(await page.getByLabel('Severity').inputValue()).toBe('P1');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.preview strong', { hasText: 'Checkout API' }).waitFor();
    await page.getByRole('button', { name: 'Write' }).click();
    await auditScreen(page);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/admin\/incidents\/[0-9a-f-]{36}$/);
    const incidentUrl = page.url();
    await page.getByRole('link', { name: 'Public page of this incident' }).waitFor();
    await auditScreen(page);

    // On the public page at the next load.
    const publicPage = await context.newPage();
    await publicPage.goto(`${base}/`);
    expect(await publicPage.getByText('Checkout API failing').first().isVisible()).toBe(true);
    await publicPage.close();

    // The board with the incident open: the README's picture of the console (UPDATE_SCREENSHOTS=1).
    await page.getByRole('link', { name: 'Now', exact: true }).click();
    await page.getByRole('link', { name: 'Checkout API failing' }).first().waitFor();
    const png = await screenshot(page, 'console.png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(390);
    await page.goto(incidentUrl);

    await page.getByLabel('Message').fill('We found a bad deploy and are rolling it back.');
    await page.getByLabel('Message').press('Control+Enter');
    await page.getByText('We found a bad deploy').waitFor();
    expect(page.url()).toBe(incidentUrl);

    await page.getByRole('link', { name: 'Resolve' }).click();
    await page.getByLabel('Message').waitFor();
    await auditScreen(page);
    await page.getByLabel('Message').fill('Payments work again.');
    await page.getByLabel('Summary').fill('A bad deploy, rolled back.');
    await page.getByLabel(/Postmortem due date/).fill('2030-01-10');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.waitForURL(incidentUrl);
    await page.getByText('Payments work again.').waitFor();
    await auditScreen(page);

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('declares and posts an update with JavaScript off', async () => {
    // No audit here: with JavaScript off nothing can be evaluated in the page (the pages were
    // audited above, and they are the same HTML).
    const { context, page, problems } = await phone(false);
    await signIn(page, { audited: false });
    await page.getByRole('link', { name: 'Declare incident' }).first().click();
    // Without script, "Use template" fills the form from the server.
    await page.getByLabel('Template').selectOption({ label: 'Payments down' });
    await page.getByRole('button', { name: 'Use template' }).click();
    expect(await page.getByLabel('Title').inputValue()).toBe('Checkout API failing');
    await page.getByLabel('Title').fill('Website slow without script');
    await page.getByLabel('Website').selectOption('degraded_performance');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/admin\/incidents\/[0-9a-f-]{36}$/);

    await page.getByLabel('Message').fill('Still looking, no script needed.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.getByText('Still looking, no script needed.').waitFor();
    await page.goto(`${base}/`);
    expect(await page.getByText('Website slow without script').first().isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
