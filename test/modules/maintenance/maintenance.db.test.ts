import request from 'supertest';
import { asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, componentStatusChanges } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

// No timer: the tests tick by hand, on the test clock.
test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});
beforeEach(() => clock.set('2026-11-24T10:00:00Z'));

const api = () => request(t.app.server);
const window = { scheduledFor: '2026-11-24T22:00:00Z', scheduledUntil: '2026-11-25T00:00:00Z' };

async function schedule(body: Record<string, unknown> = {}, user = responder) {
  const res = await api()
    .post('/api/admin/maintenances')
    .set(user.auth)
    .send({ title: 'Database upgrade', body: 'We upgrade **PostgreSQL**.', ...window, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function statusOf(id: string) {
  const res = await api().get('/api/admin/components').set(viewer.auth);
  return res.body.find((c: { id: string }) => c.id === id)?.status;
}

const tick = () => t.app.maintenanceScheduler.tick();

describe('admin API', () => {
  it('schedules with defaults: auto start and complete on, the first update is the announcement', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const m = await schedule({ componentIds: [c.id.toUpperCase()] });
    expect(m).toMatchObject({
      status: 'scheduled',
      autoStart: true,
      autoComplete: true,
      componentIds: [c.id],
      scheduledFor: '2026-11-24T22:00:00.000Z',
      updates: [{ status: 'scheduled', body: 'We upgrade **PostgreSQL**.' }],
    });
    const got = await api().get(`/api/admin/maintenances/${m.id}`).set(viewer.auth);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(m.id);
    const list = await api().get('/api/admin/maintenances').set(viewer.auth);
    expect(list.body.map((x: { id: string }) => x.id)).toContain(m.id);
    const audit = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, m.id));
    expect(audit.map((a) => a.action)).toEqual(['maintenance.create']);
  });

  it('401 without a token, 403 for a viewer, 400 for a bad body', async () => {
    expect((await api().get('/api/admin/maintenances')).status).toBe(401);
    expect((await api().post('/api/admin/maintenances').send({})).status).toBe(401);
    const forbidden = await api().post('/api/admin/maintenances').set(viewer.auth).send({ title: 'x', body: 'y', ...window });
    expect(forbidden.status).toBe(403);
    const m = await schedule();
    expect((await api().patch(`/api/admin/maintenances/${m.id}`).set(viewer.auth).send({ title: 'x' })).status).toBe(403);
    expect((await api().delete(`/api/admin/maintenances/${m.id}`).set(viewer.auth)).status).toBe(403);
    expect((await api().patch(`/api/admin/maintenances/${m.id}`).send({ title: 'x' })).status).toBe(401);
    expect((await api().delete(`/api/admin/maintenances/${m.id}`)).status).toBe(401);
    expect((await api().get(`/api/admin/maintenances/${m.id}`)).status).toBe(401);
    const bad = await api().post('/api/admin/maintenances').set(responder.auth).send({ title: 'x', body: 'y', scheduledFor: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBeDefined();
    expect((await api().patch(`/api/admin/maintenances/${m.id}`).set(responder.auth).send({})).status).toBe(400);
    expect((await api().patch(`/api/admin/maintenances/${m.id}`).set(responder.auth).send({ status: 'cancelled' })).status).toBe(400);
    expect((await api().get('/api/admin/maintenances/not-a-uuid').set(viewer.auth)).status).toBe(400);
  });

  it('refuses an empty or reversed window, a window already over, and unknown components', async () => {
    const post = (body: object) =>
      api().post('/api/admin/maintenances').set(responder.auth).send({ title: 'x', body: 'y', ...window, ...body });
    expect((await post({ scheduledUntil: window.scheduledFor })).status).toBe(400);
    expect((await post({ scheduledFor: '2026-11-25T01:00:00Z' })).status).toBe(400);
    expect((await post({ scheduledFor: '2026-11-24T08:00:00Z', scheduledUntil: '2026-11-24T10:00:00Z' })).status).toBe(400);
    const unknown = await post({ componentIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/Unknown component/);
  });

  it('refuses moving a scheduled window wholly into the past, as creating one is refused', async () => {
    const m = await schedule();
    const patch = (body: object) => api().patch(`/api/admin/maintenances/${m.id}`).set(responder.auth).send(body);
    const past = await patch({ scheduledFor: '2026-11-24T07:00:00Z', scheduledUntil: '2026-11-24T09:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/in the past/);
    expect((await tick()).map((r) => r.id)).not.toContain(m.id);
    expect((await api().get(`/api/admin/maintenances/${m.id}`).set(viewer.auth)).body.status).toBe('scheduled');
    // A window that has begun and not ended is still fine: it starts at the next tick.
    expect((await patch({ scheduledFor: '2026-11-24T09:00:00Z', scheduledUntil: '2026-11-24T11:00:00Z' })).status).toBe(200);
    await patch({ status: 'completed' });
  });

  it('refuses a year before 1000: it would be read back from the database as 20xx or 19xx', async () => {
    const post = (body: object) =>
      api().post('/api/admin/maintenances').set(responder.auth).send({ title: 'x', body: 'y', ...window, ...body });
    const early = await post({ scheduledFor: '0001-01-01T00:00:00Z' });
    expect(early.status).toBe(400);
    expect(early.body.error).toBe('HG_INVALID');
    expect((await post({ scheduledFor: '0099-12-31T23:00:00Z' })).status).toBe(400);
    const m = await schedule();
    expect((await api().patch(`/api/admin/maintenances/${m.id}`).set(responder.auth).send({ scheduledFor: '0026-11-24T21:00:00Z' })).status).toBe(400);
    const got = await api().get(`/api/admin/maintenances/${m.id}`).set(viewer.auth);
    expect(got.body.scheduledFor).toBe('2026-11-24T22:00:00.000Z');
  });

  it('lists by state: open by default, completed, all', async () => {
    const open = await schedule();
    const done = await schedule();
    await api().patch(`/api/admin/maintenances/${done.id}`).set(responder.auth).send({ status: 'completed', message: 'Done early.' });
    const ids = async (query: string) =>
      (await api().get(`/api/admin/maintenances${query}`).set(viewer.auth)).body.map((m: { id: string }) => m.id);
    expect(await ids('')).toContain(open.id);
    expect(await ids('')).not.toContain(done.id);
    expect(await ids('?state=completed')).toEqual(expect.arrayContaining([done.id]));
    expect(await ids('?state=completed')).not.toContain(open.id);
    expect(await ids('?state=all')).toEqual(expect.arrayContaining([open.id, done.id]));
    expect((await api().get('/api/admin/maintenances?state=cancelled').set(viewer.auth)).status).toBe(400);
  });

  it('a message alone is posted as a progress update in the current status', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const m = await schedule({ componentIds: [c.id] });
    const patch = (body: object) => api().patch(`/api/admin/maintenances/${m.id}`).set(responder.auth).send(body);
    expect((await patch({ status: 'in_progress' })).status).toBe(200);
    clock.set('2026-11-24T10:30:00Z');
    const note = await patch({ message: 'Half the nodes are upgraded.' });
    expect(note.status).toBe(200);
    expect(note.body.status).toBe('in_progress');
    expect(note.body.startedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(note.body.updates[0]).toMatchObject({ status: 'in_progress', body: 'Half the nodes are upgraded.', createdAt: '2026-11-24T10:30:00.000Z' });
    expect(note.body.updates.map((u: { status: string }) => u.status)).toEqual(['in_progress', 'in_progress', 'scheduled']);
    expect(await statusOf(c.id)).toBe('under_maintenance');
    const v2 = await api().get('/api/v2/scheduled-maintenances/active.json');
    const shown = v2.body.scheduled_maintenances.find((x: { id: string }) => x.id === m.id);
    expect(shown.incident_updates[0].body).toBe('Half the nodes are upgraded.');
    await patch({ status: 'completed' });
  });

  it('404 for an unknown maintenance', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await api().get(`/api/admin/maintenances/${id}`).set(viewer.auth)).status).toBe(404);
    expect((await api().patch(`/api/admin/maintenances/${id}`).set(responder.auth).send({ title: 'x' })).status).toBe(404);
    expect((await api().delete(`/api/admin/maintenances/${id}`).set(responder.auth)).status).toBe(404);
  });

  it('moves forward only; deleting is for scheduled ones', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const m = await schedule({ componentIds: [c.id] });
    const patch = (body: object) => api().patch(`/api/admin/maintenances/${m.id}`).set(responder.auth).send(body);
    const started = await patch({ status: 'in_progress', message: 'Starting early.' });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'in_progress', startedAt: '2026-11-24T10:00:00.000Z' });
    expect(started.body.updates[0]).toMatchObject({ status: 'in_progress', body: 'Starting early.' });
    expect(await statusOf(c.id)).toBe('under_maintenance');
    expect((await patch({ status: 'scheduled' })).status).toBe(409);
    expect((await patch({ scheduledFor: '2026-11-24T23:00:00Z' })).status).toBe(409);
    expect((await api().delete(`/api/admin/maintenances/${m.id}`).set(responder.auth)).status).toBe(409);
    // Overrunning: the end may move while under way.
    expect((await patch({ scheduledUntil: '2026-11-25T01:00:00Z' })).status).toBe(200);
    expect((await patch({ status: 'verifying' })).body.status).toBe('verifying');
    const done = await patch({ status: 'completed' });
    expect(done.body).toMatchObject({ status: 'completed', completedAt: '2026-11-24T10:00:00.000Z' });
    expect(await statusOf(c.id)).toBe('operational');
    expect((await patch({ status: 'verifying' })).status).toBe(409);
    expect((await patch({ scheduledUntil: '2026-11-25T02:00:00Z' })).status).toBe(409);
    expect((await patch({ title: 'Database upgrade (done)' })).status).toBe(200);

    const other = await schedule();
    expect((await api().delete(`/api/admin/maintenances/${other.id}`).set(responder.auth)).status).toBe(204);
    expect((await api().get(`/api/admin/maintenances/${other.id}`).set(viewer.auth)).status).toBe(404);
  });
});

describe('scheduler', () => {
  it('starts at scheduledFor and completes at scheduledUntil, recording the maintenance in the history', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const m = await schedule({ componentIds: [c.id] });
    clock.set('2026-11-24T21:59:59Z');
    expect((await tick()).filter((r) => r.id === m.id)).toEqual([]);
    clock.set('2026-11-24T22:00:00Z');
    expect(await tick()).toContainEqual({ id: m.id, transition: 'start' });
    expect(await statusOf(c.id)).toBe('under_maintenance');
    // A second tick at the same instant finds nothing more to do.
    expect((await tick()).filter((r) => r.id === m.id)).toEqual([]);
    clock.set('2026-11-25T00:00:00Z');
    expect(await tick()).toContainEqual({ id: m.id, transition: 'complete' });
    expect(await statusOf(c.id)).toBe('operational');
    const history = await t.app.db
      .select()
      .from(componentStatusChanges)
      .where(eq(componentStatusChanges.componentId, c.id))
      .orderBy(asc(componentStatusChanges.id));
    expect(history.slice(1).map((h) => [h.toStatus, h.maintenanceId, h.changedAt.toISOString()])).toEqual([
      ['under_maintenance', m.id, '2026-11-24T22:00:00.000Z'],
      ['operational', m.id, '2026-11-25T00:00:00.000Z'],
    ]);
    const got = (await api().get(`/api/admin/maintenances/${m.id}`).set(viewer.auth)).body;
    expect(got.updates.map((u: { status: string; authorId: string | null }) => [u.status, u.authorId])).toEqual([
      ['completed', null],
      ['in_progress', null],
      ['scheduled', responder.actor.id],
    ]);
  });

  it('leaves manual ones to people', async () => {
    const m = await schedule({ autoStart: false });
    clock.set('2026-11-24T22:30:00Z');
    await tick();
    expect((await api().get(`/api/admin/maintenances/${m.id}`).set(viewer.auth)).body.status).toBe('scheduled');
  });

  it('an incident making a component worse during maintenance wins, and holds it after the maintenance ends', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const m = await schedule({ componentIds: [c.id] });
    clock.set('2026-11-24T22:00:00Z');
    await tick();
    const incident = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'Replica lag', severity: 'P2', status: 'investigating', message: 'Slow reads.', componentStatuses: { [c.id]: 'degraded_performance' } });
    expect(incident.status).toBe(201);
    expect(await statusOf(c.id)).toBe('degraded_performance');
    clock.set('2026-11-25T00:00:00Z');
    await tick();
    expect(await statusOf(c.id)).toBe('degraded_performance');
    void m;
  });

  it('an incident resolved during maintenance returns its component under maintenance, not operational', async () => {
    const c = await makeComponent(t.app, owner.actor);
    await schedule({ componentIds: [c.id] });
    const incident = (
      await api()
        .post('/api/admin/incidents')
        .set(responder.auth)
        .send({ title: 'Errors', severity: 'P3', status: 'investigating', message: 'Errors.', componentStatuses: { [c.id]: 'partial_outage' } })
    ).body;
    clock.set('2026-11-24T22:00:00Z');
    await tick();
    expect(await statusOf(c.id)).toBe('partial_outage');
    const resolved = await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'Fixed.', summary: 'A bad deploy.' });
    expect(resolved.status).toBe(200);
    expect(await statusOf(c.id)).toBe('under_maintenance');
  });

  it('an incident cannot mark operational a component under maintenance; worse still wins', async () => {
    const c = await makeComponent(t.app, owner.actor);
    await schedule({ componentIds: [c.id] });
    clock.set('2026-11-24T22:00:00Z');
    await tick();
    const open = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'Check', severity: 'P3', status: 'investigating', message: 'Checking.', componentStatuses: { [c.id]: 'operational' } });
    expect(open.status).toBe(201);
    expect(await statusOf(c.id)).toBe('under_maintenance');
    const worse = await api()
      .post(`/api/admin/incidents/${open.body.id}/updates`)
      .set(responder.auth)
      .send({ status: 'identified', message: 'It is down.', componentStatuses: { [c.id]: 'major_outage' } });
    expect(worse.status).toBe(201);
    expect(await statusOf(c.id)).toBe('major_outage');
  });

  it('overlapping windows: the component stays under maintenance until the last one ends', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const first = await schedule({ componentIds: [c.id] });
    const second = await schedule({ componentIds: [c.id], scheduledFor: '2026-11-24T23:00:00Z', scheduledUntil: '2026-11-25T01:00:00Z' });
    clock.set('2026-11-24T23:00:00Z');
    await tick();
    clock.set('2026-11-25T00:00:00Z');
    expect(await tick()).toContainEqual({ id: first.id, transition: 'complete' });
    expect(await statusOf(c.id)).toBe('under_maintenance');
    clock.set('2026-11-25T01:00:00Z');
    expect(await tick()).toContainEqual({ id: second.id, transition: 'complete' });
    expect(await statusOf(c.id)).toBe('operational');
  });

  it('a window missed entirely completes without touching its components', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const m = await schedule({ componentIds: [c.id] });
    clock.set('2026-11-25T03:00:00Z');
    expect(await tick()).toContainEqual({ id: m.id, transition: 'complete' });
    const history = await t.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, c.id));
    expect(history).toHaveLength(1);
  });
});
