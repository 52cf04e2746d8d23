import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookSubscribers } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { COMPONENT_EVENT_KEYS, componentEventMisfits } from '../../fixtures/statuspage-webhooks/shapes.js';

/**
 * Webhook events beyond the incident: `component_update` on every path that changes a status,
 * webhooks narrowed to components, and the unsubscribe link each event carries.
 */

const clock = new TestClock('2026-11-24T10:00:00Z');
const resolver = async () => [{ address: '127.0.0.1', family: 4 }];
test.override('appOptions', { now: clock.now, resolver, config: { webhookAllowPrivate: true, maintenanceTickSeconds: 0 } });

/** What the tests read of an event (the fixture's shapes check the rest). */
interface Sent {
  meta: { unsubscribe: string; documentation: string; generated_at: string };
  page: Record<string, string>;
  component_update: { component_id: string; old_status: string; new_status: string; created_at: string; id: string };
  component: Record<string, unknown>;
  incident: { id: string };
}

interface Received {
  path: string;
  event: string;
  signature: string;
  body: string;
  json: Sent;
}

describe('webhook events', () => {
  let t: TestApp;
  let owner: TestUser;
  let receiver: http.Server;
  let base: string;
  const received: Received[] = [];
  const secret = 'a-secret-of-sufficient-length';

  test.beforeAll(async ({ testApp, owner: o }) => {
    t = testApp;
    owner = o;
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({
          path: req.url!,
          event: String(req.headers['x-heliograph-event']),
          signature: String(req.headers['x-heliograph-signature']),
          body,
          json: JSON.parse(body),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://receiver.example.test:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => receiver.close(r)));

  const admin = () => ({
    post: (path: string, body: object) => request(t.app.server).post(path).set(owner.auth).send(body),
    patch: (path: string, body: object) => request(t.app.server).patch(path).set(owner.auth).send(body),
  });
  /** Sends what is due, then hands back what each receiver path got since the last call. */
  async function deliver() {
    const before = received.length;
    await t.app.notifications.worker.drain();
    return received.slice(before);
  }
  const at = (path: string, got: Received[]) => got.filter((r) => r.path === path);
  const componentEvents = (got: Received[]) => got.filter((r) => r.event === 'component.update');
  /** The events' kinds, sorted: deliveries due at the same instant go out in no set order. */
  const kinds = (got: Received[]) => got.map((r) => r.event).sort();

  it('a component PATCH sends Statuspage’s component_update: field by field as the fixture and as components.json', async () => {
    const hook = await admin().post('/api/admin/webhooks', { url: `${base}/all`, secret }).expect(201);
    expect(hook.body.componentIds).toEqual([]);
    const api = await makeComponent(t.app, owner.actor, { name: 'API' });
    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${api.id}`, { status: 'degraded_performance' }).expect(200);
    const got = at('/all', await deliver());
    expect(got.map((r) => r.event)).toEqual(['component.update']);
    const [sent] = got;
    expect(sent!.signature).toBe(`sha256=${createHmac('sha256', secret).update(sent!.body).digest('hex')}`);
    const event = sent!.json;
    // Stored as jsonb, which keeps no key order: the keys are Statuspage's, in whatever order.
    expect(Object.keys(event).sort()).toEqual([...COMPONENT_EVENT_KEYS].sort());
    expect(componentEventMisfits(event)).toEqual([]);
    expect(event.component_update).toMatchObject({
      old_status: 'operational',
      new_status: 'degraded_performance',
      component_id: api.id,
      component_type: 'Component',
      created_at: '2026-11-24T10:01:00.000+00:00',
    });
    expect(event.page).toMatchObject({ status_indicator: 'minor', status_description: 'Minor Service Outage' });
    const v2 = (await request(t.app.server).get('/api/v2/components.json').expect(200)).body;
    expect(event.component).toEqual(v2.components.find((c: { id: string }) => c.id === api.id));
    expect(event.page.id).toBe(v2.page.id);
    expect(event.meta.documentation).toBe('https://status.example.test/docs');
    expect(event.meta.unsubscribe).toMatch(/^https:\/\/status\.example\.test\/unsubscribe\/[A-Za-z0-9_-]{43}$/);
    // The same status again is no change: nothing is sent.
    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${api.id}`, { status: 'degraded_performance', name: 'API' }).expect(200);
    expect(await deliver()).toEqual([]);
    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${api.id}`, { status: 'operational' }).expect(200);
    expect(componentEvents(await deliver()).map((r) => r.json.component_update)).toMatchObject([{ old_status: 'degraded_performance', new_status: 'operational' }]);
  });

  it('an incident sends one component_update per component it changed, beside its own event; a status-only update none', async () => {
    const db = await makeComponent(t.app, owner.actor, { name: 'Database' });
    const web = await makeComponent(t.app, owner.actor, { name: 'Web' });
    clock.advance(60_000);
    const { body: incident } = await admin()
      .post('/api/admin/incidents', {
        title: 'Slow queries',
        severity: 'P2',
        status: 'investigating',
        message: 'Slow.',
        componentStatuses: { [db.id]: 'major_outage', [web.id]: 'degraded_performance' },
      })
      .expect(201);
    let got = at('/all', await deliver());
    expect(kinds(got)).toEqual(['component.update', 'component.update', 'incident.created']);
    const changes = componentEvents(got).map((r) => r.json.component_update);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ component_id: db.id, old_status: 'operational', new_status: 'major_outage' }),
        expect.objectContaining({ component_id: web.id, old_status: 'operational', new_status: 'degraded_performance' }),
      ]),
    );
    // Every event of the change carries the headline they leave together.
    for (const r of got) expect(r.json.page).toMatchObject({ status_indicator: 'critical' });
    // The v2 API's incident names the same changes.
    const served = (await request(t.app.server).get('/api/v2/incidents.json').expect(200)).body.incidents.find((i: { id: string }) => i.id === incident.id);
    expect(served.incident_updates[0].affected_components.map((c: { code: string; old_status: string; new_status: string }) => [c.code, c.old_status, c.new_status]).sort()).toEqual(
      changes.map((c: { component_id: string; old_status: string; new_status: string }) => [c.component_id, c.old_status, c.new_status]).sort(),
    );

    clock.advance(60_000);
    await admin().post(`/api/admin/incidents/${incident.id}/updates`, { status: 'identified', message: 'Found it.' }).expect(201);
    expect(at('/all', await deliver()).map((r) => r.event)).toEqual(['incident.update']);

    clock.advance(60_000);
    await admin()
      .post(`/api/admin/incidents/${incident.id}/updates`, { status: 'monitoring', message: 'Better.', componentStatuses: { [db.id]: 'partial_outage', [web.id]: 'degraded_performance' } })
      .expect(201);
    got = at('/all', await deliver());
    expect(componentEvents(got).map((r) => r.json.component_update)).toMatchObject([{ component_id: db.id, old_status: 'major_outage', new_status: 'partial_outage' }]);

    clock.advance(60_000);
    await admin().post(`/api/admin/incidents/${incident.id}/resolve`, { message: 'Fixed.', summary: 'An index.', postmortemDueAt: '2026-12-01T00:00:00Z' }).expect(200);
    got = at('/all', await deliver());
    expect(kinds(got)).toEqual(['component.update', 'component.update', 'incident.resolved']);
    // Resolved: the page's headline the events carry is the one after the resolution.
    for (const r of componentEvents(got)) {
      expect(r.json.component_update.new_status).toBe('operational');
      expect(r.json.page).toMatchObject({ status_indicator: 'none', status_description: 'All Systems Operational' });
    }
  });

  it('maintenance start and completion send component_update, the page saying maintenance while it runs', async () => {
    const queue = await makeComponent(t.app, owner.actor, { name: 'Queue' });
    clock.advance(60_000);
    const { body: m } = await admin()
      .post('/api/admin/maintenances', {
        title: 'Queue upgrade',
        body: 'Upgrading.',
        scheduledFor: new Date(clock.now().getTime() + 3_600_000).toISOString(),
        scheduledUntil: new Date(clock.now().getTime() + 7_200_000).toISOString(),
        componentIds: [queue.id],
      })
      .expect(201);
    await deliver();
    clock.advance(60_000);
    await admin().patch(`/api/admin/maintenances/${m.id}`, { status: 'in_progress' }).expect(200);
    let got = at('/all', await deliver());
    expect(kinds(got)).toEqual(['component.update', 'maintenance.started']);
    for (const r of got) expect(r.json.page).toEqual({ id: expect.any(String), status_indicator: 'maintenance', status_description: 'Service Under Maintenance' });
    expect(componentEvents(got)[0]!.json.component_update).toMatchObject({ component_id: queue.id, old_status: 'operational', new_status: 'under_maintenance' });
    // The v2 documents say the same while it runs.
    expect((await request(t.app.server).get('/api/v2/status.json').expect(200)).body.status).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect((await request(t.app.server).get('/api/v2/summary.json').expect(200)).body.status.indicator).toBe('maintenance');

    clock.advance(60_000);
    await admin().patch(`/api/admin/maintenances/${m.id}`, { status: 'completed' }).expect(200);
    got = at('/all', await deliver());
    expect(kinds(got)).toEqual(['component.update', 'maintenance.completed']);
    expect(componentEvents(got)[0]!.json).toMatchObject({
      page: { status_indicator: 'none' },
      component_update: { component_id: queue.id, old_status: 'under_maintenance', new_status: 'operational' },
    });
    expect((await request(t.app.server).get('/api/v2/status.json').expect(200)).body.status.indicator).toBe('none');
  });

  it('a published postmortem: the incident event and incidents.json both say status postmortem', async () => {
    clock.advance(60_000);
    const { body: incident } = await admin()
      .post('/api/admin/incidents', { title: 'Login failures', severity: 'P3', status: 'investigating', message: 'Failing.' })
      .expect(201);
    clock.advance(60_000);
    await admin().post(`/api/admin/incidents/${incident.id}/resolve`, { message: 'Fixed.', summary: 'A certificate.' }).expect(200);
    const servedStatus = async () =>
      (await request(t.app.server).get('/api/v2/incidents.json').expect(200)).body.incidents.find((i: { id: string }) => i.id === incident.id);
    expect((await servedStatus()).status).toBe('resolved');
    await deliver();
    clock.advance(60_000);
    await request(t.app.server).put(`/api/admin/incidents/${incident.id}/postmortem`).set(owner.auth).send({ summary: 'What happened.', rootCause: 'An expired certificate.' }).expect(200);
    await request(t.app.server).post(`/api/admin/incidents/${incident.id}/postmortem/publish`).set(owner.auth).expect(200);
    const [event] = at('/all', await deliver());
    expect(event!.event).toBe('postmortem.published');
    const sent = event!.json.incident as unknown as Record<string, unknown>;
    const served = await servedStatus();
    expect(served.status).toBe('postmortem');
    expect(sent).toMatchObject({ id: incident.id, status: 'postmortem', resolved_at: served.resolved_at, postmortem_notified_subscribers: true });
    expect(sent.postmortem_published_at).toEqual(expect.any(String));
  });

  it('a webhook narrowed to components hears only of them, as an email subscriber would', async () => {
    const mine = await makeComponent(t.app, owner.actor, { name: 'Mine' });
    const other = await makeComponent(t.app, owner.actor, { name: 'Other' });
    const hook = await admin().post('/api/admin/webhooks', { url: `${base}/narrow`, componentIds: [mine.id.toUpperCase()] }).expect(201);
    expect(hook.body.componentIds).toEqual([mine.id]);
    const list = await request(t.app.server).get('/api/admin/webhooks').set(owner.auth).expect(200);
    expect(list.body.find((w: { id: string }) => w.id === hook.body.id)).toMatchObject({ componentIds: [mine.id] });
    await admin().post('/api/admin/webhooks', { url: `${base}/bad`, componentIds: ['00000000-0000-4000-8000-000000000000'] }).expect(400);
    await admin().post('/api/admin/webhooks', { url: `${base}/bad`, componentIds: ['nope'] }).expect(400);

    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${other.id}`, { status: 'partial_outage' }).expect(200);
    const elsewhere = await admin()
      .post('/api/admin/incidents', { title: 'Elsewhere', severity: 'P2', status: 'investigating', message: 'Other.', componentStatuses: { [other.id]: 'major_outage' } })
      .expect(201);
    let got = await deliver();
    expect(at('/narrow', got)).toEqual([]);
    // The page-wide webhook heard all of it.
    expect(kinds(at('/all', got))).toEqual(['component.update', 'component.update', 'incident.created']);

    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${mine.id}`, { status: 'degraded_performance' }).expect(200);
    const touching = await admin()
      .post('/api/admin/incidents', { title: 'Both', severity: 'P2', status: 'investigating', message: 'Both.', componentStatuses: { [mine.id]: 'major_outage', [other.id]: 'major_outage' } })
      .expect(201);
    got = at('/narrow', await deliver());
    expect(got.map((r) => `${r.event} ${r.json.component_update?.component_id ?? r.json.incident.id}`).sort()).toEqual(
      [`component.update ${mine.id}`, `component.update ${mine.id}`, `incident.created ${touching.body.id}`].sort(),
    );
    // A later update of the incident that touched it still reaches it; the other incident's never.
    clock.advance(60_000);
    await admin().post(`/api/admin/incidents/${elsewhere.body.id}/updates`, { status: 'identified', message: 'Found.' }).expect(201);
    await admin().post(`/api/admin/incidents/${touching.body.id}/updates`, { status: 'identified', message: 'Found.' }).expect(201);
    expect(at('/narrow', await deliver()).map((r) => [r.event, r.json.incident.id])).toEqual([['incident.update', touching.body.id]]);
    for (const id of [elsewhere.body.id, touching.body.id]) {
      await admin().post(`/api/admin/incidents/${id}/resolve`, { message: 'Fixed.', summary: 'Done.', postmortemDueAt: '2026-12-01T00:00:00Z' }).expect(200);
    }
    await admin().patch(`/api/admin/components/${mine.id}`, { status: 'operational' }).expect(200);
    await admin().patch(`/api/admin/components/${other.id}`, { status: 'operational' }).expect(200);
    await deliver();
  });

  it('meta.unsubscribe is a working one-click link for that webhook, and only for it', async () => {
    const hook = await admin().post('/api/admin/webhooks', { url: `${base}/leaving` }).expect(201);
    const probe = await makeComponent(t.app, owner.actor, { name: 'Probe' });
    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${probe.id}`, { status: 'major_outage' }).expect(200);
    const got = await deliver();
    const [mine] = at('/leaving', got);
    const [theirs] = at('/all', got);
    const link = new URL(mine!.json.meta.unsubscribe);
    expect(link.origin).toBe('https://status.example.test');
    expect(theirs!.json.meta.unsubscribe).not.toBe(mine!.json.meta.unsubscribe);
    // Asking changes nothing (link scanners open links); it names the URL it would stop.
    const page = await request(t.app.server).get(link.pathname).expect(200);
    expect(page.text).toContain(`${base}/leaving`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    await request(t.app.server).post(link.pathname).type('form').send({ 'List-Unsubscribe': 'One-Click' }).expect(200);
    const list = await request(t.app.server).get('/api/admin/webhooks').set(owner.auth).expect(200);
    expect(list.body.some((w: { id: string }) => w.id === hook.body.id)).toBe(false);
    expect(list.body.some((w: { url: string }) => w.url === `${base}/all`)).toBe(true);
    await request(t.app.server).get(link.pathname).expect(404);
    clock.advance(60_000);
    await admin().patch(`/api/admin/components/${probe.id}`, { status: 'operational' }).expect(200);
    expect(at('/leaving', await deliver())).toEqual([]);
  });

  it('a webhook added before unsubscribe links gets its link on its first event, the same on every later one', async () => {
    const now = clock.now();
    const [legacy] = await t.app.db
      .insert(webhookSubscribers)
      .values({ url: `${base}/legacy`, secret, createdAt: now, updatedAt: now })
      .returning();
    const probe = await makeComponent(t.app, owner.actor, { name: 'Legacy probe' });
    const links: string[] = [];
    for (const status of ['major_outage', 'operational'] as const) {
      clock.advance(60_000);
      await admin().patch(`/api/admin/components/${probe.id}`, { status }).expect(200);
      links.push(...at('/legacy', await deliver()).map((r) => r.json.meta.unsubscribe));
    }
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{43}$/);
    expect(links[1]).toBe(links[0]);
    const [row] = await t.app.db.select().from(webhookSubscribers).where(eq(webhookSubscribers.id, legacy!.id));
    expect(row!.unsubscribeTokenHash).toEqual(expect.any(String));
    await request(t.app.server).post(new URL(links[0]!).pathname).expect(200);
    expect(await t.app.db.select().from(webhookSubscribers).where(eq(webhookSubscribers.id, legacy!.id))).toEqual([]);
  });
});
