import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-20T10:03:00Z');
let t: TestApp;
let responder: TestUser;
let viewer: TestUser;
const api = () => request(t.app.server);

async function open(body: Record<string, unknown>) {
  const res = await api().post('/api/admin/incidents').set(responder.auth).send({ title: 'x', status: 'investigating', message: 'm', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

test.override('appOptions', { now: clock.now });
test.beforeAll(async ({ testApp, responder: r, viewer: v }) => {
  t = testApp;
  responder = r;
  viewer = v;

  // P0: impact 09:58, detected 10:00 (backfilled), first update 10:03 (180 s), acknowledged
  // 10:05, next update 10:30 (27 min after the last: 12 min late for a 15-min rhythm),
  // resolved 10:40. Postmortem due Nov 21, never published.
  const p0 = await open({ severity: 'P0', startedAt: '2026-11-20T09:58:00Z', detectedAt: '2026-11-20T10:00:00Z' });
  clock.set('2026-11-20T10:05:00Z');
  await api().post(`/api/admin/incidents/${p0}/acknowledge`).set(responder.auth).expect(200);
  clock.set('2026-11-20T10:30:00Z');
  await api().post(`/api/admin/incidents/${p0}/updates`).set(responder.auth).send({ status: 'identified', message: 'm' }).expect(201);
  clock.set('2026-11-20T10:40:00Z');
  await api()
    .post(`/api/admin/incidents/${p0}/resolve`)
    .set(responder.auth)
    .send({ message: 'done', summary: 's', postmortemDueAt: '2026-11-21T10:00:00Z' })
    .expect(200);

  // P3 detected exactly at the range's start (included): first update 6 min later (late).
  clock.set('2026-11-20T00:06:00Z');
  await open({ severity: 'P3', detectedAt: '2026-11-20T00:00:00Z' });
  // Detected exactly at the range's end: excluded.
  clock.set('2026-11-21T00:00:00Z');
  await open({ severity: 'P3' });
  // A draft inside the range: excluded.
  clock.set('2026-11-20T12:00:00Z');
  await open({ severity: 'P2', draft: true });

  clock.set('2026-11-24T12:00:00Z');
});

const report = (query: Record<string, string | undefined>) => api().get('/api/admin/reports/response').query(query).set(viewer.auth);

describe('GET /api/admin/reports/response', () => {
  it('counts public incidents detected in [from, to), with their response times', async () => {
    const res = await report({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' }).expect(200);
    expect(res.body).toMatchObject({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z', basis: 'detectedAt' });
    expect(res.body.overall.count).toBe(2);
    expect(res.body.bySeverity.P2.count).toBe(0);
    expect(res.body.bySeverity.P0).toEqual({
      count: 1,
      mttd: { meanSeconds: 120, samples: 1 },
      mtta: { meanSeconds: 300, samples: 1 },
      unacknowledged: 0,
      mttm: { meanSeconds: 2400, samples: 1 },
      mttr: { meanSeconds: 2400, samples: 1 },
      firstUpdate: { p50Seconds: 180, p90Seconds: 180, maxSeconds: 180, withinTarget: 1, withinTargetShare: 1, measured: 1 },
      overdueUpdates: { count: 1, totalSeconds: 720, maxSeconds: 720 },
      postmortemsOverdue: 1,
    });
    expect(res.body.overall.firstUpdate).toEqual({
      p50Seconds: 180,
      p90Seconds: 360,
      maxSeconds: 360,
      withinTarget: 1,
      withinTargetShare: 0.5,
      measured: 2,
    });
    expect(res.body.overall.unacknowledged).toBe(1);
    // The P3 is still open at Nov 24 12:00: due 30 min after its 00:06 update, so late since 00:36.
    expect(res.body.bySeverity.P3.overdueUpdates).toEqual({ count: 1, totalSeconds: 386_640, maxSeconds: 386_640 });
  });

  it('lists each counted incident’s time to first update, oldest detection first', async () => {
    const res = await report({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' }).expect(200);
    expect(res.body.incidents.map((i: { severity: string; firstUpdateSeconds: number | null; detectedAt: string }) => [i.severity, i.detectedAt, i.firstUpdateSeconds])).toEqual([
      ['P3', '2026-11-20T00:00:00.000Z', 360],
      ['P0', '2026-11-20T10:00:00.000Z', 180],
    ]);
    expect(res.body.incidents[0]).toMatchObject({ title: 'x', id: expect.any(String) });
  });

  it('accepts offsets, even a `+` the client forgot to encode', async () => {
    const res = await api().get('/api/admin/reports/response?from=2026-11-20T01:00:00+01:00&to=2026-11-21T01:00:00%2B01:00').set(viewer.auth).expect(200);
    expect(res.body.from).toBe('2026-11-20T00:00:00.000Z');
    expect(res.body.overall.count).toBe(2);
  });

  it('an empty range reports zeros and nulls', async () => {
    const res = await report({ from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' }).expect(200);
    expect(res.body.overall).toMatchObject({ count: 0, mttr: { meanSeconds: null, samples: 0 }, firstUpdate: { withinTargetShare: null } });
  });

  it('400 unless from < to, both ISO 8601 with a zone', async () => {
    for (const query of [
      { from: '2026-11-21T00:00:00Z', to: '2026-11-20T00:00:00Z' },
      { from: '2026-11-20T00:00:00Z', to: '2026-11-20T00:00:00Z' },
      { from: '2026-11-20T00:00:00', to: '2026-11-21T00:00:00Z' },
      { from: '2026-11-20', to: '2026-11-21' },
      { from: '2026-11-20T00:00:00Z' },
      { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', extra: '1' },
    ]) {
      const res = await report(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
  });

  it('401 without a token; every role may read it (a report changes nothing)', async () => {
    expect((await api().get('/api/admin/reports/response?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z')).status).toBe(401);
  });

  it('403 for an ingest-only API token; a read token may fetch it', async () => {
    const owner = await makeUser(t.app, 'owner');
    const token = async (scopes: string[]) =>
      (await api().post('/api/admin/tokens').set(owner.auth).send({ name: scopes.join(), scopes }).expect(201)).body.token as string;
    const path = '/api/admin/reports/response?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z';
    expect((await api().get(path).set('authorization', `Bearer ${await token(['ingest'])}`)).status).toBe(403);
    expect((await api().get(path).set('authorization', `Bearer ${await token(['read'])}`)).status).toBe(200);
  });
});
