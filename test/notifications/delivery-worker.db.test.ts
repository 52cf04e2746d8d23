import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationDeliveries } from '../../src/db/schema/index.js';
import { createWorker } from '../../src/notifications/delivery-worker.js';
import { enqueueDirectMail, enqueueNotification } from '../../src/notifications/outbox.js';
import { createMailer } from '../../src/notifications/mailer.js';
import { systemResolver } from '../../src/notifications/webhook-sender.js';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { makeUser, type TestUser } from '../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

describe('delivery worker', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let owner: TestUser;
  const clock = new TestClock();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      now: clock.now,
      config: { smtpUrl: smtp.url, deliveryMaxAttempts: 3, deliveryRetrySeconds: 60, workerConcurrency: 4 },
    });
    owner = await makeUser(t.app, 'owner');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const drain = () => t.app.notifications.worker.drain();
  const importConfirmed = (emails: string[]) =>
    request(t.app.server)
      .post('/api/admin/subscribers/import')
      .set(owner.auth)
      .send({ subscribers: emails.map((email) => ({ email })), confirmed: true })
      .expect(200);
  const rowsOf = (notificationId: string) =>
    t.app.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, notificationId));
  const event = (dedupeKey: string) => ({
    kind: 'test.event',
    componentIds: [],
    mail: { subject: `Event ${dedupeKey}`, text: 'Body', html: '<!doctype html><html><body><p>Body</p></body></html>' },
    webhook: { dedupeKey },
    dedupeKey,
  });

  it('retries with backoff while the SMTP server is down, and delivers once it is back', async () => {
    await importConfirmed(['retry-1@example.org', 'retry-2@example.org']);
    const port = smtp.port;
    await smtp.stop();
    const { notificationId } = await t.app.db.transaction((tx) => enqueueNotification(tx, event('down'), clock.now()));
    expect(await drain()).toBe(2);
    let rows = await rowsOf(notificationId!);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['failed', 1], ['failed', 1]]);
    expect(rows[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);

    // Not due before the backoff has passed.
    clock.advanceSeconds(30);
    expect(await drain()).toBe(0);

    smtp = await startSmtpSink({ port });
    clock.advanceSeconds(31);
    expect(await drain()).toBe(2);
    rows = await rowsOf(notificationId!);
    expect(rows.map((r) => [r.status, r.attempts, r.sentVia])).toEqual([['sent', 2, 'smtp'], ['sent', 2, 'smtp']]);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Event down', 'Event down']);
  });

  it('gives up after the last attempt and keeps the error', async () => {
    smtp.refuse = true;
    const { notificationId } = await t.app.db.transaction((tx) =>
      enqueueDirectMail(tx, { to: 'comms@example.org', subject: 'Update due', text: 'Post an update.', dedupeKey: 'reminder-1' }, clock.now()),
    );
    for (let i = 0; i < 3; i += 1) {
      expect(await drain()).toBe(1);
      clock.advanceSeconds(3600);
    }
    expect(await drain()).toBe(0);
    const [row] = await rowsOf(notificationId!);
    expect(row).toMatchObject({ status: 'dead', attempts: 3 });
    expect(row!.lastError).toMatch(/451|Mailbox unavailable/);
    smtp.refuse = false;
  });

  it('queues staff mail once per dedupe key and sends it without an unsubscribe link', async () => {
    const mail = { to: 'lead@example.org', subject: 'Reminder', text: 'An update is due.', dedupeKey: 'reminder-2' };
    const first = await t.app.db.transaction((tx) => enqueueDirectMail(tx, mail, clock.now()));
    const second = await t.app.db.transaction((tx) => enqueueDirectMail(tx, mail, clock.now()));
    expect(first.emails).toBe(1);
    expect(second.notificationId).toBeNull();
    const before = smtp.messages.length;
    await drain();
    const [sent] = smtp.messages.slice(before);
    expect(sent!.subject).toBe('Reminder');
    expect(sent!.text).not.toContain('nsubscribe');
    expect(sent!.headerLines.some((h) => h.key === 'list-unsubscribe')).toBe(false);
    await expect(t.app.db.transaction((tx) => enqueueDirectMail(tx, { ...mail, to: 'x@y.org\r\nBcc: z@w.org', dedupeKey: 'bad' }, clock.now()))).rejects.toThrow(/address/);
  });

  it('lets several workers drain one queue without sending anything twice', async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `many-${i}@example.org`);
    await importConfirmed(emails);
    const before = smtp.messages.length;
    const { notificationId, emails: queued } = await t.app.db.transaction((tx) => enqueueNotification(tx, event('many'), clock.now()));
    expect(queued).toBe(42);
    const config = testConfig({ smtpUrl: smtp.url, workerConcurrency: 3 });
    const mailers = [1, 2, 3].map(() => createMailer({ smtpUrl: smtp.url, from: config.mailFrom, maxConnections: 3, log: t.app.log }));
    const workers = mailers.map((mailer) =>
      createWorker(config, {
        db: t.app.db,
        mailer,
        tokens: t.app.notifications.tokens,
        site: t.app.site,
        now: clock.now,
        resolver: systemResolver,
        log: t.app.log,
      }),
    );
    const counts = await Promise.all(workers.map((w) => w.drain()));
    await Promise.all(mailers.map((m) => m.close()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(42);
    const received = smtp.messages.slice(before).map((m) => m.messageId);
    expect(new Set(received).size).toBe(42);
    expect((await rowsOf(notificationId!)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('shows per-update delivery counts in the admin incident detail', async () => {
    smtp.refuse = true;
    const created = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Queue test', severity: 'P3', status: 'investigating', message: 'Looking.' })
      .expect(201);
    const total = created.body.updates[0].deliveries.pending;
    expect(total).toBeGreaterThan(40);
    await drain();
    const detail = await request(t.app.server).get(`/api/admin/incidents/${created.body.id}`).set(owner.auth).expect(200);
    expect(detail.body.updates[0].deliveries).toEqual({ pending: 0, sent: 0, failed: total, dead: 0 });
    smtp.refuse = false;
  });
});
