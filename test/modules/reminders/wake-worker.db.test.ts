import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { notifications } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import type { SmtpSink } from '../../helpers/smtp.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
test.override('appOptions', ({ smtp }) => ({ now: clock.now, config: { smtpUrl: smtp.url, worker: true, workerPollMs: 600_000 } }));

// Regression: reminders were queued in the outbox without waking the delivery worker, so a
// reminder waited for the worker's next poll while every other announcement went out at once.
// The poll here is ten minutes: only a wake-up can send the mail within the test.
describe('a reminder wakes the delivery worker', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let comms: TestUser;

  test.beforeAll(({ testApp, smtp: sink, responder: r }) => {
    t = testApp;
    smtp = sink;
    comms = r;
  });

  it('sends the comms lead the reminder without waiting for a poll', async () => {
    const created = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(comms.auth)
      .send({ title: 'Queue backlog', severity: 'P2', status: 'investigating', message: 'Jobs are delayed.', draft: true })
      .expect(201);
    await request(t.app.server).patch(`/api/admin/incidents/${created.body.id}`).set(comms.auth).send({ roles: { commsLead: comms.actor.id } }).expect(200);

    clock.set('2026-11-24T10:03:30Z');
    expect(await t.app.reminders.tick()).toHaveLength(1);
    await vi.waitFor(() => expect(smtp.messages).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect(smtp.messages[0]!.subject).toContain('Queue backlog');
  });

  // Regression: reminders of public incidents went to subscriber webhooks in a private shape
  // (severity, admin link) that Statuspage handlers fail on. They are for staff only.
  it('sends subscriber webhooks nothing for a reminder of a public incident', async () => {
    clock.set('2026-11-24T11:00:00Z');
    const created = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(comms.auth)
      .send({ title: 'Login errors', severity: 'P2', status: 'investigating', message: 'Some logins fail.' })
      .expect(201);
    await request(t.app.server).patch(`/api/admin/incidents/${created.body.id}`).set(comms.auth).send({ roles: { commsLead: comms.actor.id } }).expect(200);
    clock.set('2026-11-24T11:45:00Z');
    expect((await t.app.reminders.tick()).length).toBeGreaterThan(0);
    const kinds = await t.app.db.select({ kind: notifications.kind }).from(notifications);
    expect(kinds.map((row) => row.kind).filter((kind) => kind.startsWith('reminder'))).toEqual([]);
    expect(kinds.map((row) => row.kind)).toContain('incident.created');
  });
});
