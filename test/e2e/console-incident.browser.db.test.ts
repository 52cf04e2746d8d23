import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident, resolveIncident } from '../../src/modules/incidents/index.js';
import { putPostmortem } from '../../src/modules/postmortems/index.js';
import { createTemplate } from '../../src/modules/templates/templates.service.js';
import { alertmanagerPost } from '../fixtures/alertmanager.js';
import { auditScreen, consolePhone, signInWithForm } from '../helpers/console-browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, listenWithBrowser } from '../helpers/browser.js';
import { actingAs } from '../helpers/context.js';
import { makeComponent, makeUser, type TestUser } from '../helpers/factories.js';

/**
 * An incident from alert to postmortem in the console (issue 14), on a 390 px phone: publish an
 * Alertmanager draft in one action, set a role, post an update from the next stage's template,
 * resolve with a postmortem due date, write and publish the postmortem and find it on the public
 * incident page, then read the response report. Each page: no sideways scrolling, no axe-core
 * violations, no console errors.
 */
describe.skipIf(!chromiumAvailable())('an incident in the console, alert to postmortem, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let owner: TestUser;
  let responder: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: 'http://127.0.0.1' } });
    owner = await makeUser(t.app, 'owner', 'Olga Owner');
    responder = await makeUser(t.app, 'responder');
    const payments = await makeComponent(t.app, owner.actor, { name: 'Payments API' });
    await createTemplate(actingAs(t.app, owner.actor), {
      name: 'Cause found',
      title: 'Cause found',
      severity: 'P1',
      status: 'identified',
      message: 'We found the cause of the {{component}} errors and are fixing it.',
      componentStatuses: { [payments.id]: 'partial_outage' },
    });
    // The draft comes in as Alertmanager sends it, through the ingest route and an ingest token.
    const token = await t.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: owner.auth, payload: { name: 'alertmanager', scopes: ['ingest'] } });
    expect(token.statusCode).toBe(201);
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/alertmanager',
      headers: { authorization: `Bearer ${token.json().token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(alertmanagerPost('firing')),
    });
    expect(ingest.json()).toMatchObject({ action: 'opened', draft: true });
    ({ base, browser } = await listenWithBrowser(t.app));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('publishes an alert’s draft, sets a role, posts from a stage template, resolves, publishes the postmortem and reads the report', async () => {
    const { context, page, problems } = await consolePhone(browser);

    await page.goto(`${base}/admin`);
    await page.getByLabel('Email').fill(responder.actor.email);
    await page.getByLabel('Password').fill(responder.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Now' }).waitFor();

    // The draft, titled and with its component from the alert's labels: published in one action.
    await page.getByRole('link', { name: 'Payments API error rate above 5%' }).click();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('link', { name: 'Public page of this incident' }).waitFor();
    const incidentUrl = page.url();
    await auditScreen(page);
    const publicPage = await context.newPage();
    await publicPage.goto(`${base}/`);
    expect(await publicPage.getByText('Payments API error rate above 5%').first().isVisible()).toBe(true);

    // A role, saved and shown chosen.
    await page.getByLabel('Incident commander').selectOption({ label: 'Olga Owner' });
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.waitForURL(incidentUrl);
    expect(await page.getByLabel('Incident commander').locator('option:checked').textContent()).toBe('Olga Owner');

    // The next stage's template fills the composer at once.
    await page.getByLabel('Template').selectOption({ label: 'Cause found' });
    await expect.poll(() => page.getByLabel('Message').inputValue()).toBe('We found the cause of the Payments API errors and are fixing it.');
    expect(await page.getByLabel('Status').inputValue()).toBe('identified');
    expect(await page.getByLabel('Payments API').inputValue()).toBe('partial_outage');
    await auditScreen(page);
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.locator('.timeline').getByText('We found the cause of the Payments API errors').waitFor();

    await page.getByRole('link', { name: 'Resolve' }).click();
    await page.getByLabel('Message').fill('Payments work again.');
    await page.getByLabel('Summary').fill('A bad deploy, rolled back.');
    await page.getByLabel(/Postmortem due date/).fill('2030-01-10');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.waitForURL(incidentUrl);

    // The postmortem: prefilled timeline, Markdown with a preview, an action item added by a submit.
    await page.getByRole('link', { name: 'Write the postmortem' }).click();
    await page.getByRole('heading', { name: /^Postmortem:/ }).waitFor();
    const lines = await page.locator('.timeline-row textarea').evaluateAll((all) => all.map((e) => (e as unknown as { value: string }).value));
    expect(lines).toContain('identified: We found the cause of the Payments API errors and are fixing it.');
    await page.getByLabel('Summary').fill('Checkout failed for **12 minutes** after a deploy.');
    await page.getByRole('button', { name: 'Preview' }).first().click();
    await page.locator('.preview strong', { hasText: '12 minutes' }).waitFor();
    await page.getByRole('button', { name: 'Write' }).first().click();
    await page.getByLabel('Root cause').fill('A configuration change shipped without its migration.');
    await page.getByLabel('Why 1').fill('The deploy did not run the migration');
    // Enter in a field saves (the form's first button is a hidden Save, not "Add timeline line").
    await page.getByLabel('Why 1').press('Enter');
    await page.getByText('Saved', { exact: true }).waitFor();
    expect(await page.getByLabel('Why 1').inputValue()).toBe('The deploy did not run the migration');
    await page.getByLabel('Description').fill('Run migrations in the deploy pipeline');
    await page.getByLabel('Owner').fill('Platform team');
    await page.getByLabel('Due date').fill('2030-02-01');
    await page.getByRole('button', { name: 'Add action item' }).click();
    await page.getByRole('group', { name: 'Action item 2' }).waitFor();
    expect(await page.getByLabel('Root cause').inputValue()).toBe('A configuration change shipped without its migration.');
    await auditScreen(page);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published', { exact: true }).waitFor();

    await publicPage.goto(incidentUrl.replace('/admin/incidents/', '/incidents/'));
    await publicPage.getByText('Run migrations in the deploy pipeline').waitFor();
    expect(await publicPage.locator('strong', { hasText: '12 minutes' }).count()).toBeGreaterThan(0);
    await auditScreen(publicPage);
    await publicPage.close();

    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Response report' }).waitFor();
    expect(await page.locator('svg.chart').count()).toBe(3);
    await page.getByRole('cell', { name: 'Payments API error rate above 5%' }).or(page.getByRole('rowheader', { name: 'Payments API error rate above 5%' })).first().waitFor();
    await auditScreen(page);

    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('a viewer reads a draft postmortem, every part shown and nothing to edit', async () => {
    const viewer = await makeUser(t.app, 'viewer');
    const acting = actingAs(t.app, responder.actor);
    const incident = await createIncident(acting, { title: 'Search slow', severity: 'P2', status: 'investigating', message: 'Searches are slow.' });
    await resolveIncident(acting, incident.id, { message: 'Fast again.', summary: 'An index was missing.', postmortemDueAt: '2030-01-10T17:00:00Z' }, null);
    await putPostmortem(acting, incident.id, {
      summary: 'Searches took **seconds** for an hour.',
      rootCause: 'A migration dropped an index.',
      timeline: [{ at: '2026-12-07T10:00:00Z', text: 'Paged the on-call', source: 'note', internal: true }],
      whys: ['The index was dropped'],
      contributingFactors: ['No query-time alert'],
      actionItems: [{ title: 'Alert on slow queries', owner: 'Search team', dueDate: '2030-02-01', done: false }],
    });
    const { context, page, problems } = await consolePhone(browser);
    await signInWithForm(page, base, viewer);
    await page.goto(`${base}/admin/incidents/${incident.id}`);
    await page.getByRole('link', { name: 'Read the postmortem' }).click();
    await page.getByRole('heading', { name: 'Postmortem: Search slow', level: 1 }).waitFor();
    await page.locator('strong', { hasText: 'seconds' }).waitFor();
    for (const text of ['A migration dropped an index.', 'Paged the on-call', 'The index was dropped', 'No query-time alert', 'Alert on slow queries']) {
      await page.getByText(text).first().waitFor();
    }
    expect(await page.locator('main textarea, main input:not([type=hidden]), main select, main button').count()).toBe(0);
    await auditScreen(page);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
