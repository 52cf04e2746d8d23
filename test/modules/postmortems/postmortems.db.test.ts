import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PostmortemNotifier } from '../../../src/modules/postmortems/postmortems.service.js';
import { buildApp } from '../../../src/app.js';
import { testConfig, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
const announced: Parameters<PostmortemNotifier>[1][] = [];
let t: TestApp;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', {
  now: clock.now,
  extra: { postmortemNotifier: async (_tx, notice) => void announced.push(notice) },
});
test.beforeAll(({ testApp, responder: r, viewer: v }) => {
  t = testApp;
  responder = r;
  viewer = v;
});
beforeEach(() => {
  clock.set('2026-11-24T10:00:00Z');
  announced.length = 0;
});

const api = () => request(t.app.server);
const NOTE = 'Paged Dana; she suspects the deploy by Sam';

/** A P1 with a public update, an internal note, resolved at 11:00 with a postmortem due Nov 30. */
async function resolvedIncident(title = 'Checkout down') {
  const res = await api()
    .post('/api/admin/incidents')
    .set(responder.auth)
    .send({ title, severity: 'P1', status: 'investigating', message: 'Checkout is failing.' })
    .expect(201);
  const id = res.body.id as string;
  clock.set('2026-11-24T10:10:00Z');
  await api().post(`/api/admin/incidents/${id}/notes`).set(responder.auth).send({ text: NOTE }).expect(201);
  clock.set('2026-11-24T11:00:00Z');
  await api()
    .post(`/api/admin/incidents/${id}/resolve`)
    .set(responder.auth)
    .send({ message: 'Fixed.', summary: 'Checkout failed for an hour.', postmortemDueAt: '2026-11-30T17:00:00Z' })
    .expect(200);
  return id;
}

const full = {
  summary: 'Checkout failed for an hour after a **configuration change**. <script>alert(1)</script>',
  rootCause: 'A connection pool limit was lowered by a configuration change that no check covered.',
  whys: ['Checkout failed: no database connections', 'The pool was too small: its limit was lowered'],
  contributingFactors: ['No alert on pool saturation'],
  actionItems: [{ title: 'Alert on pool saturation', owner: 'Platform team', dueDate: '2026-12-05', done: false }],
};

describe('postmortem API', () => {
  it('GET before anything is saved: a blank template with the timeline prefilled, notes marked internal', async () => {
    const id = await resolvedIncident();
    const res = await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200);
    expect(res.body).toMatchObject({ incidentId: id, saved: false, summary: '', timelinePrefilled: true, publishedAt: null });
    expect(res.body.timeline).toEqual([
      { at: '2026-11-24T10:00:00.000Z', text: 'investigating: Checkout is failing.', source: 'update', internal: false },
      { at: '2026-11-24T10:10:00.000Z', text: NOTE, source: 'note', internal: true },
      { at: '2026-11-24T11:00:00.000Z', text: 'resolved: Fixed.', source: 'update', internal: false },
    ]);
  });

  it('PUT without a timeline saves the rest and keeps offering the prefill', async () => {
    const id = await resolvedIncident();
    const put = await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send(full).expect(200);
    expect(put.body).toMatchObject({ saved: true, timelinePrefilled: true, rootCause: full.rootCause, whys: full.whys });
    expect(put.body.actionItems).toEqual(full.actionItems.map((a) => ({ ...a, overdue: false })));
    const get = await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200);
    expect(get.body.timeline).toHaveLength(3);
  });

  it('publishes: the page and the feed show what was saved, never an internal line; subscribers are announced once', async () => {
    const id = await resolvedIncident('Payments outage');
    const prefill = (await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth)).body.timeline;
    // The author accepts the prefill as it is (the note stays internal) and adds a line.
    const timeline = [...prefill, { at: '2026-11-24T10:40:00Z', text: 'Pool limit restored' }];
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ ...full, timeline }).expect(200);

    clock.set('2026-11-26T09:00:00Z');
    const pub = await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth).expect(200);
    expect(pub.body.publishedAt).toBe('2026-11-26T09:00:00.000Z');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.content.subject).toBe('[Example Status] Postmortem: Payments outage');

    const page = await api().get(`/incidents/${id}`).expect(200);
    expect(page.text).toContain('id="postmortem"');
    expect(page.text).toContain('<strong>configuration change</strong>');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('Pool limit restored');
    expect(page.text).toContain('Alert on pool saturation');
    expect(page.text).toContain('No alert on pool saturation');
    expect(page.text).not.toContain('Dana');

    const feed = await api().get('/feed.rss').expect(200);
    expect(feed.text).toContain('[Postmortem] Payments outage');
    expect(feed.text).toContain(`/incidents/${id}#postmortem`);
    expect(feed.text).not.toContain('Dana');
    // Newest first: the postmortem (Nov 26) comes before the resolution (Nov 24).
    expect(feed.text.indexOf('[Postmortem] Payments outage')).toBeLessThan(feed.text.indexOf('[Resolved] Payments outage'));

    // A second publication is refused; the first announcement stands.
    await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth).expect(409);
    expect(announced).toHaveLength(1);
  });

  it('an internal line the author deliberately unmarks is published', async () => {
    const id = await resolvedIncident();
    const timeline = [{ at: '2026-11-24T10:10:00Z', text: 'Rolled back the pool change', source: 'note', internal: false }];
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ ...full, timeline }).expect(200);
    await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth).expect(200);
    expect((await api().get(`/incidents/${id}`)).text).toContain('Rolled back the pool change');
  });

  it('edits after publication show on the page at once, marked as revised, without a new announcement', async () => {
    const id = await resolvedIncident();
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send(full).expect(200);
    clock.set('2026-11-26T09:00:00Z');
    await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth).expect(200);
    expect((await api().get(`/incidents/${id}`)).text).not.toContain('revised');
    clock.set('2026-11-27T09:00:00Z');
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ ...full, summary: 'Corrected summary.' }).expect(200);
    const page = await api().get(`/incidents/${id}`);
    expect(page.text).toContain('Corrected summary.');
    expect(page.text).toContain('revised');
    expect(announced).toHaveLength(1);
    const get = await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth);
    expect(get.body.publishedAt).toBe('2026-11-26T09:00:00.000Z');
  });

  it('refuses to publish what is not ready', async () => {
    const open = (await api().post('/api/admin/incidents').set(responder.auth).send({ title: 'Open', severity: 'P2', status: 'investigating', message: 'm' })).body.id;
    await api().post(`/api/admin/incidents/${open}/postmortem/publish`).set(responder.auth).expect(409); // nothing saved
    await api().put(`/api/admin/incidents/${open}/postmortem`).set(responder.auth).send(full).expect(200);
    await api().post(`/api/admin/incidents/${open}/postmortem/publish`).set(responder.auth).expect(409); // unresolved
    const id = await resolvedIncident();
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ summary: 'Only a summary' }).expect(200);
    const res = await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth).expect(400);
    expect(res.body.error).toBe('HG_INVALID');
    // Nothing of an unpublished postmortem is public.
    expect((await api().get(`/incidents/${id}`)).text).not.toContain('Only a summary');
  });

  it('flags a resolved incident whose postmortem is overdue, until it is published', async () => {
    const id = await resolvedIncident();
    const flag = async () => {
      const detail = await api().get(`/api/admin/incidents/${id}`).set(viewer.auth);
      const list = await api().get('/api/admin/incidents?state=resolved').set(viewer.auth);
      const listed = list.body.find((i: { id: string }) => i.id === id).postmortemOverdue;
      expect(listed).toBe(detail.body.postmortemOverdue);
      return listed;
    };
    clock.set('2026-11-30T17:00:00Z');
    expect(await flag()).toBe(false); // exactly on the due time is on time
    clock.set('2026-11-30T17:00:01Z');
    expect(await flag()).toBe(true);
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send(full).expect(200);
    await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth).expect(200);
    expect(await flag()).toBe(false);
  });
});

describe('action items', () => {
  // Regression: action items had a due date but nothing said when one was missed.
  it('are flagged overdue once their due date has passed (display time zone), unless done', async () => {
    const id = await resolvedIncident();
    const items = [
      { title: 'Alert on pool saturation', owner: 'Platform team', dueDate: '2026-12-05', done: false },
      { title: 'Runbook for failover', owner: 'SRE', dueDate: '2026-12-01', done: true },
      { title: 'Load test the pool', owner: null, dueDate: null, done: false },
    ];
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ ...full, actionItems: items }).expect(200);
    const overdue = async () =>
      ((await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200)).body.actionItems as { overdue: boolean }[]).map(
        (a) => a.overdue,
      );
    clock.set('2026-12-05T23:59:59Z');
    expect(await overdue()).toEqual([false, false, false]); // due today is on time all day
    clock.set('2026-12-06T00:00:00Z');
    expect(await overdue()).toEqual([true, false, false]);

    // At 11:00 UTC on the 5th it is already the 6th in Auckland (UTC+13 in December).
    clock.set('2026-12-05T11:00:00Z');
    expect(await overdue()).toEqual([false, false, false]);
    const auckland = await buildApp({
      config: testConfig({ displayTimeZone: 'Pacific/Auckland' }),
      database: t.database,
      ownsDatabase: false,
      now: clock.now,
      logger: false,
    });
    try {
      await auckland.ready();
      const res = await request(auckland.server).get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200);
      expect(res.body.actionItems.map((a: { overdue: boolean }) => a.overdue)).toEqual([true, false, false]);
    } finally {
      await auckland.close();
    }
  });

  it('a GET can be edited and sent back as it is: the derived flag is accepted and not stored', async () => {
    const id = await resolvedIncident();
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send(full).expect(200);
    clock.set('2026-12-10T00:00:00Z');
    const got = (await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200)).body;
    expect(got.actionItems[0].overdue).toBe(true);
    const { summary, timeline, rootCause, whys, contributingFactors } = got;
    const actionItems = got.actionItems.map((a: object) => ({ ...a, done: true }));
    const put = await api()
      .put(`/api/admin/incidents/${id}/postmortem`)
      .set(responder.auth)
      .send({ summary, timeline, rootCause, whys, contributingFactors, actionItems })
      .expect(200);
    expect(put.body.actionItems[0]).toMatchObject({ done: true, overdue: false });
  });
});

describe('postmortem API errors', () => {
  const id = '7b0f7b52-2f3a-4d8e-9c39-0f6a3bde5c11';
  const routes = [
    { method: 'get', path: `/api/admin/incidents/${id}/postmortem`, write: false },
    { method: 'put', path: `/api/admin/incidents/${id}/postmortem`, write: true, body: { summary: 's' } },
    { method: 'post', path: `/api/admin/incidents/${id}/postmortem/publish`, write: true },
  ] as const;

  it.each(routes)('401 without a token: $method $path', async ({ method, path }) => {
    expect((await api()[method](path)).status).toBe(401);
  });
  it.each(routes.filter((r) => r.write))('403 for a viewer: $method $path', async ({ method, path }) => {
    expect((await api()[method](path).set(viewer.auth).send({ summary: 's' })).status).toBe(403);
  });
  it('400 for a bad id, a missing summary, unknown fields, a bad date', async () => {
    expect((await api().get('/api/admin/incidents/nope/postmortem').set(viewer.auth)).status).toBe(400);
    const incident = await resolvedIncident();
    const put = (body: unknown) => api().put(`/api/admin/incidents/${incident}/postmortem`).set(responder.auth).send(body as object);
    expect((await put({})).status).toBe(400);
    expect((await put({ summary: 's', blame: 'Sam' })).status).toBe(400);
    expect((await put({ summary: 's', timeline: [{ at: '2026-11-24 10:00', text: 'x' }] })).status).toBe(400);
    expect((await put({ summary: 's', actionItems: [{ title: 't', dueDate: 'tomorrow' }] })).status).toBe(400);
    expect((await put({ summary: 's', timeline: [{ at: '2026-12-31T23:59:60Z', text: 'leap' }] })).status).toBe(400);
  });
  it('404 for an unknown incident', async () => {
    expect((await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth)).status).toBe(404);
    expect((await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ summary: 's' })).status).toBe(404);
    expect((await api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(responder.auth)).status).toBe(404);
  });
});

describe('postmortem concurrency (If-Match)', () => {
  // Guards against two writers silently overwriting each other: the last save used to win.
  it('hands out the version as an ETag and refuses a save based on an older read with 412', async () => {
    const id = await resolvedIncident('Two writers');
    const blank = await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200);
    expect(blank.headers.etag).toBe('"0"');
    expect(blank.body.version).toBe(0);

    const first = await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).set('If-Match', '"0"').send({ summary: 'Ann’s draft' }).expect(200);
    expect(first.headers.etag).toBe('"1"');
    const stale = await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).set('If-Match', '"0"').send({ summary: 'Bob’s draft' }).expect(412);
    expect(stale.body).toMatchObject({ error: 'HG_PRECONDITION_FAILED' });
    expect(stale.body.message).toContain('someone else');
    const kept = await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth).expect(200);
    expect(kept.body.summary).toBe('Ann’s draft');
    expect(kept.headers.etag).toBe('"1"');

    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).set('If-Match', kept.headers.etag!).send({ summary: 'Bob’s draft' }).expect(200);
    expect((await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).set('If-Match', 'W/"2"').send({ summary: 'Third' })).headers.etag).toBe('"3"');
  });

  it('If-Match is optional (no check without it or with *); a malformed one is a 412', async () => {
    const id = await resolvedIncident('Old client');
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).send({ summary: 'One' }).expect(200);
    await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).set('If-Match', '*').send({ summary: 'Two' }).expect(200);
    const bad = await api().put(`/api/admin/incidents/${id}/postmortem`).set(responder.auth).set('If-Match', 'yesterday').send({ summary: 'Three' }).expect(412);
    expect(bad.body.message).toContain('ETag of the postmortem');
    expect((await api().get(`/api/admin/incidents/${id}/postmortem`).set(viewer.auth)).body).toMatchObject({ summary: 'Two', version: 2 });
  });
});
