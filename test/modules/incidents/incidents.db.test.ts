import { createHash } from 'node:crypto';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { componentStatusChanges, idempotencyKeys, incidents } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { now: clock.now });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});
beforeEach(() => clock.set('2026-11-24T10:00:00Z'));

const api = () => request(t.app.server);

async function openIncident(body: Record<string, unknown> = {}, user = responder) {
  const res = await api()
    .post('/api/admin/incidents')
    .set(user.auth)
    .send({ title: 'API errors', severity: 'P1', status: 'investigating', message: 'We are looking into it.', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function componentStatus(id: string) {
  const res = await api().get('/api/admin/components').set(viewer.auth);
  return res.body.find((c: { id: string }) => c.id === id)?.status;
}

/** The response to opening an incident, whatever its status (the regressions at the end check it). */
const open = (body: Record<string, unknown>) =>
  api()
    .post('/api/admin/incidents')
    .set(responder.auth)
    .send({ title: 'API errors', severity: 'P3', status: 'investigating', message: 'Looking.', ...body });

describe('opening an incident', () => {
  it('publishes the first update in the same call: on the page and in the feed when it returns', async () => {
    const api1 = await makeComponent(t.app, owner.actor, { name: 'Payments API' });
    const incident = await openIncident({
      title: 'Payments failing',
      componentStatuses: { [api1.id]: 'major_outage' },
    });
    expect(incident).toMatchObject({
      title: 'Payments failing',
      severity: 'P1',
      impact: 'major',
      status: 'investigating',
      draft: false,
      detectedAt: '2026-11-24T10:00:00.000Z',
      firstPublicUpdateAt: '2026-11-24T10:00:00.000Z',
      timeToFirstUpdateSeconds: 0,
      firstUpdateBreached: false,
      components: { [api1.id]: 'major_outage' },
    });
    expect(incident.updates).toHaveLength(1);
    expect(incident.updates[0]).toMatchObject({ status: 'investigating', body: 'We are looking into it.', kind: 'update', authorId: responder.actor.id });
    expect(await componentStatus(api1.id)).toBe('major_outage');

    const page = await api().get('/');
    expect(page.text).toContain('Payments failing');
    expect(page.text).toContain('We are looking into it.');
    const feed = await api().get('/feed.rss');
    expect(feed.text).toContain('[Investigating] Payments failing');
  });

  it('records the component change with the incident that made it', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const incident = await openIncident({ componentStatuses: { [c.id]: 'degraded_performance' } });
    const changes = await t.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, c.id));
    expect(changes.map((r) => [r.fromStatus, r.toStatus, r.incidentId])).toEqual([
      [null, 'operational', null],
      ['operational', 'degraded_performance', incident.id],
    ]);
  });

  it('clocks a backfilled detection from detectedAt, not from the call', async () => {
    const incident = await openIncident({ detectedAt: '2026-11-24T09:50:00Z', startedAt: '2026-11-24T09:40:00Z' });
    expect(incident.timeToFirstUpdateSeconds).toBe(600);
    expect(incident.firstUpdateDueAt).toBe('2026-11-24T09:55:00.000Z');
    expect(incident.firstUpdateBreached).toBe(true);
    expect(incident.startedAt).toBe('2026-11-24T09:40:00.000Z');
  });

  it('refuses impossible lifecycle times and writes nothing', async () => {
    const before = (await t.app.db.select().from(incidents)).length;
    for (const body of [
      { detectedAt: '2026-11-24T09:00:00Z', startedAt: '2026-11-24T09:30:00Z' },
      { detectedAt: '2026-11-25T10:00:00Z' },
    ]) {
      const res = await api().post('/api/admin/incidents').set(responder.auth).send({ title: 'x', severity: 'P2', status: 'investigating', message: 'm', ...body });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
    expect((await t.app.db.select().from(incidents)).length).toBe(before);
  });

  it('rejects an unknown component without creating anything', async () => {
    const before = (await t.app.db.select().from(incidents)).length;
    const res = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'x', severity: 'P2', status: 'investigating', message: 'm', componentStatuses: { '00000000-0000-4000-8000-000000000000': 'major_outage' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringContaining('Unknown component') });
    expect((await t.app.db.select().from(incidents)).length).toBe(before);
  });

  it.each([
    [{ severity: 'P5' }],
    [{ status: 'resolved' }],
    [{ title: '' }],
    [{ message: undefined }],
    [{ componentStatuses: { 'not-a-uuid': 'major_outage' } }],
    [{ surprise: true }],
    [{ detectedAt: 'yesterday' }],
  ])('400 for invalid input %j', async (patch) => {
    const res = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'x', severity: 'P2', status: 'investigating', message: 'm', ...patch });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.any(String) });
  });

  it('401 without a token, 403 for a viewer', async () => {
    const body = { title: 'x', severity: 'P2', status: 'investigating', message: 'm' };
    expect((await api().post('/api/admin/incidents').send(body)).status).toBe(401);
    const res = await api().post('/api/admin/incidents').set(viewer.auth).send(body);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('HG_FORBIDDEN');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await api().post('/api/admin/incidents').set(responder.auth).set('content-type', 'text/plain').send('title=x');
    expect(res.status).toBe(415);
    expect(res.body.error).toEqual(expect.any(String));
  });
});

describe('updates', () => {
  it('moves forward, sets component statuses and stamps mitigation at monitoring', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const incident = await openIncident({ componentStatuses: { [c.id]: 'partial_outage' } });
    clock.advanceSeconds(600);
    const identified = await api()
      .post(`/api/admin/incidents/${incident.id}/updates`)
      .set(responder.auth)
      .send({ status: 'identified', message: 'Found it', componentStatuses: { [c.id]: 'degraded_performance' } });
    expect(identified.status).toBe(201);
    expect(identified.body.status).toBe('identified');
    expect(identified.body.lastPublicUpdateAt).toBe('2026-11-24T10:10:00.000Z');
    expect(identified.body.nextUpdateDueAt).toBe('2026-11-24T10:25:00.000Z');
    expect(identified.body.mitigatedAt).toBeNull();
    expect(await componentStatus(c.id)).toBe('degraded_performance');

    clock.advanceSeconds(300);
    const monitoring = await api()
      .post(`/api/admin/incidents/${incident.id}/updates`)
      .set(responder.auth)
      .send({ status: 'monitoring', message: 'Fix deployed' });
    expect(monitoring.body.mitigatedAt).toBe('2026-11-24T10:15:00.000Z');
    expect(monitoring.body.updates.map((u: { status: string }) => u.status)).toEqual(['investigating', 'identified', 'monitoring']);
  });

  it('refuses to go back or to resolve through a plain update (409 / 400)', async () => {
    const incident = await openIncident({ status: 'monitoring' });
    const back = await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).send({ status: 'investigating', message: 'x' });
    expect(back.status).toBe(409);
    expect(back.body.error).toBe('HG_CONFLICT');
    const resolve = await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).send({ status: 'resolved', message: 'x' });
    expect(resolve.status).toBe(400);
  });

  it('says when the next update is overdue, and lists overdue incidents first', async () => {
    const calm = await openIncident({ title: 'Calm P3', severity: 'P3' });
    clock.advanceSeconds(60);
    const urgent = await openIncident({ title: 'Urgent P0', severity: 'P0' });
    clock.advanceSeconds(15 * 60 + 1);
    const one = await api().get(`/api/admin/incidents/${urgent.id}`).set(viewer.auth);
    expect(one.body.updateOverdue).toBe(true);
    expect(one.body.acknowledgeBreached).toBe(true);
    const list = await api().get('/api/admin/incidents').set(viewer.auth);
    expect(list.status).toBe(200);
    const ids = list.body.map((i: { id: string }) => i.id);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(calm.id));
    expect(list.body[0].updateOverdue || list.body[0].acknowledgeBreached).toBe(true);
  });

  it('404 for an unknown incident, 400 for a malformed id', async () => {
    const unknown = await api().post('/api/admin/incidents/00000000-0000-4000-8000-000000000000/updates').set(responder.auth).send({ status: 'identified', message: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('HG_NOT_FOUND');
    expect((await api().get('/api/admin/incidents/nope').set(viewer.auth)).status).toBe(400);
  });
});

describe('acknowledge and mitigate', () => {
  it('stamp once; a repeat keeps the first time', async () => {
    const incident = await openIncident({ severity: 'P0' });
    clock.advanceSeconds(120);
    const ack = await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(responder.auth);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).toBe('2026-11-24T10:02:00.000Z');
    expect(ack.body.acknowledgeBreached).toBe(false);
    clock.advanceSeconds(600);
    const again = await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(responder.auth);
    expect(again.body.acknowledgedAt).toBe('2026-11-24T10:02:00.000Z');
    const mitigated = await api().post(`/api/admin/incidents/${incident.id}/mitigate`).set(responder.auth);
    expect(mitigated.body.mitigatedAt).toBe('2026-11-24T10:12:00.000Z');
  });

  it('take an empty body sent as JSON (as curl sends it) as no body', async () => {
    const incident = await openIncident();
    const res = await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(responder.auth).set('content-type', 'application/json');
    expect(res.status).toBe(200);
    const broken = await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(responder.auth).set('content-type', 'application/json').send('{"oops"');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toEqual(expect.any(String));
  });

  it('403 for a viewer', async () => {
    const incident = await openIncident();
    expect((await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(viewer.auth)).status).toBe(403);
  });
});

describe('resolving', () => {
  it('needs a summary, and a postmortem due date for P0–P2', async () => {
    const incident = await openIncident({ severity: 'P1' });
    const noSummary = await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'Fixed' });
    expect(noSummary.status).toBe(400);
    const noPostmortem = await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'Fixed', summary: 'A bad deploy' });
    expect(noPostmortem.status).toBe(400);
    expect(noPostmortem.body.message).toContain('postmortemDueAt');
    const still = await api().get(`/api/admin/incidents/${incident.id}`).set(viewer.auth);
    expect(still.body.resolvedAt).toBeNull();
    expect(still.body.updates).toHaveLength(1);
  });

  it('announces the resolution, stops the clocks and returns components to operational', async () => {
    const a = await makeComponent(t.app, owner.actor);
    const b = await makeComponent(t.app, owner.actor);
    const incident = await openIncident({ componentStatuses: { [a.id]: 'major_outage', [b.id]: 'degraded_performance' } });
    clock.advanceSeconds(45 * 60);
    const res = await api()
      .post(`/api/admin/incidents/${incident.id}/resolve`)
      .set(responder.auth)
      .send({ message: 'All fixed.', summary: 'A bad config push broke routing for 45 minutes.', postmortemDueAt: '2026-11-27T10:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-11-24T10:45:00.000Z',
      mitigatedAt: '2026-11-24T10:45:00.000Z',
      postmortemDueAt: '2026-11-27T10:00:00.000Z',
      nextUpdateDueAt: null,
      updateOverdue: false,
    });
    const resolution = res.body.updates.at(-1);
    expect(resolution).toMatchObject({ kind: 'resolution', status: 'resolved', summary: 'A bad config push broke routing for 45 minutes.' });
    expect(await componentStatus(a.id)).toBe('operational');
    expect(await componentStatus(b.id)).toBe('operational');

    const again = await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'x', summary: 'y', postmortemDueAt: '2026-11-27T10:00:00Z' });
    expect(again.status).toBe(409);
    const update = await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).send({ status: 'monitoring', message: 'x' });
    expect(update.status).toBe(409);

    const page = await api().get(`/incidents/${incident.id}`);
    expect(page.text).toContain('A bad config push broke routing for 45 minutes.');
  });

  it('keeps a component that another open incident still holds, and honours explicit statuses', async () => {
    const shared = await makeComponent(t.app, owner.actor);
    const own = await makeComponent(t.app, owner.actor);
    await openIncident({ title: 'Other', componentStatuses: { [shared.id]: 'partial_outage' } });
    const incident = await openIncident({ componentStatuses: { [shared.id]: 'major_outage', [own.id]: 'major_outage' } });
    const res = await api()
      .post(`/api/admin/incidents/${incident.id}/resolve`)
      .set(responder.auth)
      .send({ message: 'ok', summary: 'ok', postmortemDueAt: '2026-11-30T00:00:00Z', componentStatuses: { [own.id]: 'degraded_performance' } });
    expect(res.status).toBe(200);
    expect(await componentStatus(shared.id)).toBe('partial_outage');
    expect(await componentStatus(own.id)).toBe('degraded_performance');
  });

  it('a P3 needs no postmortem due date', async () => {
    const incident = await openIncident({ severity: 'P3' });
    const res = await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'ok', summary: 'ok' });
    expect(res.status).toBe(200);
    expect(res.body.postmortemDueAt).toBeNull();
  });
});

describe('drafts', () => {
  it('are never public until published; publishing starts nothing new on the clock', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const draft = await openIncident({ title: 'Secret draft', draft: true, componentStatuses: { [c.id]: 'major_outage' } });
    expect(draft.draft).toBe(true);
    expect(draft.firstPublicUpdateAt).toBeNull();
    expect(draft.timeToFirstUpdateSeconds).toBeNull();
    expect(draft.updates[0].publishedAt).toBeNull();
    expect(await componentStatus(c.id)).toBe('operational');
    expect((await api().get('/')).text).not.toContain('Secret draft');
    expect((await api().get(`/incidents/${draft.id}`)).status).toBe(404);
    expect((await api().get('/feed.rss')).text).not.toContain('Secret draft');

    clock.advanceSeconds(4 * 60);
    const published = await api().post(`/api/admin/incidents/${draft.id}/publish`).set(responder.auth);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ draft: false, firstPublicUpdateAt: '2026-11-24T10:04:00.000Z', timeToFirstUpdateSeconds: 240, firstUpdateBreached: false });
    expect(await componentStatus(c.id)).toBe('major_outage');
    expect((await api().get('/')).text).toContain('Secret draft');
    expect((await api().get(`/incidents/${draft.id}`)).status).toBe(200);

    const twice = await api().post(`/api/admin/incidents/${draft.id}/publish`).set(responder.auth);
    expect(twice.status).toBe(409);
  });

  it('can be published with a fresh message', async () => {
    const draft = await openIncident({ draft: true });
    const res = await api().post(`/api/admin/incidents/${draft.id}/publish`).set(responder.auth).send({ status: 'identified', message: 'We know the cause.' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('identified');
    expect(res.body.updates.map((u: { body: string }) => u.body)).toEqual(['We are looking into it.', 'We know the cause.']);
    expect(res.body.updates.every((u: { publishedAt: string | null }) => u.publishedAt !== null)).toBe(true);
  });
});

describe('PATCH', () => {
  it('sets roles, severity and times, guarded by If-Match', async () => {
    const incident = await openIncident();
    const got = await api().get(`/api/admin/incidents/${incident.id}`).set(viewer.auth);
    const etag = got.headers.etag as string;
    expect(etag).toBe(`"${got.body.version}"`);

    const res = await api()
      .patch(`/api/admin/incidents/${incident.id}`)
      .set(responder.auth)
      .set('if-match', etag)
      .send({ severity: 'P0', roles: { commander: owner.actor.id, commsLead: responder.actor.id }, impactOverride: 'minor' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      severity: 'P0',
      impact: 'minor',
      roles: { commander: owner.actor.id, commsLead: responder.actor.id, techLead: null, scribe: null },
    });
    expect(res.headers.etag).not.toBe(etag);

    const stale = await api().patch(`/api/admin/incidents/${incident.id}`).set(responder.auth).set('if-match', etag).send({ title: 'Lost update' });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toBe('HG_PRECONDITION_FAILED');
    const after = await api().get(`/api/admin/incidents/${incident.id}`).set(viewer.auth);
    expect(after.body.title).toBe('API errors');
  });

  it('400 for an unknown user, an impossible time order or an empty body', async () => {
    const incident = await openIncident();
    const cases = [
      { roles: { scribe: '00000000-0000-4000-8000-000000000000' } },
      { acknowledgedAt: '2026-11-24T09:00:00Z' },
      {},
      { resolvedAt: '2026-11-24T10:00:00Z' },
    ];
    for (const body of cases) {
      const res = await api().patch(`/api/admin/incidents/${incident.id}`).set(responder.auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('If-Match on updates and resolutions', () => {
  // The console's stale-form check rides on this: a form opened on an older version must not post.
  it('refuses an update or a resolution based on a stale read with 412, writing nothing', async () => {
    const incident = await openIncident();
    const etag = (await api().get(`/api/admin/incidents/${incident.id}`).set(viewer.auth)).headers.etag as string;
    const first = await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).set('if-match', etag).send({ status: 'identified', message: 'One' });
    expect(first.status).toBe(201);

    const stale = await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).set('if-match', etag).send({ status: 'monitoring', message: 'Two' });
    expect(stale.status).toBe(412);
    const resolve = await api()
      .post(`/api/admin/incidents/${incident.id}/resolve`)
      .set(responder.auth)
      .set('if-match', etag)
      .send({ message: 'Done', summary: 'x', postmortemDueAt: '2030-01-01T00:00:00Z' });
    expect(resolve.status).toBe(412);
    const after = await api().get(`/api/admin/incidents/${incident.id}`).set(viewer.auth);
    expect(after.body).toMatchObject({ status: 'identified', resolvedAt: null });
    expect(after.body.updates).toHaveLength(2);
  });
});

describe('PATCH on a resolved incident', () => {
  it('refuses to remove what resolution established', async () => {
    const incident = await openIncident({ severity: 'P1' });
    await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'ok', summary: 'ok', postmortemDueAt: '2026-11-30T00:00:00Z' });
    for (const body of [{ mitigatedAt: null }, { postmortemDueAt: null }]) {
      const res = await api().patch(`/api/admin/incidents/${incident.id}`).set(responder.auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const corrected = await api().patch(`/api/admin/incidents/${incident.id}`).set(responder.auth).send({ postmortemDueAt: '2026-12-02T00:00:00Z' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.postmortemDueAt).toBe('2026-12-02T00:00:00.000Z');
  });
});

describe('internal notes', () => {
  it('are kept with their author and never shown publicly', async () => {
    const incident = await openIncident({ title: 'Noted incident' });
    const res = await api().post(`/api/admin/incidents/${incident.id}/notes`).set(responder.auth).send({ text: 'SECRET-NOTE: db01 disk full' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ incidentId: incident.id, authorId: responder.actor.id, text: 'SECRET-NOTE: db01 disk full' });
    const detail = await api().get(`/api/admin/incidents/${incident.id}`).set(viewer.auth);
    expect(detail.body.notes).toHaveLength(1);
    for (const path of ['/', `/incidents/${incident.id}`, '/history', '/feed.rss']) {
      expect((await api().get(path)).text).not.toContain('SECRET-NOTE');
    }
  });
});

describe('what a write invalidates', () => {
  // The public pages are re-rendered after writes they show, not after every write.
  it('a note, an acknowledgement or a user change leaves the public renders; an update does not', async () => {
    const incident = await openIncident();
    const announced = vi.spyOn(t.app.database, 'announceChange');
    try {
      await api().post(`/api/admin/incidents/${incident.id}/notes`).set(responder.auth).send({ text: 'internal' }).expect(201);
      await api().post(`/api/admin/incidents/${incident.id}/acknowledge`).set(responder.auth).expect(200);
      await api().patch(`/api/admin/users/${viewer.actor.id}`).set(owner.auth).send({ name: 'Renamed viewer' }).expect(200);
      expect(announced).not.toHaveBeenCalled();
      await api().post(`/api/admin/incidents/${incident.id}/updates`).set(responder.auth).send({ status: 'identified', message: 'x' }).expect(201);
      expect(announced).toHaveBeenCalledTimes(1);
    } finally {
      announced.mockRestore();
    }
  });
});

describe('list', () => {
  it('filters by state and validates it', async () => {
    const incident = await openIncident({ severity: 'P3', title: 'Soon resolved' });
    await api().post(`/api/admin/incidents/${incident.id}/resolve`).set(responder.auth).send({ message: 'ok', summary: 'ok' });
    const open = await api().get('/api/admin/incidents?state=open').set(viewer.auth);
    const resolved = await api().get('/api/admin/incidents?state=resolved').set(viewer.auth);
    const all = await api().get('/api/admin/incidents?state=all').set(viewer.auth);
    expect(open.body.some((i: { id: string }) => i.id === incident.id)).toBe(false);
    expect(resolved.body.some((i: { id: string }) => i.id === incident.id)).toBe(true);
    expect(all.body.length).toBe(open.body.length + resolved.body.length);
    expect((await api().get('/api/admin/incidents?state=bogus').set(viewer.auth)).status).toBe(400);
    expect((await api().get('/api/admin/incidents')).status).toBe(401);
  });

});

describe('Idempotency-Key', () => {
  it('a repeat returns the first response and writes nothing', async () => {
    const before = (await t.app.db.select().from(incidents)).length;
    const body = { title: 'Retried over a flaky network', severity: 'P2', status: 'investigating', message: 'm' };
    const first = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'open-42').send(body);
    const again = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'open-42').send(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await t.app.db.select().from(incidents)).length).toBe(before + 1);
  });

  it('a key belongs to its caller and to one request', async () => {
    const body = { title: 'Keyed', severity: 'P2', status: 'investigating', message: 'm' };
    const mine = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'shared-key').send(body);
    const theirs = await api().post('/api/admin/incidents').set(owner.auth).set('idempotency-key', 'shared-key').send(body);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const elsewhere = await api().post(`/api/admin/incidents/${mine.body.id}/notes`).set(responder.auth).set('idempotency-key', 'shared-key').send({ text: 'x' });
    expect(elsewhere.status).toBe(409);
  });

  it('the same key with another body is refused, not replayed', async () => {
    const first = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'body-check').send({ title: 'A', severity: 'P3', status: 'investigating', message: 'm' });
    expect(first.status).toBe(201);
    const other = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'body-check').send({ title: 'B', severity: 'P3', status: 'investigating', message: 'm' });
    expect(other.status).toBe(409);
    expect(other.body.message).toContain('different request body');
  });

  it('a key whose first request died unanswered is refused for a minute, then taken over', async () => {
    const body = { title: 'After a crash', severity: 'P3', status: 'investigating', message: 'm' };
    const pending = (key: string, createdAt: Date) =>
      t.app.db.insert(idempotencyKeys).values({
        actorId: responder.actor.id,
        key,
        method: 'POST',
        path: '/api/admin/incidents',
        requestHash: createHash('sha256').update(JSON.stringify(body)).digest('base64url'),
        createdAt,
      });
    await pending('in-flight', clock.now());
    const busy = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'in-flight').send(body);
    expect(busy.status).toBe(409);
    await pending('abandoned', new Date(clock.now().getTime() - 2 * 60_000));
    const retried = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'abandoned').send(body);
    expect(retried.status).toBe(201);
    const replay = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'abandoned').send(body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(retried.body.id);
  });

  it('an invalid request does not use up the key', async () => {
    const bad = await api().post('/api/admin/incidents').set(responder.auth).set('idempotency-key', 'fix-and-retry').send({ title: 'x' });
    expect(bad.status).toBe(400);
    const good = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .set('idempotency-key', 'fix-and-retry')
      .send({ title: 'x', severity: 'P3', status: 'investigating', message: 'm' });
    expect(good.status).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('text PostgreSQL cannot store', () => {
  it('a NUL character is a 400, not a 500, and nothing is written', async () => {
    const before = (await t.app.db.select().from(incidents)).length;
    const res = await api().post('/api/admin/incidents').set(responder.auth).send({ title: 'bad\u0000title', severity: 'P3', status: 'investigating', message: 'm' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('HG_INVALID');
    expect((await t.app.db.select().from(incidents)).length).toBe(before);
    const literal = await api().post('/api/admin/incidents').set(responder.auth).send({ title: 'typed \\u0000 as text', severity: 'P3', status: 'investigating', message: 'm' });
    expect(literal.status).toBe(201);
  });
});

describe('every incident route refuses', () => {
  const someId = '00000000-0000-4000-8000-000000000000';
  const routes: Array<{ method: 'get' | 'post' | 'patch'; path: string; body?: object; write: boolean }> = [
    { method: 'get', path: '/api/admin/incidents', write: false },
    { method: 'post', path: '/api/admin/incidents', body: { title: 'x', severity: 'P2', status: 'investigating', message: 'm' }, write: true },
    { method: 'get', path: `/api/admin/incidents/${someId}`, write: false },
    { method: 'patch', path: `/api/admin/incidents/${someId}`, body: { title: 'y' }, write: true },
    { method: 'post', path: `/api/admin/incidents/${someId}/publish`, body: {}, write: true },
    { method: 'post', path: `/api/admin/incidents/${someId}/updates`, body: { status: 'identified', message: 'm' }, write: true },
    { method: 'post', path: `/api/admin/incidents/${someId}/acknowledge`, write: true },
    { method: 'post', path: `/api/admin/incidents/${someId}/mitigate`, write: true },
    { method: 'post', path: `/api/admin/incidents/${someId}/resolve`, body: { message: 'm', summary: 's' }, write: true },
    { method: 'post', path: `/api/admin/incidents/${someId}/notes`, body: { text: 't' }, write: true },
  ];

  it.each(routes)('401 without a valid token: $method $path', async ({ method, path, body }) => {
    for (const auth of [{}, { authorization: 'Bearer not.a.token' }]) {
      const res = await api()[method](path).set(auth).send(body);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('HG_UNAUTHORIZED');
    }
  });

  it.each(routes.filter((r) => r.write))('403 for a viewer: $method $path', async ({ method, path, body }) => {
    const res = await api()[method](path).set(viewer.auth).send(body);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'HG_FORBIDDEN', message: expect.any(String) });
  });

  it.each(routes.filter((r) => r.path.includes(someId)))('400 for a malformed id, 404 for an unknown one: $method $path', async ({ method, path, body }) => {
    const bad = await api()[method](path.replace(someId, 'not-a-uuid')).set(responder.auth).send(body);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('HG_INVALID');
    const unknown = await api()[method](path).set(responder.auth).send(body);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'HG_NOT_FOUND', message: `Incident ${someId} not found` });
  });
});

// Regressions: states that once blocked a resolution or a publication, and input that once
// answered 500. Each test states the behaviour the contract asks for.
describe('a deleted component', () => {
  it('does not make an incident that touched it impossible to resolve', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const created = await open({ componentStatuses: { [c.id]: 'major_outage' } });
    expect(created.status).toBe(201);
    expect((await api().delete(`/api/admin/components/${c.id}`).set(owner.auth)).status).toBe(204);
    const res = await api()
      .post(`/api/admin/incidents/${created.body.id}/resolve`)
      .set(responder.auth)
      .send({ message: 'Fixed.', summary: 'It is fixed.' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('does not make a draft that named it impossible to publish', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const created = await open({ draft: true, componentStatuses: { [c.id]: 'partial_outage' } });
    expect(created.status).toBe(201);
    expect((await api().delete(`/api/admin/components/${c.id}`).set(owner.auth)).status).toBe(204);
    const res = await api().post(`/api/admin/incidents/${created.body.id}/publish`).set(responder.auth).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe('mitigatedAt at the first monitoring update', () => {
  it('is stamped when a draft is published with status monitoring', async () => {
    const created = await open({ draft: true });
    clock.advance(60_000);
    const res = await api()
      .post(`/api/admin/incidents/${created.body.id}/publish`)
      .set(responder.auth)
      .send({ status: 'monitoring', message: 'Fix deployed; watching.' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('monitoring');
    expect(res.body.mitigatedAt).not.toBeNull();
  });
});

describe('input that passes the schema but is not usable is a 400, never a 500', () => {
  it('a leap-second detectedAt (valid RFC 3339, an Invalid Date in JavaScript)', async () => {
    const res = await open({ detectedAt: '2016-12-31T23:59:60Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('an offset without minutes, "+01" (accepted by the date-time format)', async () => {
    const res = await open({ startedAt: '2026-11-24T10:00:00+01' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('a year before 1000, which the database would hand back as another year', async () => {
    // PostgreSQL writes year 1 as "0001-…", which Date reads as 2001: stored one thing, served another.
    const res = await open({ startedAt: '0001-01-01T00:00:00Z', detectedAt: '0001-01-01T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('a "urn:uuid:" id (accepted by the uuid format, refused by PostgreSQL)', async () => {
    const res = await api().get('/api/admin/incidents/urn:uuid:00000000-0000-4000-8000-000000000000').set(owner.auth);
    expect([400, 404]).toContain(res.status);
  });

  it('a "urn:uuid:" key in componentStatuses', async () => {
    const res = await open({ componentStatuses: { 'urn:uuid:00000000-0000-4000-8000-000000000000': 'major_outage' } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('an upper-case component id names the existing component', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const res = await open({ componentStatuses: { [c.id.toUpperCase()]: 'degraded_performance' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
