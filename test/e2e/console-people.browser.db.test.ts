import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditScreen, consolePhone, signInWithForm } from '../helpers/console-browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, listenWithBrowser } from '../helpers/browser.js';
import { makeUser, type TestUser } from '../helpers/factories.js';

/** No DNS in tests: one public name for webhooks. */
const resolver = async (host: string) => {
  if (host === 'hooks.example.test') return [{ address: '93.184.216.34', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

/**
 * The owner's screens of the console (issue 14): subscribers, webhooks, users and tokens, and
 * the audit log, one action on each, on a 390 px phone with no sideways scrolling, no console
 * errors and no axe-core violations; a responder is not offered them.
 */
describe.skipIf(!chromiumAvailable())("the console's people screens in a real browser", () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let owner: TestUser;
  let responder: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ resolver, config: { publicUrl: 'http://127.0.0.1' } });
    owner = await makeUser(t.app, 'owner');
    responder = await makeUser(t.app, 'responder');
    ({ base, browser } = await listenWithBrowser(t.app));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const navLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });

  it('an owner imports subscribers, adds a webhook, creates a token and filters the audit log', async () => {
    const { context, page, problems } = await consolePhone(browser);
    await signInWithForm(page, base, owner);

    await navLink(page, 'Subscribers').click();
    await page.getByRole('heading', { name: 'Subscribers' }).waitFor();
    await page.getByLabel('Addresses').fill('ann@example.test\nnot an address\nbob@example.test');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import done' }).waitFor();
    await page.getByText('Line 2:').waitFor();
    await page.getByText('bob@example.test').first().waitFor();
    await auditScreen(page);

    await navLink(page, 'Webhooks').click();
    await page.getByLabel('URL').fill('https://hooks.example.test/status');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('heading', { name: 'Webhook added' }).waitFor();
    await auditScreen(page);

    await navLink(page, 'Users and tokens').click();
    await page.getByLabel('Token name').fill('Deploy bot');
    await page.getByLabel('write').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Token "Deploy bot" created' }).waitFor();
    expect(await page.locator('code.secret').textContent()).toMatch(/^hg_/);
    await auditScreen(page);
    // The page came by a redirect: reloading it posts nothing again, and the secret is gone.
    expect(page.url()).toMatch(/\/admin\/users\/created\/[\w-]{24}$/);
    await page.reload();
    await page.getByText('That secret was shown once and is not kept.').waitFor();
    expect(await page.locator('code.secret').count()).toBe(0);
    expect(await page.getByText('Deploy bot').count()).toBe(1);

    await navLink(page, 'Audit log').click();
    await page.getByLabel('Action').fill('token.create');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=token\.create/);
    await page.getByRole('cell', { name: 'token.create' }).waitFor();
    expect(await page.getByRole('row').count()).toBe(2);
    await auditScreen(page);

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('a responder is not offered users and tokens', async () => {
    const { context, page, problems } = await consolePhone(browser);
    await signInWithForm(page, base, responder);
    expect(await navLink(page, 'Users and tokens').count()).toBe(0);
    expect(await navLink(page, 'Audit log').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
