import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { components, componentStatusChanges, componentUptimeDays } from '../../../src/db/schema/index.js';
import { uptimeFromTotals } from '../../../src/domain/uptime-days.js';
import { uptimeWindowStart, type StatusChange, type StatusDurations } from '../../../src/domain/uptime.js';
import { COMPONENT_STATUSES } from '../../../src/domain/vocabulary.js';
import { createComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import { loadKeptUptime } from '../../../src/modules/components/index.js';
import { migrationsDir } from '../../../src/paths.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { keep, referenceHistory } from '../../helpers/kept-uptime.js';

/**
 * The day totals kept by the transactions that change component statuses: whatever verb makes
 * the change, the stored days are what the pure fold makes of the history, and the status page
 * reads from them what the whole history says.
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;

test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
});

const api = () => request(t.app.server);
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The component's history in the order it was recorded. */
async function recorded(componentId: string): Promise<StatusChange[]> {
  const rows = await t.app.db
    .select({ at: componentStatusChanges.changedAt, status: componentStatusChanges.toStatus })
    .from(componentStatusChanges)
    .where(eq(componentStatusChanges.componentId, componentId))
    .orderBy(asc(componentStatusChanges.id));
  return rows;
}

const nonZero = (days: Iterable<[string, StatusDurations]>) =>
  new Map([...days].filter(([, d]) => COMPONENT_STATUSES.some((s) => d[s] !== 0)));

async function storedDays(componentId?: string): Promise<Map<string, StatusDurations>> {
  const u = componentUptimeDays;
  const rows = await t.app.db
    .select()
    .from(u)
    .where(componentId ? eq(u.componentId, componentId) : undefined)
    .orderBy(u.componentId, u.day);
  return nonZero(
    rows.map((r) => [
      componentId ? r.day : `${r.componentId} ${r.day}`,
      {
        operational: r.operationalMs,
        under_maintenance: r.underMaintenanceMs,
        degraded_performance: r.degradedPerformanceMs,
        partial_outage: r.partialOutageMs,
        major_outage: r.majorOutageMs,
      },
    ]),
  );
}

/**
 * The stored days are the pure fold of the history as recorded, the uptime revision moved with
 * each change recorded, and for each `now` the status page's read of them equals
 * `uptimeHistory` over the whole history.
 */
async function expectKept(componentId: string, nows: Date[]) {
  const history = await recorded(componentId);
  expect(await storedDays(componentId)).toEqual(nonZero(keep(history).totals));
  const [component] = await t.app.db.select().from(components).where(eq(components.id, componentId));
  // One revision per change recorded, by whichever verb: the status page's cache of these days
  // (and of the last change) reads them again exactly when the revision moved.
  expect(component!.uptimeRevision).toBe(history.length);
  const fallback = { createdAt: component!.createdAt, currentStatus: component!.status };
  for (const now of nows) {
    const kept = await loadKeptUptime(t.app.db, [componentId], uptimeWindowStart(now), now);
    expect(kept.days.length).toBeLessThanOrEqual(90);
    const read = uptimeFromTotals({ now, totals: kept.days, recent: kept.recent, ...fallback });
    expect(read, `now ${now.toISOString()}`).toEqual(referenceHistory(history, now, 90, fallback));
  }
}

const later = (days: number) => new Date(clock.now().getTime() + days * DAY);

describe('day totals kept by the status-changing verbs', () => {
  it('creation and status changes: across midnight, exactly at midnight, several in one millisecond', async () => {
    const as = (iso: string) => actingAs(t.app, owner.actor, at(iso));
    const c = await createComponent(as('2026-08-01T07:00:00Z'), { name: 'Payments' });
    expect(await storedDays(c.id)).toEqual(new Map());
    await updateComponent(as('2026-09-30T23:59:59.999Z'), c.id, { status: 'major_outage' });
    await updateComponent(as('2026-10-01T00:00:00.000Z'), c.id, { status: 'partial_outage' });
    await updateComponent(as('2026-10-01T00:00:00.000Z'), c.id, { status: 'operational' });
    await updateComponent(as('2026-11-20T00:00:00.000Z'), c.id, { status: 'degraded_performance' });

    const days = await storedDays(c.id);
    expect(days.get('2026-09-30')).toMatchObject({ operational: DAY - 1, major_outage: 1 });
    // Closed time only: the degraded performance since Nov 20 is the open interval, read up to now.
    expect([...days.keys()].at(-1)).toBe('2026-11-19');
    await expectKept(c.id, [clock.now(), later(3), later(200), at('2026-10-01T00:00:00Z'), at('2026-08-15T12:00:00Z')]);
  });

  it('incident updates that change component statuses, and the resolution', async () => {
    clock.set('2026-11-24T10:00:00Z');
    const c = await createComponent(actingAs(t.app, owner.actor, at('2026-11-01T00:00:00Z')), { name: 'API' });
    const opened = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ title: 'API errors', severity: 'P1', status: 'investigating', message: 'Looking.', componentStatuses: { [c.id]: 'major_outage' } });
    expect(opened.status).toBe(201);
    clock.set('2026-11-24T21:30:00Z');
    const update = await api()
      .post(`/api/admin/incidents/${opened.body.id}/updates`)
      .set(responder.auth)
      .send({ status: 'identified', message: 'Found it.', componentStatuses: { [c.id]: 'partial_outage' } });
    expect(update.status).toBe(201);
    clock.set('2026-11-25T01:15:00Z');
    const resolved = await api()
      .post(`/api/admin/incidents/${opened.body.id}/resolve`)
      .set(responder.auth)
      .send({ message: 'Fixed.', summary: 'A bad deploy.', postmortemDueAt: '2026-11-28T10:00:00Z' });
    expect(resolved.status).toBe(200);

    expect((await recorded(c.id)).map((r) => r.status)).toEqual(['operational', 'major_outage', 'partial_outage', 'operational']);
    const days = await storedDays(c.id);
    expect(days.get('2026-11-24')).toMatchObject({ operational: 10 * HOUR, major_outage: 11.5 * HOUR, partial_outage: 2.5 * HOUR });
    expect(days.get('2026-11-25')).toMatchObject({ partial_outage: 1.25 * HOUR });
    await expectKept(c.id, [clock.now(), later(1), at('2026-11-24T12:00:00Z')]);
  });

  it('maintenance started and completed by the scheduler, across midnight', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const c = await createComponent(actingAs(t.app, owner.actor, at('2026-11-02T00:00:00Z')), { name: 'Database' });
    const scheduled = await api()
      .post('/api/admin/maintenances')
      .set(responder.auth)
      .send({ title: 'Upgrade', body: 'We upgrade.', scheduledFor: '2026-11-26T22:00:00Z', scheduledUntil: '2026-11-27T00:30:00Z', componentIds: [c.id] });
    expect(scheduled.status).toBe(201);
    clock.set('2026-11-26T22:00:00Z');
    await t.app.maintenanceScheduler.tick();
    clock.set('2026-11-27T00:30:00Z');
    await t.app.maintenanceScheduler.tick();

    expect((await recorded(c.id)).map((r) => r.status)).toEqual(['operational', 'under_maintenance', 'operational']);
    const days = await storedDays(c.id);
    expect(days.get('2026-11-26')).toMatchObject({ operational: 22 * HOUR, under_maintenance: 2 * HOUR });
    expect(days.get('2026-11-27')).toMatchObject({ under_maintenance: 0.5 * HOUR });
    await expectKept(c.id, [clock.now(), later(2)]);
  });

  it('a change stamped before the newest one takes its share of a closed interval', async () => {
    // Two processes whose clocks disagree: the second records a change earlier than the last.
    const as = (iso: string) => actingAs(t.app, owner.actor, at(iso));
    const c = await createComponent(as('2026-11-10T00:00:00Z'), { name: 'Webhooks' });
    await updateComponent(as('2026-11-12T12:00:00Z'), c.id, { status: 'major_outage' });
    await updateComponent(as('2026-11-12T11:00:00Z'), c.id, { status: 'partial_outage' });
    await updateComponent(as('2026-11-09T12:00:00Z'), c.id, { status: 'degraded_performance' });

    expect((await storedDays(c.id)).get('2026-11-12')).toMatchObject({ operational: 11 * HOUR, partial_outage: HOUR });
    await expectKept(c.id, [at('2026-11-24T10:00:00Z'), at('2026-11-12T11:30:00Z'), at('2026-11-09T18:00:00Z')]);
  });

  it('deleting a component deletes its days', async () => {
    const c = await createComponent(actingAs(t.app, owner.actor, at('2026-11-01T00:00:00Z')), { name: 'Gone' });
    await updateComponent(actingAs(t.app, owner.actor, at('2026-11-05T00:00:00Z')), c.id, { status: 'major_outage' });
    expect((await storedDays(c.id)).size).toBe(4);
    const res = await api().delete(`/api/admin/components/${c.id}`).set(owner.auth);
    expect(res.status).toBe(204);
    expect((await storedDays(c.id)).size).toBe(0);
  });

  it('the database refuses a day holding more time than a day has', async () => {
    const c = await createComponent(actingAs(t.app, owner.actor, at('2026-11-01T00:00:00Z')), { name: 'Checked' });
    const day = { componentId: c.id, day: '2026-11-01' };
    await expect(t.app.db.insert(componentUptimeDays).values({ ...day, operationalMs: DAY, majorOutageMs: 1 })).rejects.toThrow();
    await expect(t.app.db.insert(componentUptimeDays).values({ ...day, operationalMs: -1 })).rejects.toThrow();
  });

  it('keeps any history recorded through the verbs, in any order, right for any now', async () => {
    const origin = Date.parse('2026-06-01T00:00:00Z');
    const instant = fc.oneof(
      fc.integer({ min: 0, max: 180 * DAY }),
      fc.integer({ min: 0, max: 180 }).map((d) => d * DAY),
    );
    await fc.assert(
      fc.asyncProperty(
        instant,
        fc.array(fc.record({ at: instant, status: fc.constantFrom(...COMPONENT_STATUSES) }), { maxLength: 8 }),
        fc.array(instant, { minLength: 1, maxLength: 3 }),
        async (created, changes, nows) => {
          const c = await createComponent(actingAs(t.app, owner.actor, new Date(origin + created)), { name: 'Random' });
          for (const change of changes) {
            await updateComponent(actingAs(t.app, owner.actor, new Date(origin + change.at)), c.id, { status: change.status });
          }
          await expectKept(c.id, nows.map((n) => new Date(origin + n)));
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the migration that introduced the table', () => {
  it('backfills from the history the same days the verbs kept, in any session time zone', async () => {
    const file = readdirSync(migrationsDir).find((f) => /^0004_.*\.sql$/.test(f))!;
    const backfill = readFileSync(join(migrationsDir, file), 'utf8')
      .split('--> statement-breakpoint')
      .find((s) => s.includes('INSERT INTO "component_uptime_days"'))!;
    const kept = await storedDays();
    expect(kept.size).toBeGreaterThan(100);

    await t.app.db.transaction(async (tx) => {
      // Far from UTC: a day boundary taken in the session's zone would show at once.
      await tx.execute(sql`SET LOCAL TIME ZONE 'Pacific/Kiritimati'`);
      await tx.delete(componentUptimeDays);
      await tx.execute(sql.raw(backfill));
    });
    expect(await storedDays()).toEqual(kept);
  });
});
