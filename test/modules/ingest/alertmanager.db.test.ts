import request from 'supertest';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, incidentNotes, incidents } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { alertmanagerPost, GROUP_KEY } from '../../fixtures/alertmanager.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let ingestToken: { id: string; token: string };
let payments: { id: string; name: string };

test.override('appOptions', {
  now: clock.now,
  config: { alertSeverityMap: { critical: 'P1', warning: 'P2', info: 'P3', page: 'P0' }, alertDefaultSeverity: 'P3' },
});
test.beforeAll(async ({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
  ingestToken = await createToken(['ingest'], 'alertmanager');
  payments = await makeComponent(t.app, owner.actor, { name: 'Payments API' });
});
beforeEach(() => clock.set('2026-11-24T10:00:00Z'));

const api = () => request(t.app.server);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createToken(scopes: string[], name: string) {
  const res = await api().post('/api/admin/tokens').set(owner.auth).send({ name, scopes });
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string };
}

const post = (body: unknown, token = ingestToken.token) =>
  api().post('/api/ingest/alertmanager').set(bearer(token)).set('content-type', 'application/json').send(JSON.stringify(body));

const detail = async (id: string) => (await api().get(`/api/admin/incidents/${id}`).set(responder.auth)).body;
const countIncidents = async () => (await t.app.db.select().from(incidents)).length;
const componentStatus = async (id: string) =>
  (await api().get('/api/admin/components').set(responder.auth)).body.find((c: { id: string }) => c.id === id).status;

describe('an alert group, from first firing to a new draft after resolution', () => {
  let incidentId: string;

  it('a firing group opens a draft detected at the earliest startsAt, not public', async () => {
    const res = await post(alertmanagerPost('firing'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ action: 'opened', draft: true });
    incidentId = res.body.incidentId;

    const incident = await detail(incidentId);
    expect(incident).toMatchObject({
      title: 'Payments API error rate above 5%',
      severity: 'P1',
      status: 'investigating',
      draft: true,
      // Compared in UTC; PostgreSQL keeps microseconds, JavaScript milliseconds.
      detectedAt: '2026-11-24T09:57:30.123Z',
      startedAt: '2026-11-24T09:57:30.123Z',
      firstUpdateDueAt: '2026-11-24T10:02:30.123Z',
      firstPublicUpdateAt: null,
      components: { [payments.id]: 'partial_outage' },
    });
    expect(incident.updates).toHaveLength(1);
    expect(incident.updates[0]).toMatchObject({ body: 'We are investigating a problem affecting Payments API.', publishedAt: null, authorId: owner.actor.id });
    // The alert's details are internal: in the note, never in the held-back update.
    expect(incident.notes).toHaveLength(1);
    expect(incident.notes[0].text).toContain('Draft opened: 2 alert(s) firing');
    expect(incident.notes[0].text).toContain('payments-1:8080');
    expect(incident.notes[0].text).toContain('payments-2:8080');
    expect(incident.notes[0].text).toContain('http://prometheus.example.com:9090/graph');
    expect(incident.updates[0].body).not.toContain('payments-1');

    // A draft holds its component statuses back.
    expect(await componentStatus(payments.id)).toBe('operational');
    expect((await api().get('/')).text).not.toContain('Payments API error rate');
    expect((await api().get(`/incidents/${incidentId}`)).status).toBe(404);
    expect((await api().get('/feed.rss')).text).not.toContain('Payments API error rate');

    // The audit log says which token acted, for the owner who created it.
    const [created] = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, incidentId));
    expect(created).toMatchObject({ action: 'incident.create', actorId: owner.actor.id, tokenId: ingestToken.id });
  });

  it('an unchanged repeat joins the draft and adds nothing', async () => {
    clock.set('2026-11-24T10:00:30Z');
    const res = await post(alertmanagerPost('firing'));
    expect(res.body).toEqual({ action: 'joined', incidentId, draft: true });
    expect((await detail(incidentId)).notes).toHaveLength(1);
  });

  it('a new alert in the group is noted on the draft', async () => {
    const body = alertmanagerPost('firing');
    body.alerts.push({ ...body.alerts[0]!, labels: { ...body.alerts[0]!.labels, instance: 'payments-3:8080' }, fingerprint: '0123456789abcdef' });
    const res = await post(body);
    expect(res.body).toMatchObject({ action: 'joined', incidentId });
    const notes = (await detail(incidentId)).notes;
    expect(notes).toHaveLength(2);
    expect(notes[1].text).toContain('1 more alert(s) firing');
    expect(notes[1].text).toContain('payments-3:8080');
  });

  it('the comms lead publishes it in one call; the first-update clock ran from detectedAt', async () => {
    clock.set('2026-11-24T10:01:00Z');
    const res = await api().post(`/api/admin/incidents/${incidentId}/publish`).set(responder.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      draft: false,
      detectedAt: '2026-11-24T09:57:30.123Z',
      firstPublicUpdateAt: '2026-11-24T10:01:00.000Z',
      timeToFirstUpdateSeconds: 210,
      firstUpdateBreached: false,
    });
    expect(await componentStatus(payments.id)).toBe('partial_outage');
    const page = await api().get('/');
    expect(page.text).toContain('Payments API error rate above 5%');
    expect(page.text).toContain('We are investigating a problem affecting Payments API.');
  });

  it('a firing that joins the published incident adds a note, never a public update', async () => {
    const body = alertmanagerPost('firing');
    body.alerts[0]!.fingerprint = 'fedcba9876543210';
    const res = await post(body);
    expect(res.body).toMatchObject({ action: 'joined', incidentId, draft: false });
    const incident = await detail(incidentId);
    expect(incident.updates).toHaveLength(1);
    expect(incident.notes.at(-1).text).toContain('1 more alert(s) firing');
  });

  it('a resolved post adds an internal note and leaves resolving to a person', async () => {
    clock.set('2026-11-24T10:22:00Z');
    const res = await post(alertmanagerPost('resolved'));
    expect(res.body).toEqual({ action: 'noted', incidentId, draft: false });
    const incident = await detail(incidentId);
    expect(incident.status).toBe('investigating');
    expect(incident.resolvedAt).toBeNull();
    const note = incident.notes.at(-1);
    expect(note.text).toContain('All alerts of the group resolved');
    expect(note.text).toContain('ended 2026-11-24T10:20:30.5Z');
    expect((await api().get(`/incidents/${incidentId}`)).text).not.toContain('All alerts of the group resolved');
  });

  it('after the incident is resolved, the group firing again opens a new draft', async () => {
    clock.set('2026-11-24T10:30:00Z');
    await api()
      .post(`/api/admin/incidents/${incidentId}/resolve`)
      .set(responder.auth)
      .send({ message: 'Resolved.', summary: 'Errors on the payments API.', postmortemDueAt: '2026-12-01T17:00:00Z' })
      .expect(200);
    const late = await post(alertmanagerPost('resolved'));
    expect(late.body).toEqual({ action: 'ignored', incidentId: null, draft: null });
    const res = await post(alertmanagerPost('firing'));
    expect(res.body.action).toBe('opened');
    expect(res.body.incidentId).not.toBe(incidentId);
    expect((await detail(res.body.incidentId)).draft).toBe(true);
  });
});

describe('mapping', () => {
  it('severity from the label through the configured map; P0–P3 as themselves; unknown → the default', async () => {
    for (const [label, severity] of [['page', 'P0'], ['P2', 'P2'], ['warning', 'P2'], ['unheard-of', 'P3']] as const) {
      const res = await post(alertmanagerPost('firing', { groupKey: `{}:{sev="${label}"}`, severity: label }));
      expect(res.body.action).toBe('opened');
      expect((await detail(res.body.incidentId)).severity, label).toBe(severity);
    }
  });

  it('a component by id; an unknown component is named in the note and left out', async () => {
    const byId = await post(alertmanagerPost('firing', { groupKey: '{}:{by="id"}', component: payments.id.toUpperCase(), severity: 'P0' }));
    expect((await detail(byId.body.incidentId)).components).toEqual({ [payments.id]: 'major_outage' });
    const unknown = await post(alertmanagerPost('firing', { groupKey: '{}:{by="nothing"}', component: 'Warp drive' }));
    const incident = await detail(unknown.body.incidentId);
    expect(incident.components).toEqual({});
    expect(incident.updates[0].body).toBe('We are investigating a problem affecting our services.');
    expect(incident.notes[0].text).toContain('No component matches the component label "Warp drive"');
  });
});

describe('refusals', () => {
  it('bad payloads are a 400 and create nothing', async () => {
    const good = alertmanagerPost('firing', { groupKey: '{}:{bad="payload"}' });
    const variants: unknown[] = [
      { ...good, version: '3' },
      { ...good, groupKey: undefined },
      { ...good, status: 'pending' },
      { ...good, alerts: [] },
      { ...good, alerts: undefined },
      { ...good, truncatedAlerts: -1 },
      { ...good, commonLabels: { severity: 1 } },
      { ...good, alerts: [{ ...good.alerts[0], startsAt: '2026-11-24 09:57:30' }] },
      { ...good, alerts: [{ ...good.alerts[0], labels: { alertname: ['x'] } }] },
      { ...good, alerts: [{ ...good.alerts[0], fingerprint: undefined }] },
      { ...good, alerts: [{ ...good.alerts[0], annotations: { summary: 'nul \u0000 here' } }] },
      [],
      'not an object',
    ];
    const before = await countIncidents();
    const notesBefore = (await t.app.db.select().from(incidentNotes)).length;
    for (const body of variants) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
    const broken = await api().post('/api/ingest/alertmanager').set(bearer(ingestToken.token)).set('content-type', 'application/json').send('{"version":');
    expect(broken.status).toBe(400);
    const empty = await api().post('/api/ingest/alertmanager').set(bearer(ingestToken.token)).set('content-type', 'application/json');
    expect(empty.status).toBe(400);
    expect(await countIncidents()).toBe(before);
    expect((await t.app.db.select().from(incidentNotes)).length).toBe(notesBefore);
  });

  it('tolerates fields a newer Alertmanager may add', async () => {
    const body = { ...alertmanagerPost('firing', { groupKey: '{}:{extra="fields"}' }), newTopLevel: { x: 1 } };
    body.alerts = body.alerts.map((a) => ({ ...a, newAlertField: 'x' }));
    expect((await post(body)).status).toBe(200);
  });

  it('401 without a token or with a revoked one; 403 without the ingest scope or with a session', async () => {
    const body = alertmanagerPost('firing', { groupKey: '{}:{auth="checks"}' });
    const before = await countIncidents();
    expect((await api().post('/api/ingest/alertmanager').send(body)).status).toBe(401);
    expect((await post(body, 'hg_not-a-real-token')).status).toBe(401);

    const writer = await createToken(['write', 'read'], 'no ingest');
    const noScope = await post(body, writer.token);
    expect(noScope.status).toBe(403);
    expect(noScope.body.error).toBe('HG_FORBIDDEN');
    const session = await api().post('/api/ingest/alertmanager').set(owner.auth).send(body);
    expect(session.status).toBe(403);

    const revoked = await createToken(['ingest'], 'to revoke');
    await api().delete(`/api/admin/tokens/${revoked.id}`).set(owner.auth).expect(204);
    const res = await post(body, revoked.token);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('HG_UNAUTHORIZED');
    expect(await countIncidents()).toBe(before);
  });

  it('403 once the token creator is no longer allowed to open incidents', async () => {
    const maker = await makeUser(t.app, 'owner', 'later a viewer');
    const res = await api().post('/api/admin/tokens').set(maker.auth).send({ name: 'am-2', scopes: ['ingest'] });
    await api().patch(`/api/admin/users/${maker.actor.id}`).set(owner.auth).send({ role: 'viewer' }).expect(200);
    const before = await countIncidents();
    expect((await post(alertmanagerPost('firing', { groupKey: '{}:{creator="demoted"}' }), res.body.token)).status).toBe(403);
    expect(await countIncidents()).toBe(before);
  });
});

describe('the group key', () => {
  // Alertmanager retries, and HA pairs post the same group twice: only one draft may open.
  it('simultaneous posts for one new group open one draft', async () => {
    const body = alertmanagerPost('firing', { groupKey: '{}:{alertname="Simultaneous"}' });
    const results = await Promise.all([post(body), post(body), post(body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.body.action === 'opened')).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.incidentId)).size).toBe(1);
  });

  it('two groups make two drafts; the same key in a fresh post joins', async () => {
    const a = await post(alertmanagerPost('firing', { groupKey: '{}:{alertname="A"}' }));
    const b = await post(alertmanagerPost('firing', { groupKey: '{}:{alertname="B"}' }));
    const again = await post(alertmanagerPost('firing', { groupKey: '{}:{alertname="A"}' }));
    expect(a.body.incidentId).not.toBe(b.body.incidentId);
    expect(again.body).toMatchObject({ action: 'joined', incidentId: a.body.incidentId });
    expect(GROUP_KEY).toContain('HighErrorRate');
  });
});
