import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { V2_INDICATORS } from '../../../src/statuspage/schemas.js';
import { COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '../../../src/domain/vocabulary.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, makeGroup, type TestUser } from '../../helpers/factories.js';
import { ENUMS, fixture, shapeDifferences } from '../../helpers/statuspage-shape.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-03-08T09:30:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
const ids: Record<string, string> = {};

const ENDPOINTS = {
  'summary.json': 'summary.json',
  'status.json': 'status.json',
  'components.json': 'components.json',
  'incidents.json': 'incidents.json',
  'incidents/unresolved.json': 'incidents.json',
  'scheduled-maintenances.json': 'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json': 'scheduled-maintenances.json',
  'scheduled-maintenances/active.json': 'scheduled-maintenances.json',
} as const;

test.override('appOptions', { now: clock.now, config: { displayTimeZone: 'America/Los_Angeles', maintenanceTickSeconds: 0 } });
test.beforeAll(async ({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
  const group = await makeGroup(t.app, owner.actor, 'Regions');
  const eu = await makeComponent(t.app, owner.actor, { name: 'EU West', groupId: group.id, description: 'Dublin' });
  const api = await makeComponent(t.app, owner.actor, { name: 'API' });
  const db = await makeComponent(t.app, owner.actor, { name: 'Database' });
  Object.assign(ids, { group: group.id, eu: eu.id, api: api.id, db: db.id });
  const post = (path: string, body: object) => request(t.app.server).post(path).set(responder.auth).send(body);
  const open = await post('/api/admin/incidents', {
    title: 'Slow responses in EU West',
    severity: 'P2',
    status: 'investigating',
    message: 'Looking into it.',
    componentStatuses: { [eu.id]: 'degraded_performance' },
  });
  ids.open = open.body.id;
  clock.advance(60_000);
  await post(`/api/admin/incidents/${ids.open}/updates`, { status: 'identified', message: 'Found it.', componentStatuses: { [eu.id]: 'partial_outage' } });
  const old = await post('/api/admin/incidents', { title: 'API errors', severity: 'P1', status: 'investigating', message: 'Errors.' });
  ids.resolved = old.body.id;
  await post(`/api/admin/incidents/${ids.resolved}/updates`, { status: 'monitoring', message: 'Fixed, watching.' });
  await post(`/api/admin/incidents/${ids.resolved}/resolve`, { message: 'Resolved.', summary: 'A bad deploy.', postmortemDueAt: '2026-03-15T00:00:00Z' });
  const draft = await post('/api/admin/incidents', { title: 'Secret draft', severity: 'P0', status: 'investigating', message: 'Not yet.', draft: true });
  ids.draft = draft.body.id;
  const upcoming = await post('/api/admin/maintenances', {
    title: 'Database upgrade',
    body: 'Primary database upgrade.',
    scheduledFor: '2026-03-10T08:00:00Z',
    scheduledUntil: '2026-03-10T10:00:00Z',
    componentIds: [db.id],
  });
  ids.upcoming = upcoming.body.id;
  const active = await post('/api/admin/maintenances', {
    title: 'Network work',
    body: 'Switch replacement.',
    scheduledFor: '2026-03-08T09:00:00Z',
    scheduledUntil: '2026-03-08T12:00:00Z',
    componentIds: [api.id],
  });
  ids.active = active.body.id;
  await t.app.maintenanceScheduler.tick();
});

const get = (path: string) => request(t.app.server).get(`/api/v2/${path}`);

describe('Statuspage v2 API', () => {
  it.each(Object.entries(ENDPOINTS))('%s has Statuspage’s keys and types', async (path, reference) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(shapeDifferences(res.body, fixture(reference) as never)).toEqual([]);
  });

  it('uses Statuspage’s enumerations, value by value', async () => {
    expect([...V2_INDICATORS].sort()).toEqual([...ENUMS.indicator!].sort());
    expect([...COMPONENT_STATUSES].sort()).toEqual([...ENUMS.component_status!].sort());
    // Statuspage's `postmortem` incident status is a published postmortem (the last tests below).
    for (const s of [...INCIDENT_STATUSES, 'postmortem']) expect(ENUMS.incident_status).toContain(s);
    for (const s of IMPACTS) expect(ENUMS.incident_impact).toContain(s);
    expect([...MAINTENANCE_STATUSES]).toEqual(ENUMS.maintenance_status);
    const summary = (await get('summary.json')).body;
    const all = [...(await get('incidents.json')).body.incidents, ...summary.incidents];
    expect(ENUMS.indicator).toContain(summary.status.indicator);
    for (const c of summary.components) expect(ENUMS.component_status).toContain(c.status);
    for (const i of all) {
      expect(ENUMS.incident_status).toContain(i.status);
      expect(ENUMS.incident_impact).toContain(i.impact);
      for (const u of i.incident_updates) expect(ENUMS.incident_status).toContain(u.status);
    }
    for (const m of (await get('scheduled-maintenances.json')).body.scheduled_maintenances) {
      expect(ENUMS.maintenance_status).toContain(m.status);
      expect(m.impact).toBe('maintenance');
      for (const u of m.incident_updates) expect(ENUMS.maintenance_status).toContain(u.status);
    }
  });

  it('page: a stable id, the public URL, the display zone, times with its offset', async () => {
    const a = (await get('status.json')).body.page;
    const b = (await get('components.json')).body.page;
    expect(a.id).toMatch(/^[0-9a-z]{12}$/);
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ name: 'Example Status', url: 'https://status.example.test', time_zone: 'America/Los_Angeles' });
    // Written in the page's zone, with the offset in force then.
    expect(a.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-0[78]:00$/);
    const incident = (await get('incidents/unresolved.json')).body.incidents[0];
    // 09:30 UTC on the day clocks spring forward in Los Angeles: 01:30 PST.
    expect(incident.created_at).toBe('2026-03-08T01:30:00.000-08:00');
  });

  it('groups are components with group: true and their members’ ids; members carry group_id', async () => {
    const { components } = (await get('components.json')).body;
    const group = components.find((c: { id: string }) => c.id === ids.group);
    expect(group).toMatchObject({ group: true, components: [ids.eu], status: 'partial_outage', group_id: null });
    expect(components.find((c: { id: string }) => c.id === ids.eu)).toMatchObject({ group: false, group_id: ids.group, description: 'Dublin' });
    expect(components.find((c: { id: string }) => c.id === ids.api)).not.toHaveProperty('components');
  });

  it('summary: unresolved incidents and upcoming or active maintenance only; drafts never', async () => {
    const summary = (await get('summary.json')).body;
    expect(summary.incidents.map((i: { id: string }) => i.id)).toEqual([ids.open]);
    expect(summary.scheduled_maintenances.map((m: { id: string }) => m.id).sort()).toEqual([ids.upcoming, ids.active].sort());
    // EU West is in a partial outage: Statuspage calls that a major indicator.
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect((await get('incidents/unresolved.json')).body.incidents.map((i: { id: string }) => i.id)).toEqual([ids.open]);
    const recent = (await get('incidents.json')).body.incidents.map((i: { id: string }) => i.id);
    expect(recent).toEqual([ids.resolved, ids.open]);
    for (const path of Object.keys(ENDPOINTS)) {
      const text = (await get(path)).text;
      expect(text).not.toContain(ids.draft);
      expect(text).not.toContain('Secret draft');
      expect(text).not.toMatch(/severity|"P[0-3]"|@example\.test|author/);
    }
  });

  it('incident updates say what they changed, newest first', async () => {
    const [incident] = (await get('incidents/unresolved.json')).body.incidents;
    expect(incident).toMatchObject({ impact: 'minor', status: 'identified', shortlink: `https://status.example.test/incidents/${ids.open}` });
    expect(incident.incident_updates.map((u: { status: string }) => u.status)).toEqual(['identified', 'investigating']);
    expect(incident.incident_updates[0].affected_components).toEqual([
      { code: ids.eu, name: 'EU West', old_status: 'degraded_performance', new_status: 'partial_outage' },
    ]);
    expect(incident.incident_updates[1].affected_components[0]).toMatchObject({ old_status: 'operational', new_status: 'degraded_performance' });
    expect(incident.components.map((c: { id: string }) => c.id)).toEqual([ids.eu]);
    const resolved = (await get('incidents.json')).body.incidents.find((i: { id: string }) => i.id === ids.resolved);
    expect(resolved.monitoring_at).not.toBeNull();
    expect(resolved.resolved_at).toMatch(/-08:00$/);
    expect(resolved.incident_updates[0].affected_components).toBeNull();
  });

  it('maintenance lists: upcoming is scheduled, active is under way', async () => {
    const upcoming = (await get('scheduled-maintenances/upcoming.json')).body.scheduled_maintenances;
    expect(upcoming.map((m: { id: string }) => m.id)).toEqual([ids.upcoming]);
    // 08:00 UTC on March 10 is after the change: 01:00 PDT.
    expect(upcoming[0]).toMatchObject({ scheduled_for: '2026-03-10T01:00:00.000-07:00', scheduled_until: '2026-03-10T03:00:00.000-07:00' });
    expect(upcoming[0].components.map((c: { id: string }) => c.id)).toEqual([ids.db]);
    const active = (await get('scheduled-maintenances/active.json')).body.scheduled_maintenances;
    expect(active.map((m: { id: string }) => m.id)).toEqual([ids.active]);
    expect(active[0]).toMatchObject({ status: 'in_progress', shortlink: `https://status.example.test/maintenances/${ids.active}` });
    expect(active[0].incident_updates.map((u: { status: string }) => u.status)).toEqual(['in_progress', 'scheduled']);
  });

  it('may be read from any origin, and answers a preflight', async () => {
    const res = await get('summary.json').set('origin', 'https://dashboard.example.org');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const preflight = await request(t.app.server)
      .options('/api/v2/summary.json')
      .set('origin', 'https://dashboard.example.org')
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'if-none-match');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
  });

  it('is served from the render cache: ETag, 304, and a fresh document after a write', async () => {
    const first = await get('components.json');
    expect(first.headers.etag).toBeDefined();
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect((await get('components.json').set('if-none-match', first.headers.etag!)).status).toBe(304);
    const res = await request(t.app.server)
      .patch(`/api/admin/components/${ids.db}`)
      .set(responder.auth)
      .send({ status: 'major_outage' });
    expect(res.status).toBe(200);
    const after = await get('components.json').set('if-none-match', first.headers.etag!);
    expect(after.status).toBe(200);
    expect(after.body.components.find((c: { id: string }) => c.id === ids.db).status).toBe('major_outage');
  });

  // Run last: they resolve the open incident and publish a postmortem.
  it('status says maintenance once the maintenance under way is the worst there is', async () => {
    await request(t.app.server).patch(`/api/admin/components/${ids.db}`).set(responder.auth).send({ status: 'operational' }).expect(200);
    await request(t.app.server)
      .post(`/api/admin/incidents/${ids.open}/resolve`)
      .set(responder.auth)
      .send({ message: 'Fixed.', summary: 'A router.', postmortemDueAt: '2026-03-15T00:00:00Z' })
      .expect(200);
    const status = (await get('status.json')).body.status;
    expect(status).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect(ENUMS.indicator).toContain(status.indicator);
    const summary = (await get('summary.json')).body;
    expect(summary.status).toEqual(status);
    expect(summary.components.find((c: { id: string }) => c.id === ids.api).status).toBe('under_maintenance');
    expect(shapeDifferences(summary, fixture('summary.json') as never)).toEqual([]);
  });

  it('a resolved incident whose postmortem is published is postmortem; its updates keep theirs', async () => {
    const before = (await get('incidents.json')).body.incidents.find((i: { id: string }) => i.id === ids.resolved);
    expect(before.status).toBe('resolved');
    await request(t.app.server).put(`/api/admin/incidents/${ids.resolved}/postmortem`).set(responder.auth).send({ summary: 'A bad deploy.', rootCause: 'No canary.' }).expect(200);
    await request(t.app.server).post(`/api/admin/incidents/${ids.resolved}/postmortem/publish`).set(responder.auth).expect(200);
    const after = (await get('incidents.json')).body.incidents.find((i: { id: string }) => i.id === ids.resolved);
    expect(after).toMatchObject({ status: 'postmortem', resolved_at: before.resolved_at });
    expect(after.incident_updates.map((u: { status: string }) => u.status)).toEqual(before.incident_updates.map((u: { status: string }) => u.status));
    expect(ENUMS.incident_status).toContain(after.status);
    expect(shapeDifferences((await get('incidents.json')).body, fixture('incidents.json') as never)).toEqual([]);
    // Unresolved lists never hold it.
    expect((await get('incidents/unresolved.json')).body.incidents.some((i: { id: string }) => i.id === ids.resolved)).toBe(false);
  });
});
