import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

// The Saturday before clocks spring forward in Los Angeles (Sunday March 8, 2026, 02:00 → 03:00).
const clock = new TestClock('2026-03-07T18:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;

test.override('appOptions', { now: clock.now, config: { displayTimeZone: 'America/Los_Angeles', maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
});

const schedule = async (body: object) => {
  const res = await request(t.app.server)
    .post('/api/admin/maintenances')
    .set(responder.auth)
    .send({ title: 'Night work', body: 'We **upgrade** the <script>alert(1)</script> routers.', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('maintenance on the public pages', () => {
  it('upcoming across the daylight-saving change: the window reads in the display zone with both zone names', async () => {
    const c = await makeComponent(t.app, owner.actor, { name: 'Edge routers' });
    // 01:00 PST to 04:00 PDT: two real hours.
    const m = await schedule({ scheduledFor: '2026-03-08T09:00:00Z', scheduledUntil: '2026-03-08T11:00:00Z', componentIds: [c.id] });
    // Beyond the 14 days the page looks ahead: not listed yet.
    await schedule({ title: 'Far away', scheduledFor: '2026-04-01T09:00:00Z', scheduledUntil: '2026-04-01T10:00:00Z' });
    const page = await request(t.app.server).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Scheduled maintenance');
    expect(page.text).toContain('Mar 8, 2026, 01:00 PST – 04:00 PDT');
    expect(page.text).toContain('2 h');
    // "Starts in 15 hours" with the reader's clock (public/page.js); the instant in the display zone without it.
    expect(page.text).toContain('Starts <time datetime="2026-03-08T09:00:00.000Z" data-starts>Mar 8, 2026, 01:00 PST</time>');
    expect(page.text).toContain(`href="/maintenances/${m.id}"`);
    expect(page.text).not.toContain('Far away');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('<strong>upgrade</strong>');
    expect(page.text).toContain('href="/api/v2/summary.json"');

    // Under way: shown as in progress, the component under maintenance, the headline says so.
    clock.set('2026-03-08T09:00:00Z');
    await t.app.maintenanceScheduler.tick();
    const during = await request(t.app.server).get('/');
    expect(during.text).toContain('Maintenance in progress');
    expect(during.text).toContain('In progress');
    expect(during.text).toContain('Service Under Maintenance');

    const one = await request(t.app.server).get(`/maintenances/${m.id}`);
    expect(one.status).toBe(200);
    expect(one.headers.etag).toBeDefined();
    expect(one.text).toContain('Night work');
    expect(one.text).toContain('Edge routers');
    expect(one.text).toContain('Scheduled maintenance is currently in progress');

    clock.set('2026-03-08T11:00:00Z');
    await t.app.maintenanceScheduler.tick();
    const after = await request(t.app.server).get('/');
    expect(after.text).not.toContain('Maintenance in progress');
    expect(after.text).toContain('All Systems Operational');
  });

  it('names the components it covers as they are called now: a rename shows on the status page at once', async () => {
    const c = await makeComponent(t.app, owner.actor, { name: 'Object storage' });
    await schedule({ title: 'Disk swap', scheduledFor: '2026-03-08T20:00:00Z', scheduledUntil: '2026-03-08T21:00:00Z', componentIds: [c.id] });
    expect((await request(t.app.server).get('/')).text).toContain('Affected: Object storage');
    const renamed = await request(t.app.server).patch(`/api/admin/components/${c.id}`).set(owner.auth).send({ name: 'Blob storage' });
    expect(renamed.status).toBe(200);
    const page = await request(t.app.server).get('/');
    expect(page.text).toContain('Affected: Blob storage');
    expect(page.text).not.toContain('Object storage');
    await request(t.app.server).delete(`/api/admin/components/${c.id}`).set(owner.auth).expect(204);
    expect((await request(t.app.server).get('/')).text).not.toContain('Blob storage');
  });

  it('an unknown or malformed id is a 404 page', async () => {
    expect((await request(t.app.server).get('/maintenances/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await request(t.app.server).get('/maintenances/nope');
    expect(bad.status).toBe(404);
    expect(bad.text).toContain('no such maintenance');
  });

  // Regression: the maintenance 404 was not kept (only pinned keys keep a non-200), so every
  // made-up id cost a template render and two compressions, as the incident 404 does not.
  it('made-up ids share one rendered 404', async () => {
    await request(t.app.server).get('/maintenances/warm-up');
    await t.app.publicCache.settled();
    const view = vi.spyOn(t.app, 'view');
    try {
      const first = await request(t.app.server).get('/maintenances/made-up-1');
      const second = await request(t.app.server).get('/maintenances/00000000-0000-4000-8000-00000000abcd');
      expect(first.status).toBe(404);
      expect(second.status).toBe(404);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(view.mock.calls.filter(([template]) => template === 'pages/error')).toHaveLength(0);
    } finally {
      view.mockRestore();
    }
  });
});
