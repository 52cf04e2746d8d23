import { eq } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { notificationDeliveries, notifications } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { alertmanagerPost } from '../../fixtures/alertmanager.js';

/**
 * The seams between alert intake, templates and the subscribers' outbox: an alert's draft
 * announces nothing until a person publishes it, then exactly once; an incident opened from a
 * template is announced like any other opening, in the same transaction.
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let ingestToken: string;

test.override('appOptions', { now: clock.now });
test.beforeAll(async ({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
  await makeComponent(t.app, owner.actor, { name: 'Payments API' });
  const token = await api().post('/api/admin/tokens').set(owner.auth).send({ name: 'alertmanager', scopes: ['ingest'] }).expect(201);
  ingestToken = token.body.token;
  await api().post('/api/admin/subscribers/import').set(owner.auth).send({ confirmed: true, subscribers: [{ email: 'everything@example.org' }] }).expect(200);
});

const api = () => request(t.app.server);
const ingest = (body: unknown) =>
  api().post('/api/ingest/alertmanager').set({ authorization: `Bearer ${ingestToken}` }).set('content-type', 'application/json').send(JSON.stringify(body));

/** The kind of each delivery announcing an incident (one subscriber here: one per announcement). */
async function announced(incidentId: string) {
  const rows = await t.app.db
    .select({ kind: notifications.kind })
    .from(notifications)
    .innerJoin(notificationDeliveries, eq(notificationDeliveries.notificationId, notifications.id))
    .where(eq(notifications.incidentId, incidentId));
  return rows.map((r) => r.kind);
}

describe('announcements of incidents opened by machines and templates', () => {
  it('an alert draft announces nothing; its publication is announced once', async () => {
    const opened = await ingest(alertmanagerPost('firing', { groupKey: '{}:{seam="publish"}' })).expect(200);
    const id = opened.body.incidentId as string;
    clock.advance(60_000);
    await ingest(alertmanagerPost('firing', { groupKey: '{}:{seam="publish"}', severity: 'critical' })).expect(200);
    await api().post(`/api/admin/incidents/${id}/updates`).set(responder.auth).send({ status: 'identified', message: 'Held back.' }).expect(201);
    expect(await announced(id)).toEqual([]);

    clock.advance(60_000);
    await api().post(`/api/admin/incidents/${id}/publish`).set(responder.auth).expect(200);
    expect(await announced(id)).toEqual(['incident.created']);
    await api().post(`/api/admin/incidents/${id}/publish`).set(responder.auth).expect(409);
    await ingest(alertmanagerPost('resolved', { groupKey: '{}:{seam="publish"}' })).expect(200);
    expect(await announced(id)).toEqual(['incident.created']);

    clock.advance(60_000);
    await api().post(`/api/admin/incidents/${id}/resolve`).set(responder.auth).send({ message: 'Fixed.', summary: 'A bad deploy.', postmortemDueAt: '2026-12-01T00:00:00Z' }).expect(200);
    expect((await announced(id)).sort()).toEqual(['incident.created', 'incident.resolved']);
  });

  it('an incident opened from a template is announced once, with its filled title', async () => {
    const template = await api()
      .post('/api/admin/incident-templates')
      .set(responder.auth)
      .send({ name: 'Slow', title: 'Slow responses ({{region}})', severity: 'P2', status: 'investigating', message: 'We are looking into it.' })
      .expect(201);
    const opened = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.body.id, variables: { region: 'eu' } }).expect(201);
    expect(await announced(opened.body.id)).toEqual(['incident.created']);
    const [notice] = await t.app.db.select().from(notifications).where(eq(notifications.incidentId, opened.body.id));
    expect(notice!.subject).toContain('Slow responses (eu)');
  });
});
