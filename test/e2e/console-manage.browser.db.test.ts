import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentSources } from '../../src/db/schema/index.js';
import { auditScreen, consolePhone } from '../helpers/console-browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, listenWithBrowser } from '../helpers/browser.js';
import { makeComponent, makeGroup, makeUser, type TestUser } from '../helpers/factories.js';

/**
 * The console's Components, Maintenance and Templates screens in a real browser (issue 14), on a
 * 390 px phone: each reached from the navigation bar, none scrolling sideways, no axe-core
 * violation, no console error; what is done there shows on `/` and in the declare form.
 */
describe.skipIf(!chromiumAvailable())('the console’s management screens in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let owner: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: 'http://127.0.0.1' } });
    owner = await makeUser(t.app, 'owner');
    const group = await makeGroup(t.app, owner.actor, 'Storefront');
    await makeComponent(t.app, owner.actor, { name: 'Website', groupId: group.id });
    await makeComponent(t.app, owner.actor, { name: 'Checkout', groupId: group.id });
    ({ base, browser } = await listenWithBrowser(t.app));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A datetime-local value, `days` from now at `hour`:00 UTC (the test page's zone). */
  const local = (days: number, hour: number) => {
    const at = new Date(Date.now() + days * 86_400_000);
    at.setUTCHours(hour, 0, 0, 0);
    return at.toISOString().slice(0, 16);
  };

  it('manages components, maintenance and templates from a phone', async () => {
    const { context, page, problems } = await consolePhone(browser);
    const nav = page.getByRole('navigation', { name: 'Console' });

    await page.goto(`${base}/admin`);
    await page.getByLabel('Email').fill(owner.actor.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Now' }).waitFor();

    // Components: add one, set its status, see it on the public page.
    await nav.getByRole('link', { name: 'Components' }).click();
    await page.getByRole('heading', { name: 'Components', level: 1 }).waitFor();
    await auditScreen(page);
    await page.getByLabel('Name', { exact: true }).fill('Search API');
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Storefront' });
    await page.getByRole('button', { name: 'Add component' }).click();
    const status = page.getByLabel('Search API', { exact: true });
    await status.waitFor();
    expect(await status.inputValue()).toBe('operational');
    await status.selectOption('partial_outage');
    await page.getByRole('button', { name: 'Set status of Search API' }).click();
    await expect.poll(() => page.getByLabel('Search API', { exact: true }).inputValue()).toBe('partial_outage');
    await auditScreen(page);
    await page.getByRole('link', { name: 'Edit Search API' }).click();
    await page.getByRole('heading', { name: /Edit component/ }).waitFor();
    await auditScreen(page);
    // Follow a provider's status page; how its polls go shows here, a long address or error included.
    await page.getByLabel('Status page URL').fill('https://93.184.216.34/a-provider-with-a-rather-long-status-page-address/');
    await page.getByLabel(/component id/).fill('k1q2w3e4r5t6');
    await page.getByLabel('Open a draft incident when it degrades').check();
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByRole('button', { name: 'Stop following' }).waitFor();
    await t.app.db
      .update(componentSources)
      .set({ failures: 2, lastError: `The page answered HTTP 302 (a redirect to https://${'x'.repeat(150)}.example/); redirects are not followed, link the final address` });
    await page.reload();
    await page.getByText(/2 failures in a row/).waitFor();
    await auditScreen(page);
    await page.getByRole('button', { name: 'Stop following' }).click();
    await page.getByRole('button', { name: 'Follow' }).waitFor();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: 'Delete Search API' }).click();
    await page.getByRole('button', { name: 'Delete component' }).waitFor();
    await auditScreen(page);
    await page.getByRole('link', { name: 'Cancel' }).click();

    const publicPage = await context.newPage();
    await publicPage.goto(`${base}/`);
    const row = publicPage.locator('li.row', { hasText: 'Search API' });
    expect(await row.locator('.status').textContent()).toMatch(/partial outage/i);
    await publicPage.close();

    // Maintenance: schedule a window with the declare form's Markdown field.
    await nav.getByRole('link', { name: 'Maintenance' }).click();
    await page.getByRole('heading', { name: 'Maintenance', level: 1 }).waitFor();
    await auditScreen(page);
    await page.getByRole('link', { name: 'Schedule maintenance' }).click();
    await page.getByLabel('Title').fill('Search index rebuild');
    await page.getByLabel('Message').fill('We rebuild the **search index**; results may lag.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.preview strong', { hasText: 'search index' }).waitFor();
    await page.getByRole('button', { name: 'Write' }).click();
    await page.getByLabel('Starts at').fill(local(1, 9));
    await page.getByLabel('Ends at').fill(local(1, 11));
    await page.getByLabel('Search API').check();
    await auditScreen(page);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.waitForURL(`${base}/admin/maintenance`);
    const card = page.locator('li.card', { hasText: 'Search index rebuild' });
    expect(await card.textContent()).toContain('Components: Search API');
    await auditScreen(page);
    // Editing it before it starts: the same form, filled, the window in the page's zone.
    await page.getByRole('link', { name: 'Edit Search index rebuild' }).click();
    await page.getByRole('heading', { name: 'Edit Search index rebuild', level: 1 }).waitFor();
    expect(await page.getByLabel('Starts at').inputValue()).toBe(local(1, 9));
    await auditScreen(page);
    await page.getByLabel('Title').fill('Search index rebuild (moved)');
    await page.getByLabel('Ends at').fill(local(1, 12));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${base}/admin/maintenance`);
    await page.locator('li.card', { hasText: 'Search index rebuild (moved)' }).waitFor();

    // Templates: create one, then find it in the declare form's Template picker.
    await nav.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await auditScreen(page);
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('Search degraded');
    await page.getByLabel('Title').fill('{{component}} is slow');
    await page.getByLabel('Severity').selectOption('P2');
    await page.getByLabel('Status').selectOption('identified');
    await page.getByLabel('Message').fill('Searches through {{component}} are slow; we know why.');
    await page.getByLabel('Search API', { exact: true }).selectOption('degraded_performance');
    await auditScreen(page);
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.waitForURL(`${base}/admin/templates`);
    await page.getByRole('link', { name: 'Edit Search degraded' }).waitFor();
    await page.getByRole('link', { name: 'Delete Search degraded' }).click();
    await page.getByRole('button', { name: 'Delete template' }).waitFor();
    await auditScreen(page);
    await page.getByRole('link', { name: 'Cancel' }).click();
    await auditScreen(page);

    await nav.getByRole('link', { name: 'Declare incident' }).click();
    await page.getByLabel('Template').selectOption({ label: 'Search degraded' });
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Search API is slow');
    expect(await page.getByLabel('Status').inputValue()).toBe('identified');

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
