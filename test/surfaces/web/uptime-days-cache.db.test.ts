import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { UPTIME_DAYS, uptimeWindowStart } from '../../../src/domain/uptime.js';
import { COMPONENT_STATUSES } from '../../../src/domain/vocabulary.js';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.js';
import { componentStatusChanges, componentUptimeDays } from '../../../src/db/schema/index.js';
import { createComponent, deleteComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import { listComponents, loadKeptUptime, type KeptUptime } from '../../../src/modules/components/index.js';
import { createIncident } from '../../../src/modules/incidents/index.js';
import { UptimeDaysCache } from '../../../src/surfaces/web/uptime-days-cache.js';
import { UptimeModelMemo } from '../../../src/surfaces/web/uptime-model-memo.js';
import { buildUptimeModels, byComponent, type KeptUptimeByComponent } from '../../../src/surfaces/web/uptime-model.js';
import { translator } from '../../../src/i18n/translator.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The status page keeps its components' uptime days and recent changes between renders and
 * reads a component's again only when its uptime revision moved (or a change dated ahead of the
 * clock came due). Whatever writes come between two renders (status changes now, backdated or
 * dated ahead by a process whose clock runs fast, components added or removed, days passing),
 * what it hands the page is what reading everything afresh gives; and the bars it draws with
 * each window's past days kept between renders are the bars drawn from the windows computed whole.
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

const HOUR = 3_600_000;
/**
 * The same data in one order: the cache hands days and changes out in the page's component
 * order, a fresh read changes in time order. The sort is stable: each component's changes stay
 * in the order they came in, oldest first.
 */
const normal = (read: KeptUptime | KeptUptimeByComponent) => {
  const kept = read instanceof Map ? { days: [...read.values()].flatMap((k) => k.days), recent: [...read.values()].flatMap((k) => k.recent) } : (read as KeptUptime);
  return sorted(kept);
};
const sorted = (kept: KeptUptime) => ({
  days: [...kept.days].sort((a, b) => a.componentId.localeCompare(b.componentId) || a.date.localeCompare(b.date)),
  recent: [...kept.recent].sort((a, b) => a.componentId.localeCompare(b.componentId)),
});

/** A database that must not be read. */
const untouchable = new Proxy({}, {
  get: () => {
    throw new Error('the database was read');
  },
}) as unknown as Db;

/** `ids`' uptime through `cache` and read afresh, at the clock's now, with how many components the cache read. */
async function throughCache(cache: UptimeDaysCache, ids: readonly string[]) {
  const now = clock.now();
  const listed = (await listComponents(t.app.db)).filter((c) => ids.includes(c.id));
  const before = { ...cache.counts };
  const cached = await cache.load(t.app.db, Promise.resolve(listed), uptimeWindowStart(now), now);
  const read = cache.counts.read - before.read + cache.counts.readAgain - before.readAgain;
  const fresh = await loadKeptUptime(t.app.db, listed.map((c) => c.id), uptimeWindowStart(now), now);
  return { cached: normal(cached), fresh: normal(fresh), read };
}

/** One component's part of what was read. */
const partOf = (kept: KeptUptime, id: string) => ({ days: kept.days.filter((d) => d.componentId === id), recent: kept.recent.filter((c) => c.componentId === id) });

type Step =
  | { kind: 'status'; component: number; status: (typeof COMPONENT_STATUSES)[number]; hoursLater: number }
  | { kind: 'backdated'; component: number; hoursAgo: number }
  | { kind: 'ahead'; component: number; status: (typeof COMPONENT_STATUSES)[number]; hoursAhead: number }
  | { kind: 'add' }
  | { kind: 'remove'; component: number }
  | { kind: 'days'; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), component: fc.nat(5), status: fc.constantFrom(...COMPONENT_STATUSES), hoursLater: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('backdated' as const), component: fc.nat(5), hoursAgo: fc.integer({ min: 1, max: 24 * 100 }) }),
  fc.record({ kind: fc.constant('ahead' as const), component: fc.nat(5), status: fc.constantFrom(...COMPONENT_STATUSES), hoursAhead: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('add' as const) }),
  fc.record({ kind: fc.constant('remove' as const), component: fc.nat(5) }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 40 }) }),
);

describe.each([
  { alongside: true, mode: 'what moved read alongside the components' },
  { alongside: false, mode: 'what moved read after the components' },
])('the status page’s uptime days cache ($mode)', ({ alongside }) => {
  test('hands the page what a fresh read gives, after any writes', async () => {
    const ctx = () => actingAs(t.app, owner.actor);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        for (let i = 0; i < 2; i += 1) await createComponent(actingAs(t.app, owner.actor, new Date(clock.now().getTime() - 200 * 24 * HOUR)), { name: `C${i}` });
        const cache = new UptimeDaysCache({ alongside });
        const memo = new UptimeModelMemo();
        const compare = async () => {
          const now = clock.now();
          const listed = await listComponents(t.app.db);
          const fromCache = await cache.load(t.app.db, Promise.resolve(listed), uptimeWindowStart(now), now);
          const fresh = await loadKeptUptime(t.app.db, listed.map((c) => c.id), uptimeWindowStart(now), now);
          expect(normal(fromCache)).toEqual(normal(fresh));
          memo.keepOnly(new Set(listed.map((c) => c.id)));
          expect(buildUptimeModels(listed, fromCache, now, translator('en'), UPTIME_DAYS, memo.modelOf)).toEqual(buildUptimeModels(listed, byComponent(fresh), now));
        };
        await compare();
        for (const s of steps) {
          const listed = await listComponents(t.app.db);
          const target = listed['component' in s ? s.component % Math.max(1, listed.length) : 0];
          if (s.kind === 'status' && target) {
            clock.advance(s.hoursLater * HOUR);
            await updateComponent(ctx(), target.id, { status: s.status });
          } else if (s.kind === 'backdated' && target) {
            const startedAt = new Date(clock.now().getTime() - s.hoursAgo * HOUR).toISOString();
            await createIncident(ctx(), { title: 'Backfilled', severity: 'P3', status: 'investigating', message: 'Backfilled.', startedAt, detectedAt: startedAt, componentStatuses: { [target.id]: 'partial_outage' } });
          } else if (s.kind === 'ahead' && target) {
            // Another process, its clock ahead of this one's: the change comes due at a later render.
            await updateComponent(actingAs(t.app, owner.actor, new Date(clock.now().getTime() + s.hoursAhead * HOUR)), target.id, { status: s.status });
          } else if (s.kind === 'add') {
            await createComponent(ctx(), { name: 'Added' });
          } else if (s.kind === 'remove' && target) {
            await deleteComponent(ctx(), target.id);
          } else if (s.kind === 'days') {
            clock.advance(s.days * 24 * HOUR);
          }
          await compare();
        }
        for (const c of await listComponents(t.app.db)) await deleteComponent(ctx(), c.id);
      }),
      { numRuns: 12, seed: 20261207 },
    );
  }, 120_000);

  test('reads no component while no component’s revision moves, then only the components whose revision moved', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const past = (hours: number) => actingAs(t.app, owner.actor, new Date(clock.now().getTime() - hours * HOUR));
    const a = await createComponent(past(72), { name: 'A' });
    const b = await createComponent(past(72), { name: 'B' });
    // Days with totals, and a last change, for both.
    for (const c of [a, b]) await updateComponent(past(48), c.id, { status: 'degraded_performance' });
    const ids = [a.id, b.id];
    const cache = new UptimeDaysCache({ alongside });
    const first = await throughCache(cache, ids);
    expect(first.cached).toEqual(first.fresh);
    expect(first.read).toBe(2);
    // A rename records no status change, and time passing moves no revision: no component is read.
    await updateComponent(ctx, a.id, { name: 'A2' });
    clock.advance(HOUR);
    const quiet = await throughCache(cache, ids);
    expect(quiet.cached).toEqual(quiet.fresh);
    expect(quiet.read).toBe(0);
    if (!alongside) {
      // Read after the components, it reads nothing at all: no statement runs.
      const listed = (await listComponents(t.app.db)).filter((c) => ids.includes(c.id));
      const now = clock.now();
      expect(normal(await cache.load(untouchable, Promise.resolve(listed), uptimeWindowStart(now), now))).toEqual(quiet.cached);
    }

    await updateComponent(ctx, a.id, { status: 'major_outage' });
    // B's rows changed behind its revision's back, which no writer does (recordStatusChange
    // moves it in the same transaction): were B read again, the page would show it.
    await t.app.db.insert(componentStatusChanges).values({ componentId: b.id, fromStatus: 'degraded_performance', toStatus: 'partial_outage', actorId: null, changedAt: clock.now() });
    await t.app.db.delete(componentUptimeDays).where(eq(componentUptimeDays.componentId, b.id));
    const now = clock.now();
    const readBefore = cache.counts.read;
    const after = normal(await cache.load(t.app.db, listComponents(t.app.db).then((all) => all.filter((c) => ids.includes(c.id))), uptimeWindowStart(now), now));
    expect(cache.counts.read - readBefore).toBe(1);
    const fresh = normal(await loadKeptUptime(t.app.db, [a.id], uptimeWindowStart(now), now));
    expect(partOf(after, b.id)).toEqual(partOf(quiet.cached, b.id));
    expect(partOf(after, a.id)).toEqual(partOf(fresh, a.id));
    expect(partOf(after, a.id).recent.at(-1)?.status).toBe('major_outage');
    for (const id of ids) await deleteComponent(ctx, id);
  });

  test('takes what it read only at the revision the components were read at; a write between the two reads the component again', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const a = await createComponent(actingAs(t.app, owner.actor, new Date(clock.now().getTime() - 5 * HOUR)), { name: 'A' });
    const cache = new UptimeDaysCache({ alongside });
    await throughCache(cache, [a.id]);
    const listA = async () => (await listComponents(t.app.db)).filter((c) => c.id === a.id);
    const load = (showcased: Promise<Awaited<ReturnType<typeof listA>>>, now = clock.now()) => cache.load(t.app.db, showcased, uptimeWindowStart(now), now);

    if (alongside) await componentsReadAfterAWriteTheUptimeReadMissed();
    // The components read before a write.
    const older = await listA();
    const held = normal(await load(Promise.resolve(older)));
    clock.advance(HOUR);
    await updateComponent(ctx, a.id, { status: 'degraded_performance' });
    const readAgain = cache.counts.readAgain;
    const next = normal(await load(Promise.resolve(older)));
    if (alongside) {
      // The uptime read saw the write: the component is read again, and what is kept is at
      // least as new as the revision it is kept under.
      expect(cache.counts.readAgain - readAgain).toBe(1);
      expect(next.recent.at(-1)?.status).toBe('degraded_performance');
    } else {
      // Read after the components, it goes by their revision, still the one held: nothing is read.
      expect(cache.counts.readAgain - readAgain).toBe(0);
      expect(next).toEqual(held);
    }
    // The next render, with the components as they are: the uptime read's answer stands.
    const settled = await throughCache(cache, [a.id]);
    expect(settled.cached).toEqual(settled.fresh);
    expect(settled.read).toBe(1);
    await deleteComponent(ctx, a.id);

    /** Begun with the components' read, the uptime read may miss a write that the components' read sees. */
    async function componentsReadAfterAWriteTheUptimeReadMissed() {
    clock.advance(HOUR);
    await updateComponent(ctx, a.id, { status: 'partial_outage' });
    let release!: () => void;
    const components = new Promise<void>((resolve) => (release = resolve)).then(listA);
    const before = { ...cache.counts };
    clock.advance(HOUR);
    const now = clock.now();
    const loading = load(components, now);
    await updateComponent(ctx, a.id, { status: 'major_outage' });
    release();
    const got = normal(await loading);
    expect(cache.counts.readAgain - before.readAgain).toBe(1);
    expect(got.recent.at(-1)?.status).toBe('major_outage');
    expect(got).toEqual(normal(await loadKeptUptime(t.app.db, [a.id], uptimeWindowStart(now), now)));
    }
  });

  test('reads a change dated ahead of its clock again once the clock passes it', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const c = await createComponent(actingAs(t.app, owner.actor, new Date(clock.now().getTime() - 2 * HOUR)), { name: 'C' });
    // Recorded by a process whose clock runs two hours ahead.
    await updateComponent(actingAs(t.app, owner.actor, new Date(clock.now().getTime() + 2 * HOUR)), c.id, { status: 'major_outage' });
    const cache = new UptimeDaysCache({ alongside });
    const first = await throughCache(cache, [c.id]);
    expect(first.cached).toEqual(first.fresh);
    expect(first.cached.recent.map((r) => r.status)).toEqual(['operational', 'major_outage']);
    // Still ahead: what was read stands.
    clock.advance(HOUR);
    const before = await throughCache(cache, [c.id]);
    expect(before.cached).toEqual(before.fresh);
    expect(before.read).toBe(0);
    // Come due: the last change is now the one that was ahead, with no revision moved.
    clock.advance(2 * HOUR);
    const due = await throughCache(cache, [c.id]);
    expect(due.cached).toEqual(due.fresh);
    expect(due.read).toBe(1);
    expect(due.cached.recent.map((r) => r.status)).toEqual(['major_outage']);
    await deleteComponent(ctx, c.id);
  });
});

describe('a component’s uptime revision', () => {
  test('moves a component’s revision with each status change it records, and no other’s', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const a = await createComponent(ctx, { name: 'A' });
    const b = await createComponent(ctx, { name: 'B' });
    const revision = async (id: string) => (await listComponents(t.app.db)).find((c) => c.id === id)!.uptimeRevision;
    const [a0, b0] = [await revision(a.id), await revision(b.id)];
    await updateComponent(ctx, a.id, { status: 'major_outage' });
    expect(await revision(a.id)).toBe(a0 + 1);
    expect(await revision(b.id)).toBe(b0);
    // A rename records no status change: the days stand.
    await updateComponent(ctx, a.id, { name: 'A2' });
    expect(await revision(a.id)).toBe(a0 + 1);
  });
});
