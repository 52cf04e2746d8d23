import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { notificationDeliveries, notifications, webhookSubscribers } from '../../src/db/schema/index.js';
import type { TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { makeComponent, type TestUser } from '../helpers/factories.js';
import type { SmtpSink } from '../helpers/smtp.js';
import { test } from '../helpers/fixtures.js';

/**
 * Maintenance, postmortems and reminders reach people through the same outbox as incident
 * updates: real mail through a real SMTP server, filtered by component, each event once.
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let smtp: SmtpSink;
let owner: TestUser;
let comms: TestUser;
let routers: { id: string };
let payments: { id: string };

test.override('appOptions', ({ smtp }) => ({ now: clock.now, config: { smtpUrl: smtp.url } }));
test.beforeAll(async ({ testApp, smtp: sink, owner: o, responder: r }) => {
  t = testApp;
  smtp = sink;
  owner = o;
  comms = r;
  routers = await makeComponent(t.app, owner.actor, { name: 'Routers' });
  payments = await makeComponent(t.app, owner.actor, { name: 'Payments' });
  await api()
    .post('/api/admin/subscribers/import')
    .set(owner.auth)
    .send({
      confirmed: true,
      subscribers: [
        { email: 'everything@example.org' },
        { email: 'routers@example.org', componentIds: [routers.id] },
        { email: 'payments@example.org', componentIds: [payments.id] },
      ],
    })
    .expect(200);
});
beforeEach(() => {
  smtp.messages.length = 0;
});

function api() {
  return request(t.app.server);
}

const headerLine = (mail: ParsedMail, key: string) => mail.headerLines.find((h) => h.key === key)?.line;

/** Sends what is queued and returns who got which subject, sorted. */
async function delivered(): Promise<Array<[string, string]>> {
  await t.app.notifications.worker.drain();
  const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text;
  return smtp.messages.map((m): [string, string] => [to(m), m.subject ?? '']).sort();
}

describe('announcements through the outbox', () => {
  it('maintenance: scheduled, started and completed, each once, to the subscribers of its components', async () => {
    const m = await api()
      .post('/api/admin/maintenances')
      .set(comms.auth)
      .send({ title: 'Router upgrade', body: 'New firmware.', scheduledFor: '2026-11-24T12:00:00Z', scheduledUntil: '2026-11-24T13:00:00Z', componentIds: [routers.id] })
      .expect(201);
    const scheduled = await delivered();
    expect(scheduled).toEqual([
      ['everything@example.org', '[Example Status] Scheduled maintenance: Router upgrade'],
      ['routers@example.org', '[Example Status] Scheduled maintenance: Router upgrade'],
    ]);
    expect(headerLine(smtp.messages[0]!, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    smtp.messages.length = 0;
    clock.set('2026-11-24T12:00:00Z');
    expect(await t.app.maintenanceScheduler.tick()).toContainEqual({ id: m.body.id, transition: 'start' });
    await t.app.maintenanceScheduler.tick();
    expect((await delivered()).map(([, subject]) => subject)).toEqual([
      '[Example Status] Maintenance in progress: Router upgrade',
      '[Example Status] Maintenance in progress: Router upgrade',
    ]);

    smtp.messages.length = 0;
    clock.set('2026-11-24T13:00:00Z');
    await t.app.maintenanceScheduler.tick();
    const completed = await delivered();
    expect(completed.map(([to]) => to)).toEqual(['everything@example.org', 'routers@example.org']);
    expect(completed[0]![1]).toBe('[Example Status] Maintenance completed: Router upgrade');
  });

  it('postmortem: published once, to the subscribers of the components its incident touched', async () => {
    clock.set('2026-11-24T14:00:00Z');
    const incident = await api()
      .post('/api/admin/incidents')
      .set(comms.auth)
      .send({ title: 'Payments outage', severity: 'P3', status: 'investigating', message: 'Card payments fail.', componentStatuses: { [payments.id]: 'major_outage' } })
      .expect(201);
    const id = incident.body.id as string;
    await api().post(`/api/admin/incidents/${id}/resolve`).set(comms.auth).send({ message: 'Fixed.', summary: 'A bad deploy.' }).expect(200);
    await delivered();
    smtp.messages.length = 0;

    await api().put(`/api/admin/incidents/${id}/postmortem`).set(comms.auth).send({ summary: 'Thirty minutes of failed payments.', rootCause: 'A pool limit.' }).expect(200);
    await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(comms.auth).expect(200);
    expect(await delivered()).toEqual([
      ['everything@example.org', '[Example Status] Postmortem: Payments outage'],
      ['payments@example.org', '[Example Status] Postmortem: Payments outage'],
    ]);
  });

  it('reminder: the comms lead is mailed when the next update is due, once per due time', async () => {
    clock.set('2026-11-24T16:00:00Z');
    const incident = await api()
      .post('/api/admin/incidents')
      .set(comms.auth)
      .send({ title: 'Slow checkout', severity: 'P1', status: 'investigating', message: 'Checkout is slow.' })
      .expect(201);
    const id = incident.body.id as string;
    await api().post(`/api/admin/incidents/${id}/acknowledge`).set(comms.auth).expect(200);
    await api().patch(`/api/admin/incidents/${id}`).set(comms.auth).send({ roles: { commsLead: comms.actor.id } }).expect(200);
    await delivered();
    smtp.messages.length = 0;

    // P1: the next update is due 15 minutes after the last; the warning goes 2 minutes before.
    clock.set('2026-11-24T16:13:00Z');
    await t.app.reminders.tick();
    await t.app.reminders.tick();
    const mails = await delivered();
    expect(mails).toHaveLength(1);
    expect(mails[0]![0]).toBe(comms.actor.email);
    expect(mails[0]![1]).toContain('Slow checkout');
    // Staff mail, not a subscription: no unsubscribe link.
    expect(headerLine(smtp.messages[0]!, 'list-unsubscribe')).toBeUndefined();
    await api().post(`/api/admin/incidents/${id}/resolve`).set(comms.auth).send({ message: 'Fixed.', summary: 'Done.', postmortemDueAt: '2026-12-01T00:00:00Z' }).expect(200);
  });

  // Regression: a draft's reminders were posted to every webhook subscriber too, so an alert's
  // draft (its title, severity and admin link) reached receivers that only hear public events.
  it('reminder: a draft is reminded to staff by mail, never to webhook subscribers', async () => {
    clock.set('2026-11-24T18:00:00Z');
    // Inserted directly: creating one through the API would resolve a host name.
    await t.app.db.insert(webhookSubscribers).values({ url: 'https://hooks.example.org/status', secret: 'a-secret-of-enough-length', createdAt: clock.now(), updatedAt: clock.now() });
    const draft = await api()
      .post('/api/admin/incidents')
      .set(comms.auth)
      .send({ title: 'Alert: disk full', severity: 'P1', status: 'investigating', message: 'Holding.', draft: true })
      .expect(201);
    const id = draft.body.id as string;
    await api().patch(`/api/admin/incidents/${id}`).set(comms.auth).send({ roles: { commsLead: comms.actor.id } }).expect(200);

    // The first public update is due 5 minutes after detection; the warning goes 2 minutes before.
    clock.set('2026-11-24T18:03:30Z');
    expect((await t.app.reminders.tick()).map((r) => r.kind)).toContain('update_due');
    const channels = await t.app.db
      .select({ channel: notificationDeliveries.channel, recipient: notificationDeliveries.recipient })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(eq(notifications.incidentId, id));
    expect(channels.map((c) => c.channel)).not.toContain('webhook');
    expect(channels.map((c) => c.recipient)).toContain(comms.actor.email);
    await t.app.db.delete(webhookSubscribers);
  });

  it('/metrics counts the real deliveries by state', async () => {
    await delivered();
    const res = await api().get('/metrics').expect(200);
    const sent = /heliograph_deliveries\{state="sent"\} (\d+)/.exec(res.text);
    expect(Number(sent?.[1])).toBeGreaterThanOrEqual(9);
  });
});
