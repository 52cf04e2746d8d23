import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, asc, desc, eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, components, componentSources, componentStatusChanges, incidents, notifications } from '../../../src/db/schema/index.js';
import { pollDueSources } from '../../../src/modules/component-sources/source-poller.js';
import { systemContext } from '../../../src/modules/context.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * Our page follows another Heliograph, started here as the vendor on its own database and
 * listening on loopback (reachable because this app, like the webhook tests' one, may call
 * private addresses), and a few local pages that answer badly.
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
test.override('appOptions', { now: clock.now, config: { webhookAllowPrivate: true, sourcePollTimeoutSeconds: 1 } });

let t: TestApp;
let owner: TestUser;
let vendor: TestApp;
let vendorOwner: TestUser;
let vendorUrl: string;
let bad: http.Server;
let badUrl: string;
/** Requests the bad pages got, by path. */
const hits = new Map<string, number>();
const hanging: http.ServerResponse[] = [];

test.beforeAll(async ({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
  vendor = await createTestApp({ config: { pageName: 'Acme Cloud' } });
  vendorOwner = await makeUser(vendor.app, 'owner');
  await vendor.app.listen({ port: 0, host: '127.0.0.1' });
  vendorUrl = `http://127.0.0.1:${(vendor.app.server.address() as AddressInfo).port}`;
  bad = http.createServer((req, res) => {
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    res.on('error', () => {});
    if (req.url === '/garbage/api/v2/summary.json') res.end('{"page": {"name": "x"}, "status": ');
    else if (req.url === '/html/api/v2/summary.json') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Status</title>');
    else if (req.url === '/shape/api/v2/summary.json') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    else if (req.url === '/huge/api/v2/summary.json' || req.url === '/huge-declared/api/v2/summary.json') {
      // 20 MB; chunked on /huge: no length to refuse up front, so the reader must stop by itself.
      const declared = req.url.startsWith('/huge-declared') ? { 'content-length': String(20 * 1024 * 1024) } : {};
      res.writeHead(200, { 'content-type': 'application/json', ...declared });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 20 && !res.destroyed) {
          sent += 1;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else if (req.url === '/redirect/api/v2/summary.json') res.writeHead(302, { location: `${badUrl}/metadata` }).end();
    else if (req.url === '/hang/api/v2/summary.json') hanging.push(res);
    else res.writeHead(500).end();
  });
  await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
  badUrl = `http://127.0.0.1:${(bad.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((r) => bad?.close(() => r()));
  await vendor?.close();
});

const api = () => request(t.app.server);

async function link(componentId: string, body: Record<string, unknown>) {
  const res = await api().put(`/api/admin/components/${componentId}/source`).set(owner.auth).send(body);
  expect(res.status).toBe(200);
  return res.body;
}

async function source(componentId: string) {
  const res = await api().get(`/api/admin/components/${componentId}/source`).set(owner.auth);
  expect(res.status).toBe(200);
  return res.body;
}

async function componentStatus(id: string) {
  const res = await api().get('/api/admin/components').set(owner.auth);
  return res.body.find((c: { id: string }) => c.id === id).status;
}

/** Through the vendor's API, so its public renders (and ETag) move on as they would in production. */
async function vendorComponent(name: string) {
  const res = await request(vendor.app.server).post('/api/admin/components').set(vendorOwner.auth).send({ name });
  expect(res.status).toBe(201);
  await vendorShows(res.body.id, 'operational');
  return res.body as { id: string };
}

async function vendorSets(componentId: string, status: string) {
  const res = await request(vendor.app.server).patch(`/api/admin/components/${componentId}`).set(vendorOwner.auth).send({ status });
  expect(res.status).toBe(200);
  await vendorShows(componentId, status);
}

/**
 * Waits until the vendor's summary shows the change: a render slower than the render cache's
 * wait is served stale meanwhile, which a poller sees as "no change yet" (right, but not what a
 * test step means).
 */
async function vendorShows(componentId: string, status: string) {
  await expect
    .poll(async () => {
      const res = await request(vendor.app.server).get('/api/v2/summary.json');
      return res.body.components.find((c: { id: string }) => c.id === componentId)?.status;
    })
    .toBe(status);
}

/** One poller pass after `seconds` more: every source due by then is polled. */
async function pollAfter(seconds: number) {
  clock.advanceSeconds(seconds);
  return t.app.sourcePoller.tick();
}

/** A pass run directly, as another process (or a test's own log) would run it. */
const pollOptions = () => ({ schedule: { intervalMs: 60_000, maxBackoffMs: 1_800_000 }, timeoutMs: 1000, resolver: t.app.notifications.resolver, allowPrivate: true });

const outcomeOf = (outcomes: Awaited<ReturnType<typeof pollAfter>>, componentId: string) => outcomes.find((o) => o.componentId === componentId);

describe('following another Heliograph', () => {
  it("mirrors a vendor component's status, with a history row, an audit row and a component_update event", async () => {
    const vendorApi = await vendorComponent('API');
    const ours = await makeComponent(t.app, owner.actor, { name: 'Payments provider' });
    const linked = await link(ours.id, { url: vendorUrl, vendorComponentId: vendorApi.id });
    expect(linked).toMatchObject({ url: `${vendorUrl}/api/v2/summary.json`, vendorComponentId: vendorApi.id, lastPolledAt: null, nextPollAt: clock.now().toISOString() });

    expect(outcomeOf(await pollAfter(0), ours.id)).toEqual({ componentId: ours.id, result: 'unchanged' });
    expect(await source(ours.id)).toMatchObject({ vendorStatus: 'operational', vendorName: 'Acme Cloud: API', lastError: null, failures: 0 });

    await vendorSets(vendorApi.id, 'partial_outage');
    expect(outcomeOf(await pollAfter(60), ours.id)).toEqual({ componentId: ours.id, result: 'changed' });
    expect(await componentStatus(ours.id)).toBe('partial_outage');
    const history = await t.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, ours.id)).orderBy(asc(componentStatusChanges.id));
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.actorId])).toEqual([
      [null, 'operational', owner.actor.id],
      ['operational', 'partial_outage', null],
    ]);
    // Moved with each change, as a person's change moves it: the status page reads the component's uptime again.
    const [row] = await t.app.db.select({ uptimeRevision: components.uptimeRevision }).from(components).where(eq(components.id, ours.id));
    expect(row!.uptimeRevision).toBe(history.length);
    const [audit] = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, ours.id)).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ action: 'component.source_update', actorId: null, before: { status: 'operational' }, after: { status: 'partial_outage' } });
    // Statuspage's component_update event, as for a person's change.
    const [event] = await t.app.db.select().from(notifications).where(eq(notifications.dedupeKey, `component-update:${history[1]!.id}`));
    expect(event).toMatchObject({ kind: 'component.update', componentIds: [ours.id] });
    expect(event!.webhookPayload).toMatchObject({ component_update: { old_status: 'operational', new_status: 'partial_outage', component_id: ours.id } });
    expect(await source(ours.id)).toMatchObject({ vendorStatus: 'partial_outage', lastPolledAt: clock.now().toISOString(), nextPollAt: new Date(clock.now().getTime() + 60_000).toISOString() });
  });

  it("asks with the vendor's ETag and only reschedules on 304", async () => {
    const vendorDb = await vendorComponent('Database');
    const ours = await makeComponent(t.app, owner.actor);
    await link(ours.id, { url: `${vendorUrl}/api/v2/summary.json`, vendorComponentId: vendorDb.id });
    await pollAfter(0);
    const [row] = await t.app.db.select().from(componentSources).where(eq(componentSources.componentId, ours.id));
    expect(row!.etag).toMatch(/^(W\/)?"/);
    expect(outcomeOf(await pollAfter(60), ours.id)).toEqual({ componentId: ours.id, result: 'not_modified' });
    expect(await source(ours.id)).toMatchObject({ lastPolledAt: clock.now().toISOString(), failures: 0 });
  });

  it('lets a status set by hand stand until the vendor changes again', async () => {
    const vendorCdn = await vendorComponent('CDN');
    const ours = await makeComponent(t.app, owner.actor);
    await link(ours.id, { url: vendorUrl, vendorComponentId: vendorCdn.id });
    await vendorSets(vendorCdn.id, 'major_outage');
    await pollAfter(60);
    expect(await componentStatus(ours.id)).toBe('major_outage');
    await api().patch(`/api/admin/components/${ours.id}`).set(owner.auth).send({ status: 'degraded_performance' }).expect(200);
    // The vendor's page changes elsewhere (a new ETag), but not what we follow.
    await vendorComponent('Elsewhere');
    expect(outcomeOf(await pollAfter(60), ours.id)?.result).toBe('unchanged');
    expect(await componentStatus(ours.id)).toBe('degraded_performance');
    await vendorSets(vendorCdn.id, 'operational');
    await pollAfter(60);
    expect(await componentStatus(ours.id)).toBe('operational');
  });

  it("opens one draft incident when the vendor page's overall status degrades, and no second while it is open", async () => {
    // The vendor's overall indicator: its worst component (the first test left one in partial outage).
    const ours = await makeComponent(t.app, owner.actor, { name: 'Acme' });
    const linked = await link(ours.id, { url: vendorUrl, openDraftOnDegrade: true });
    expect(linked.vendorComponentId).toBeNull();
    const first = outcomeOf(await pollAfter(60), ours.id)!;
    expect(first.result).toBe('changed');
    expect(await componentStatus(ours.id)).toBe('partial_outage');
    const [draft] = await t.app.db.select().from(incidents).where(eq(incidents.id, first.draftIncidentId!));
    expect(draft).toMatchObject({ draft: true, title: 'Acme Cloud: partial outage', severity: 'P2', createdBy: owner.actor.id, resolvedAt: null });
    // Not on the public page: a draft.
    const page = await api().get('/api/v2/incidents/unresolved.json');
    expect(page.body.incidents.map((i: { id: string }) => i.id)).not.toContain(draft!.id);
    expect((await source(ours.id)).openIncidentId).toBe(draft!.id);

    const worse = await vendorComponent('Everything');
    await vendorSets(worse.id, 'major_outage');
    const second = outcomeOf(await pollAfter(60), ours.id)!;
    expect(second).toEqual({ componentId: ours.id, result: 'changed' });
    expect(await componentStatus(ours.id)).toBe('major_outage');
    const drafts = await t.app.db.select().from(incidents).where(and(eq(incidents.draft, true), eq(incidents.createdBy, owner.actor.id)));
    expect(drafts.filter((i) => i.title.startsWith('Acme Cloud'))).toHaveLength(1);
    await vendorSets(worse.id, 'operational');
  });
});

describe('a page that answers badly', () => {
  const cases: [string, () => string, RegExp][] = [
    ['garbage', () => `${badUrl}/garbage`, /^The page answered something that is not JSON$/],
    ['HTML', () => `${badUrl}/html`, /^The page answered HTML, not JSON/],
    ['JSON of another shape', () => `${badUrl}/shape`, /^The page answered JSON that is not a Statuspage v2 summary/],
    ['a 20 MB body', () => `${badUrl}/huge`, /^The page sent more than the 1048576 bytes a summary may have$/],
    ['a 20 MB body, declared', () => `${badUrl}/huge-declared`, /^The page sent a body of 20971520 bytes, more than the 1048576 a summary may have$/],
    ['a redirect to a private address', () => `${badUrl}/redirect`, /^The page answered HTTP 302 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/metadata\); redirects are not followed, link the final address$/],
    ['an error status', () => `${badUrl}/other`, /^The page answered HTTP 500$/],
    ['nothing at all (timeout)', () => `${badUrl}/hang`, /^The page gave no complete answer within 1000 ms$/],
    ['nothing at all (connection refused)', () => 'http://127.0.0.1:9', /^The page refused the connection$/],
  ];

  it.each(cases)('%s: leaves the component unchanged, says why and backs off', async (_name, url, error) => {
    const ours = await makeComponent(t.app, owner.actor, { status: 'degraded_performance' });
    await link(ours.id, { url: url(), openDraftOnDegrade: true });
    const before = await t.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, ours.id));

    const first = outcomeOf(await pollAfter(0), ours.id)!;
    expect(first.result).toBe('failed');
    let seen = await source(ours.id);
    expect(seen.lastError).toMatch(error);
    expect(seen).toMatchObject({ failures: 1, vendorStatus: null, openIncidentId: null, nextPollAt: new Date(clock.now().getTime() + 60_000).toISOString() });

    await pollAfter(60);
    seen = await source(ours.id);
    expect(seen).toMatchObject({ failures: 2, nextPollAt: new Date(clock.now().getTime() + 120_000).toISOString() });
    // Not due yet: the backoff holds it back.
    expect(outcomeOf(await pollAfter(60), ours.id)).toBeUndefined();
    expect(outcomeOf(await pollAfter(60), ours.id)?.result).toBe('failed');
    expect((await source(ours.id)).failures).toBe(3);

    expect(await componentStatus(ours.id)).toBe('degraded_performance');
    expect(await t.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, ours.id))).toEqual(before);
    await api().delete(`/api/admin/components/${ours.id}/source`).set(owner.auth).expect(204);
  });

  it('never reaches where a redirect points', () => {
    // The redirect above pointed at a loopback address (as one to cloud metadata would): only the first hop was asked.
    expect(hits.get('/redirect/api/v2/summary.json')).toBe(3);
    expect(hits.get('/metadata')).toBeUndefined();
  });
});

describe('the log', () => {
  it('says which page failed and why', async () => {
    const ours = await makeComponent(t.app, owner.actor);
    await link(ours.id, { url: `${badUrl}/html` });
    clock.advanceSeconds(3600);
    const warnings: object[] = [];
    const log = { info: () => {}, error: () => {}, warn: (obj: object) => warnings.push(obj) };
    await pollDueSources({ ...systemContext(t.app), log }, pollOptions());
    expect(warnings).toContainEqual(
      expect.objectContaining({ componentId: ours.id, url: `${badUrl}/html/api/v2/summary.json`, reason: 'answered HTML, not JSON (is this the summary.json address?)', failures: 1 }),
    );
    await api().delete(`/api/admin/components/${ours.id}/source`).set(owner.auth).expect(204);
  });
});

describe('one poll per source across processes', () => {
  it('two passes at once claim each due source once', async () => {
    const ours = await makeComponent(t.app, owner.actor);
    await link(ours.id, { url: `${badUrl}/count` });
    clock.advanceSeconds(3600);
    const before = hits.get('/count/api/v2/summary.json') ?? 0;
    const [a, b] = await Promise.all([pollDueSources(systemContext(t.app), pollOptions()), pollDueSources(systemContext(t.app), pollOptions())]);
    expect([...a, ...b].filter((o) => o.componentId === ours.id)).toHaveLength(1);
    expect(hits.get('/count/api/v2/summary.json')).toBe(before + 1);
    await api().delete(`/api/admin/components/${ours.id}/source`).set(owner.auth).expect(204);
  });
});
