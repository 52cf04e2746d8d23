import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { testConfig, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let responder: TestUser;

test.override('appOptions', {
  now: clock.now,
  extra: { deliveryCounts: async () => [{ state: 'pending', count: 3 }, { state: 'dead', count: 1 }] },
});
test.beforeAll(async ({ testApp, responder: r }) => {
  t = testApp;
  responder = r;
  const open = (body: Record<string, unknown>) =>
    request(t.app.server)
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'x', status: 'investigating', message: 'm', ...body })
      .expect(201);
  // First updates after 0 s, 120 s (backfilled detection) and 400 s; one draft, one P1 open.
  await open({ severity: 'P1' });
  await open({ severity: 'P2', detectedAt: '2026-11-24T09:58:00Z' });
  await open({ severity: 'P2', detectedAt: '2026-11-24T09:53:20Z' });
  await open({ severity: 'P3', draft: true });
  clock.set('2026-11-24T10:20:00Z');
});

/** Another app on this file's database (one database per file). */
async function anotherApp(config: Partial<Config> = {}) {
  const app = await buildApp({ config: testConfig(config), database: t.database, ownsDatabase: false, now: clock.now, logger: false });
  await app.ready();
  return app;
}

const value = (text: string, series: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${series} `));
  return found === undefined ? undefined : Number(found.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('reports incident gauges read from the database at scrape time, plus process metrics', async () => {
    const res = await request(t.app.server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.text;
    expect(value(text, 'heliograph_incidents_open{severity="P1",draft="false"}')).toBe(1);
    expect(value(text, 'heliograph_incidents_open{severity="P2",draft="false"}')).toBe(2);
    expect(value(text, 'heliograph_incidents_open{severity="P0",draft="false"}')).toBe(0);
    // Regression: an open /metrics counted drafts, telling anyone that an incident was being
    // drafted. Drafts count only behind METRICS_TOKEN (below).
    expect(text).not.toMatch(/^heliograph_incidents_open\{[^}]*draft="true"/m);
    // At 10:20 the P1 (update due 10:15) is overdue; the P2s are due at 10:30.
    expect(value(text, 'heliograph_incident_updates_overdue')).toBe(1);
    // The P1 was due an acknowledgement at 10:15.
    expect(value(text, 'heliograph_incident_acknowledgements_overdue')).toBe(1);
    // Time to first update: 0, 120 and 400 s (drafts never count).
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_bucket{le="60"}')).toBe(1);
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_bucket{le="120"}')).toBe(2);
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_bucket{le="300"}')).toBe(2);
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_bucket{le="600"}')).toBe(3);
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_sum')).toBe(520);
    expect(value(text, 'heliograph_incident_time_to_first_update_seconds_count')).toBe(3);
    expect(text).toContain('# TYPE heliograph_incident_time_to_first_update_seconds histogram');
    expect(value(text, 'heliograph_deliveries{state="pending"}')).toBe(3);
    expect(value(text, 'heliograph_deliveries{state="dead"}')).toBe(1);
    // States with no delivery are there too, at zero.
    expect(value(text, 'heliograph_deliveries{state="sent"}')).toBe(0);
    expect(value(text, 'heliograph_deliveries{state="failed"}')).toBe(0);
    expect(text).toContain('heliograph_process_cpu_user_seconds_total');
  });

  it('a registry per app: a second app in the same process registers its metrics without conflict', async () => {
    const other = await anotherApp();
    try {
      const res = await request(other.server).get('/metrics').expect(200);
      expect(value(res.text, 'heliograph_incidents_open{severity="P1",draft="false"}')).toBe(1);
      // Its own outbox (nothing queued in this database): every state is there, at zero, so an
      // alert on `dead > 0` has a series before the first dead delivery.
      for (const state of ['pending', 'sent', 'failed', 'dead']) expect(value(res.text, `heliograph_deliveries{state="${state}"}`)).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('with METRICS_TOKEN set, a scrape needs the bearer token', async () => {
    const guarded = await anotherApp({ metricsToken: 'scrape-token-0123456789' });
    try {
      expect((await request(guarded.server).get('/metrics')).status).toBe(401);
      expect((await request(guarded.server).get('/metrics').set('authorization', 'Bearer wrong')).status).toBe(401);
      expect((await request(guarded.server).get('/metrics').set('authorization', 'Bearer scrape-token-0123456789x')).status).toBe(401);
      // The scheme is case-insensitive: a scraper writing `bearer` is not locked out.
      expect((await request(guarded.server).get('/metrics').set('authorization', 'bearer scrape-token-0123456789')).status).toBe(200);
      const ok = await request(guarded.server).get('/metrics').set('authorization', 'Bearer scrape-token-0123456789');
      expect(ok.status).toBe(200);
      // Our own scraper sees the drafts: the P3 draft's first update was due at 10:05, and the
      // P1's next update at 10:15.
      expect(value(ok.text, 'heliograph_incidents_open{severity="P3",draft="true"}')).toBe(1);
      expect(value(ok.text, 'heliograph_incident_updates_overdue')).toBe(2);
    } finally {
      await guarded.close();
    }
  });
});
