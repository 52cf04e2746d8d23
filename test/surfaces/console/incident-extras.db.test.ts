import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, incidents, postmortems } from '../../../src/db/schema/index.js';
import { createIncident, resolveIncident } from '../../../src/modules/incidents/index.js';
import { createTemplate } from '../../../src/modules/templates/templates.service.js';
import type { TestApp } from '../../helpers/app.js';
import { signedInVisitor } from '../../helpers/console-session.js';
import { actingAs } from '../../helpers/context.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The incident view's roles and stage templates, the postmortem editor and the response report
 * (issue 14), through the same verbs, audit rows and role checks as the admin API.
 */

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { config: { loginRateLimit: 50, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const signedIn = (user: TestUser) => signedInVisitor(t.app, user);

const version = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

async function openIncident(title = 'Checkout errors', severity: 'P1' | 'P2' | 'P3' = 'P2') {
  return createIncident(actingAs(t.app, responder.actor), { title, severity, status: 'investigating', message: 'First' });
}

async function resolvedIncident(title: string) {
  const incident = await openIncident(title);
  await resolveIncident(actingAs(t.app, responder.actor), incident.id, { message: 'Fixed', summary: 'A bad deploy', postmortemDueAt: '2030-01-10T23:59:59Z' }, null);
  return incident;
}

describe('role pickers', () => {
  test('sets the roles with the API verb and its audit row', async () => {
    const incident = await openIncident();
    const visitor = await signedIn(responder);
    const page = await visitor.get(`/admin/incidents/${incident.id}`);
    expect(page.body).toContain('<label for="role-commander">Incident commander</label>');
    expect(page.body).toContain('<label for="role-techLead">Technical lead</label>');
    expect(page.body).toContain('<label for="role-commsLead">Communications lead</label>');
    expect(page.body).toContain('<label for="role-scribe">Scribe</label>');
    const res = await visitor.post(`/admin/incidents/${incident.id}/roles`, {
      version: version(page.body),
      commander: owner.actor.id,
      techLead: '',
      commsLead: responder.actor.id,
      scribe: '',
    });
    expect(res.statusCode).toBe(303);
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row).toMatchObject({ commanderId: owner.actor.id, commsLeadId: responder.actor.id, techLeadId: null, scribeId: null });
    const audit = await t.app.db.select().from(auditLog).where(and(eq(auditLog.targetId, incident.id), eq(auditLog.action, 'incident.patch')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: responder.actor.id });
    const again = await visitor.get(`/admin/incidents/${incident.id}`);
    expect(again.body).toContain(`<option value="${owner.actor.id}" selected>`);
  });

  test('an id that is no user is refused beside the pickers, nothing saved', async () => {
    const incident = await openIncident();
    const visitor = await signedIn(responder);
    const page = await visitor.get(`/admin/incidents/${incident.id}`);
    const res = await visitor.post(`/admin/incidents/${incident.id}/roles`, { version: version(page.body), commander: 'not-a-user' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="roles-error"');
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.commanderId).toBeNull();
  });

  test('a roles form opened before the incident changed says so and saves nothing', async () => {
    const incident = await openIncident();
    const visitor = await signedIn(responder);
    const page = await visitor.get(`/admin/incidents/${incident.id}`);
    expect((await visitor.post(`/admin/incidents/${incident.id}/updates`, { version: version(page.body), status: 'identified', message: 'Found it' })).statusCode).toBe(303);
    const res = await visitor.post(`/admin/incidents/${incident.id}/roles`, { version: version(page.body), commander: owner.actor.id });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('changed since you opened it');
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.commanderId).toBeNull();
  });

  test('a viewer sees the roles read-only and gets 403 posting them; no CSRF token is a 403', async () => {
    const incident = await openIncident();
    const reader = await signedIn(viewer);
    const page = await reader.get(`/admin/incidents/${incident.id}`);
    expect(page.body).not.toContain('Save roles');
    expect((await reader.post(`/admin/incidents/${incident.id}/roles`, { commander: viewer.actor.id })).statusCode).toBe(403);
    const visitor = await signedIn(responder);
    await visitor.get(`/admin/incidents/${incident.id}`);
    expect((await visitor.post(`/admin/incidents/${incident.id}/roles`, { _csrf: null, commander: responder.actor.id })).statusCode).toBe(403);
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.commanderId).toBeNull();
  });
});

describe('stage templates in the composer', () => {
  test('offers the next stage’s templates first and fills the composer without script', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'Payments API' });
    const ctx = actingAs(t.app, owner.actor);
    await createTemplate(ctx, { name: 'Still looking', title: 'x', severity: 'P2', status: 'investigating', message: 'Still looking at {{component}}.' });
    const found = await createTemplate(ctx, {
      name: 'Cause found',
      title: 'x',
      severity: 'P2',
      status: 'identified',
      message: 'We found the cause in {{component}}.',
      componentStatuses: { [api.id]: 'partial_outage' },
    });
    // `{{component}}` names the incident's own components first, then the template's.
    const website = await makeComponent(t.app, owner.actor, { name: 'Website' });
    const incident = await createIncident(actingAs(t.app, responder.actor), {
      title: 'Slow payments',
      severity: 'P2',
      status: 'investigating',
      message: 'First',
      componentStatuses: { [website.id]: 'degraded_performance' },
    });
    const visitor = await signedIn(responder);
    const page = await visitor.get(`/admin/incidents/${incident.id}`);
    const forStage = page.body.indexOf('<optgroup label="For Identified">');
    expect(forStage).toBeGreaterThan(-1);
    expect(page.body.indexOf('Cause found')).toBeGreaterThan(forStage);
    expect(page.body.indexOf('Cause found')).toBeLessThan(page.body.indexOf('<optgroup label="Other stages">'));

    const res = await visitor.post(`/admin/incidents/${incident.id}/updates`, {
      version: version(page.body),
      action: 'use-template',
      template: found.id,
      status: 'identified',
      message: '',
      notify: 'on',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('We found the cause in Website and Payments API.</textarea>');
    expect(res.body).toMatch(new RegExp(`id="component-${api.id}"[^>]*>[\\s\\S]*?<option value="partial_outage" selected>`));
    // Nothing was posted: the form is only filled.
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.status).toBe('investigating');
  });
});

describe('the postmortem editor', () => {
  test('prefills the timeline, keeps the text on a refusal, adds a row without script, saves and publishes', async () => {
    const incident = await resolvedIncident('Database failover');
    const visitor = await signedIn(responder);
    const form = await visitor.get(`/admin/incidents/${incident.id}/postmortem`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('investigating: First</textarea>');
    expect(form.body).toContain('<label for="summary">Summary</label>');
    expect(form.body).toContain('<label for="why-4">Why 5</label>');
    const rows = Number(/name="timelineRows" value="(\d+)"/.exec(form.body)![1]);
    expect(rows).toBeGreaterThanOrEqual(2);

    const fields = {
      summary: '',
      rootCause: 'A full disk on the primary.',
      'why-0': 'The disk filled',
      whyRows: '5',
      contributingFactors: 'No disk alert\nOld runbook',
      timelineRows: '1',
      'timeline-0-at': 'yesterday',
      'timeline-0-text': 'We paged the on-call',
      'timeline-0-source': 'author',
      actionRows: '1',
      'action-0-title': 'Add a disk alert',
      'action-0-owner': 'SRE',
      'action-0-due': '2030-02-01',
      action: 'save',
    };
    const refused = await visitor.post(`/admin/incidents/${incident.id}/postmortem`, fields);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('id="summary-error"');
    expect(refused.body).toContain('id="timeline-error"');
    expect(refused.body).toContain('A full disk on the primary.</textarea>');
    expect(refused.body).toContain('value="Add a disk alert"');
    expect(refused.body).toContain('No disk alert\nOld runbook</textarea>');
    expect(await t.app.db.select().from(postmortems).where(eq(postmortems.incidentId, incident.id))).toHaveLength(0);

    const added = await visitor.post(`/admin/incidents/${incident.id}/postmortem`, { ...fields, action: 'add-action' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('name="actionRows" value="2"');
    expect(added.body).toContain('id="action-1-title"');

    const good = { ...fields, summary: 'The primary database ran out of disk.', 'timeline-0-at': '2026-12-07T10:00:00Z' };
    expect((await visitor.post(`/admin/incidents/${incident.id}/postmortem`, good)).statusCode).toBe(303);
    const [saved] = await t.app.db.select().from(postmortems).where(eq(postmortems.incidentId, incident.id));
    expect(saved).toMatchObject({
      summary: 'The primary database ran out of disk.',
      whys: ['The disk filled'],
      contributingFactors: ['No disk alert', 'Old runbook'],
      actionItems: [{ title: 'Add a disk alert', owner: 'SRE', dueDate: '2030-02-01', done: false }],
      publishedAt: null,
    });
    const [put] = await t.app.db.select().from(auditLog).where(and(eq(auditLog.targetId, incident.id), eq(auditLog.action, 'postmortem.put')));
    expect(put).toMatchObject({ actorId: responder.actor.id });

    await visitor.get(`/admin/incidents/${incident.id}/postmortem`);
    expect((await visitor.post(`/admin/incidents/${incident.id}/postmortem`, { ...good, action: 'publish' })).statusCode).toBe(303);
    const publicPage = await t.app.inject({ url: `/incidents/${incident.id}` });
    expect(publicPage.body).toContain('The primary database ran out of disk.');
    expect(publicPage.body).toContain('Add a disk alert');
  });

  test('publishing without a root cause says why, the text kept', async () => {
    const incident = await resolvedIncident('Cache stampede');
    const visitor = await signedIn(responder);
    await visitor.get(`/admin/incidents/${incident.id}/postmortem`);
    const res = await visitor.post(`/admin/incidents/${incident.id}/postmortem`, { summary: 'Kept summary', rootCause: '', action: 'publish' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('root cause');
    expect(res.body).toContain('Kept summary</textarea>');
  });

  test('a save over one made meanwhile keeps the text and says so; saving again then replaces it', async () => {
    const incident = await resolvedIncident('Two editors');
    const ann = await signedIn(responder);
    const bob = await signedIn(owner);
    const url = `/admin/incidents/${incident.id}/postmortem`;
    const annForm = await ann.get(url);
    expect(annForm.body).toContain('name="version" value="0"');
    await bob.get(url);
    expect((await bob.post(url, { version: '0', summary: 'Bob’s summary', action: 'save' })).statusCode).toBe(303);

    const stale = await ann.post(url, { version: '0', summary: 'Ann’s long summary', rootCause: 'Ann’s cause', action: 'save' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else saved this postmortem after you opened it');
    expect(stale.body).toContain('Ann’s long summary</textarea>');
    expect(stale.body).toContain('Ann’s cause</textarea>');
    expect(stale.body).toContain('name="version" value="1"');
    const [kept] = await t.app.db.select().from(postmortems).where(eq(postmortems.incidentId, incident.id));
    expect(kept).toMatchObject({ summary: 'Bob’s summary', version: 1 });

    expect((await ann.post(url, { version: '1', summary: 'Ann’s long summary', action: 'save' })).statusCode).toBe(303);
    const [replaced] = await t.app.db.select().from(postmortems).where(eq(postmortems.incidentId, incident.id));
    expect(replaced).toMatchObject({ summary: 'Ann’s long summary', version: 2 });
  });

  test('a viewer reads it without a form and gets 403 posting; a post without its CSRF token is a 403 writing nothing', async () => {
    const incident = await resolvedIncident('Queue backlog');
    const reader = await signedIn(viewer);
    const unwritten = await reader.get(`/admin/incidents/${incident.id}/postmortem`);
    expect(unwritten.statusCode).toBe(200);
    expect(unwritten.body).toContain('Not written yet.');
    expect(unwritten.body).not.toContain(`action="/admin/incidents/${incident.id}/postmortem"`);
    expect((await reader.post(`/admin/incidents/${incident.id}/postmortem`, { summary: 'Nope', action: 'save' })).statusCode).toBe(403);
    const visitor = await signedIn(responder);
    await visitor.get(`/admin/incidents/${incident.id}/postmortem`);
    expect((await visitor.post(`/admin/incidents/${incident.id}/postmortem`, { _csrf: null, summary: 'Forged', action: 'save' })).statusCode).toBe(403);
    expect(await t.app.db.select().from(postmortems).where(eq(postmortems.incidentId, incident.id))).toHaveLength(0);
  });
});

describe('the postmortem, read by a viewer', () => {
  test('shows a draft’s every part, Markdown rendered and text escaped, with no form', async () => {
    const incident = await resolvedIncident('Index dropped');
    const writer = await signedIn(responder);
    const url = `/admin/incidents/${incident.id}/postmortem`;
    await writer.get(url);
    const fields = {
      summary: 'Searches took **seconds**. <script>alert(1)</script>',
      rootCause: 'A migration dropped an index.',
      whyRows: '1',
      'why-0': 'The <index> was dropped',
      contributingFactors: 'No query-time alert',
      timelineRows: '1',
      'timeline-0-at': '2026-12-07T10:00:00Z',
      'timeline-0-text': 'Paged the on-call',
      'timeline-0-source': 'note',
      'timeline-0-internal': 'on',
      actionRows: '1',
      'action-0-title': 'Alert on slow queries',
      'action-0-owner': 'Search team',
      'action-0-due': '2030-02-01',
      action: 'save',
    };
    expect((await writer.post(url, fields)).statusCode).toBe(303);
    const reader = await signedIn(viewer);
    expect((await reader.get(`/admin/incidents/${incident.id}`)).body).toContain(`<a href="${url}">Read the postmortem</a>`);

    const page = await reader.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>Draft</strong>, not published.');
    expect(page.body).toContain('<strong>seconds</strong>');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('A migration dropped an index.');
    expect(page.body).toContain('The &lt;index&gt; was dropped');
    expect(page.body).toContain('No query-time alert');
    expect(page.body).toMatch(/class="note"><time[^>]*>[^<]+<\/time> <strong>Internal<\/strong><p>Paged the on-call<\/p>/);
    expect(page.body).toContain('Owner: Search team · due 2030-02-01 · Open');
    expect(page.body).not.toMatch(/<textarea|name="summary"|name="action"/);
    expect(page.body).not.toContain(`action="${url}"`);
  });
});

describe('the response report', () => {
  test('shows the API’s numbers with a chart and a table each; a viewer may read it', async () => {
    await openIncident('Reported incident', 'P1');
    const reader = await signedIn(viewer);
    const today = new Date().toISOString().slice(0, 10);
    const page = await reader.get(`/admin/reports?from=${today}&to=${today}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/admin/reports" aria-current="page">Reports</a>');
    expect(page.body.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(page.body.match(/<table class="chart-table">/g)).toHaveLength(3);
    expect(page.body).toContain('<title id="chart-1-title">Time to first public update, per incident</title>');
    expect(page.body).toContain('5-minute target');
    expect(page.body).toContain('<th scope="row">Reported incident</th>');
  });

  test('a bad range is refused beside its field, the text kept', async () => {
    const reader = await signedIn(viewer);
    const res = await reader.get('/admin/reports?from=2026-13-01&to=2026-11-30');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="from-error"');
    expect(res.body).toContain('value="2026-13-01"');
  });
});
