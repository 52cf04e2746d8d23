import request from 'supertest';
import { eq, isNull } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { incidents, reminders } from '../../../src/db/schema/index.js';
import { DEFAULT_RESPONSE_TARGETS } from '../../../src/domain/response-clocks.js';
import { systemContext } from '../../../src/modules/context.js';
import type { Reminder, ReminderNotifier } from '../../../src/modules/reminders/reminder-notifier.js';
import { ReminderScheduler } from '../../../src/modules/reminders/reminder-scheduler.js';
import { buildApp } from '../../../src/app.js';
import { testConfig, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
const sent: Reminder[] = [];
let failNext = false;
const recording: ReminderNotifier = async (_tx, reminder) => {
  if (failNext) {
    failNext = false;
    throw new Error('mail relay down');
  }
  sent.push(reminder);
};

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let comms: TestUser;
let commander: TestUser;

test.override('appOptions', { now: clock.now, extra: { reminderNotifier: recording } });
test.beforeAll(async ({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
  comms = await makeUser(t.app, 'responder', 'comms');
  commander = await makeUser(t.app, 'responder', 'commander');
});
beforeEach(async () => {
  // Each test starts with no open incident left by another, so a tick sees only its own.
  clock.set('2026-11-24T10:00:00Z');
  await t.app.db.update(incidents).set({ resolvedAt: clock.now(), status: 'resolved' }).where(isNull(incidents.resolvedAt));
  sent.length = 0;
});

const api = () => request(t.app.server);

async function open(body: Record<string, unknown>, roles?: Record<string, string | null>) {
  const res = await api()
    .post('/api/admin/incidents')
    .set(responder.auth)
    .send({ title: 'Checkout errors', severity: 'P2', status: 'investigating', message: 'Looking into it.', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (roles) {
    const patched = await api().patch(`/api/admin/incidents/${res.body.id}`).set(responder.auth).send({ roles });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  }
  return res.body as { id: string };
}

const kinds = (list: Reminder[]) => list.map((r) => [r.kind, r.dueAt.toISOString(), r.recipients.map((u) => u.email)]);

describe('reminder scheduler', () => {
  it('warns the comms lead 2 minutes before a draft’s first update is due, then once when overdue', async () => {
    const incident = await open({ draft: true }, { commsLead: comms.actor.id });
    clock.set('2026-11-24T10:02:59Z');
    expect(await t.app.reminders.tick()).toEqual([]);

    clock.set('2026-11-24T10:03:00Z');
    expect(kinds(await t.app.reminders.tick())).toEqual([['update_due', '2026-11-24T10:05:00.000Z', [comms.actor.email]]]);
    // The same due time is never warned about twice.
    expect(await t.app.reminders.tick()).toEqual([]);

    clock.set('2026-11-24T10:05:00.001Z');
    const overdue = await t.app.reminders.tick();
    expect(kinds(overdue)).toEqual([['update_overdue', '2026-11-24T10:05:00.000Z', [comms.actor.email]]]);
    expect(overdue[0]!.content.subject).toBe('[P2] First public update overdue (still a draft): Checkout errors');
    expect(await t.app.reminders.tick()).toEqual([]);
    expect(sent).toHaveLength(2);

    // The detail shows what was sent.
    const detail = await api().get(`/api/admin/incidents/${incident.id}`).set(owner.auth);
    expect(detail.body.reminders).toEqual([
      { kind: 'update_due', dueAt: '2026-11-24T10:05:00.000Z', sentAt: '2026-11-24T10:03:00.000Z', recipients: [comms.actor.email] },
      { kind: 'update_overdue', dueAt: '2026-11-24T10:05:00.000Z', sentAt: '2026-11-24T10:05:00.001Z', recipients: [comms.actor.email] },
    ]);
  });

  it('a public update moves the due time on: the next reminders are about the new one', async () => {
    const incident = await open({}, { commsLead: comms.actor.id });
    clock.set('2026-11-24T10:10:00Z');
    await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).send({ status: 'identified', message: 'Found it.' }).expect(201);
    clock.set('2026-11-24T10:37:59Z');
    expect(await t.app.reminders.tick()).toEqual([]);
    clock.set('2026-11-24T10:38:00Z');
    expect(kinds(await t.app.reminders.tick())).toEqual([['update_due', '2026-11-24T10:40:00.000Z', [comms.actor.email]]]);
  });

  it('a P1 nobody acknowledged: the commander is told, and told nothing once it is acknowledged', async () => {
    const incident = await open({ severity: 'P1' }, { commander: commander.actor.id, commsLead: comms.actor.id });
    clock.set('2026-11-24T10:13:00Z');
    expect(kinds(await t.app.reminders.tick())).toEqual([
      ['update_due', '2026-11-24T10:15:00.000Z', [comms.actor.email]],
      ['acknowledge_due', '2026-11-24T10:15:00.000Z', [commander.actor.email]],
    ]);
    await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(responder.auth).expect(200);
    await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).send({ status: 'identified', message: 'On it.' }).expect(201);
    clock.set('2026-11-24T10:16:00Z');
    expect(await t.app.reminders.tick()).toEqual([]);
  });

  it('without a comms lead or commander, every owner is told', async () => {
    clock.set('2026-11-24T10:04:00Z');
    await api().post('/api/admin/incidents').set(responder.auth).send({ title: 'x', severity: 'P3', status: 'investigating', message: 'm', draft: true }).expect(201);
    clock.set('2026-11-24T10:08:00Z');
    const out = await t.app.reminders.tick();
    const owners = out[0]!.recipients.map((u) => u.email);
    expect(owners).toContain(owner.actor.email);
    expect(owners).not.toContain(responder.actor.email);
  });

  it('nothing for resolved incidents', async () => {
    const incident = await open({ severity: 'P3' });
    await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'Fixed.', summary: 'Fixed.' }).expect(200);
    clock.set('2026-11-24T12:00:00Z');
    expect(await t.app.reminders.tick()).toEqual([]);
  });

  it('a notifier that fails releases the claim: the next tick sends it', async () => {
    const incident = await open({ draft: true });
    clock.set('2026-11-24T10:06:00Z');
    failNext = true;
    // The pass logs the failure and goes on; nothing was recorded.
    expect(await t.app.reminders.tick()).toEqual([]);
    expect(await t.app.db.select().from(reminders).where(eq(reminders.incidentId, incident.id))).toHaveLength(0);
    expect(kinds(await t.app.reminders.tick()).map(([kind]) => kind)).toEqual(['update_overdue']);
  });

  // Guards the multi-process rule: two schedulers on one database send each reminder once.
  it('two schedulers ticking at once send each reminder once', async () => {
    await open({ draft: true });
    const other = new ReminderScheduler(
      { ...systemContext(t.app), targets: DEFAULT_RESPONSE_TARGETS },
      { leadSeconds: 120, intervalSeconds: 0, notifier: recording },
    );
    clock.set('2026-11-24T10:06:00Z');
    const [a, b] = await Promise.all([t.app.reminders.tick(), other.tick()]);
    expect(a.length + b.length).toBe(1);
    expect(sent).toHaveLength(1);
  });
});

describe('scheduler lifecycle', () => {
  it('runs on its own timer from ready until close when an interval is set', async () => {
    const app = await buildApp({ config: testConfig({ reminderIntervalSeconds: 30 }), database: t.database, logger: false });
    expect(app.reminders.started).toBe(false);
    await app.ready();
    expect(app.reminders.started).toBe(true);
    await app.close();
    expect(app.reminders.started).toBe(false);
  });
});

describe('admin list order', () => {
  it('puts the incident whose update is overdue first', async () => {
    const late = await open({ draft: true, title: 'Late draft' });
    clock.set('2026-11-24T10:20:00Z');
    const fresh = await open({ title: 'Fresh', severity: 'P0' });
    const res = await api().get('/api/admin/incidents').set(owner.auth).expect(200);
    const ids = res.body.map((i: { id: string }) => i.id);
    expect(ids.indexOf(late.id)).toBeLessThan(ids.indexOf(fresh.id));
    expect(res.body[0]).toMatchObject({ id: late.id, updateOverdue: true });
  });
});
