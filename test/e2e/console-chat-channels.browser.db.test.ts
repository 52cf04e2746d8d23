import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditScreen, consolePhone, signInWithForm } from '../helpers/console-browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, listenWithBrowser } from '../helpers/browser.js';
import { makeComponent, makeUser, type TestUser } from '../helpers/factories.js';

/** No DNS in tests: one public name for chat webhooks. */
const resolver = async (host: string) => {
  if (host === 'hooks.example.test') return [{ address: '93.184.216.34', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

/**
 * The chat channels screen on a 390 px phone: a refused URL explained beside its field, a staff
 * channel added, edited (a refused interval, then saved), a test message sent and a channel
 * deleted after its confirmation; no sideways scrolling, no console errors and no axe-core
 * violations at each step.
 */
describe.skipIf(!chromiumAvailable())('the chat channels screen in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let owner: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ resolver, config: { publicUrl: 'http://127.0.0.1' } });
    owner = await makeUser(t.app, 'owner');
    await makeComponent(t.app, owner.actor, { name: 'Payments API' });
    ({ base, browser } = await listenWithBrowser(t.app));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an owner adds a staff channel, edits it, sends it a test message and deletes it', async () => {
    const { context, page, problems } = await consolePhone(browser);
    await signInWithForm(page, base, owner);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Chat channels', exact: true }).click();
    await page.getByRole('heading', { name: 'Chat channels' }).waitFor();
    await auditScreen(page);

    await page.getByLabel('Platform').selectOption('slack');
    await page.getByLabel('Name').fill('#incident-leads');
    await page.getByLabel('Incoming-webhook URL').fill('http://10.0.0.5/hooks');
    await page.getByLabel('Staff: the events chosen below').check();
    await page.getByRole('button', { name: 'Add chat channel' }).click();
    await page.getByText('loopback, private or link-local').waitFor();
    await auditScreen(page);
    // The refused form is answered 400, as it should be: not a problem of the page.
    expect(problems.splice(0).sort()).toEqual([`400 ${base}/admin/chat-channels`, 'Failed to load resource: the server responded with a status of 400 (Bad Request)']);

    await page.getByLabel('Incoming-webhook URL').fill('https://hooks.example.test/services/T1/B2/abcdefgh');
    await page.getByLabel('Postmortem overdue').uncheck();
    await page.getByRole('button', { name: 'Add chat channel' }).click();
    await page.getByText('The chat channel was added.').waitFor();
    await page.getByText('https://hooks.example.test/…efgh').waitFor();
    await auditScreen(page);

    await page.getByRole('link', { name: 'Edit the chat channel #incident-leads' }).click();
    await page.getByRole('heading', { name: 'Edit chat channel: #incident-leads' }).waitFor();
    await auditScreen(page);
    await page.getByLabel('Name').fill('#leads');
    await page.getByLabel('Digest every').fill('45');
    await page.getByLabel('Postmortem overdue').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Every 15 to 30 minutes.').waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('#leads');
    expect(await page.getByLabel('Postmortem overdue').isChecked()).toBe(true);
    await auditScreen(page);
    expect(page.url()).toMatch(/\/admin\/chat-channels\/[0-9a-f-]+\/edit$/);
    expect(problems.splice(0).sort()).toEqual([`400 ${page.url()}`, 'Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.getByLabel('Digest every').fill('20');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The chat channel was saved.').waitFor();
    await page.getByText('(every 20 min)').waitFor();

    await page.getByRole('button', { name: 'Send a test message to #leads' }).click();
    await page.getByText('A test message is on its way').waitFor();
    await page.getByText('1 pending').waitFor();

    await page.getByRole('link', { name: 'Delete the chat channel #leads' }).click();
    await page.getByRole('button', { name: 'Delete chat channel' }).click();
    await page.getByText('The chat channel was deleted.').waitFor();
    await page.getByText('No chat channels yet.').waitFor();
    await auditScreen(page);

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
