import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { UPTIME_DAYS, uptimeWindowStart } from '../../../src/domain/uptime.js';
import { COMPONENT_STATUSES } from '../../../src/domain/vocabulary.js';
import { createComponent, deleteComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import { listComponents, loadKeptUptime, type KeptUptime } from '../../../src/modules/components/index.js';
import { createIncident } from '../../../src/modules/incidents/index.js';
import { UptimeDaysCache } from '../../../src/surfaces/web/uptime-days-cache.js';
import { UptimeModelMemo } from '../../../src/surfaces/web/uptime-model-memo.js';
import { buildUptimeModels } from '../../../src/surfaces/web/uptime-model.js';
import { translator } from '../../../src/i18n/translator.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The status page keeps its components' uptime days between renders and reads a component's
 * again only when its uptime revision moved. Whatever writes come between two renders (status
 * changes now or backdated, components added or removed, days passing), what it hands the page
 * is what reading everything afresh gives; and the bars it draws with each window's past days
 * kept between renders are the bars drawn from the windows computed whole.
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
/** The same data in one order: the cache hands days out in the page's component order. */
const normal = (kept: KeptUptime) => ({
  days: [...kept.days].sort((a, b) => a.componentId.localeCompare(b.componentId) || a.date.localeCompare(b.date)),
  recent: kept.recent,
});

type Step =
  | { kind: 'status'; component: number; status: (typeof COMPONENT_STATUSES)[number]; hoursLater: number }
  | { kind: 'backdated'; component: number; hoursAgo: number }
  | { kind: 'add' }
  | { kind: 'remove'; component: number }
  | { kind: 'days'; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), component: fc.nat(5), status: fc.constantFrom(...COMPONENT_STATUSES), hoursLater: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('backdated' as const), component: fc.nat(5), hoursAgo: fc.integer({ min: 1, max: 24 * 100 }) }),
  fc.record({ kind: fc.constant('add' as const) }),
  fc.record({ kind: fc.constant('remove' as const), component: fc.nat(5) }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 40 }) }),
);

describe('the status page’s uptime days cache', () => {
  test('hands the page what a fresh read gives, after any writes', async () => {
    const ctx = () => actingAs(t.app, owner.actor);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        for (let i = 0; i < 2; i += 1) await createComponent(actingAs(t.app, owner.actor, new Date(clock.now().getTime() - 200 * 24 * HOUR)), { name: `C${i}` });
        const cache = new UptimeDaysCache();
        const memo = new UptimeModelMemo();
        const compare = async () => {
          const now = clock.now();
          const listed = await listComponents(t.app.db);
          const fromCache = await cache.load(t.app.db, listed, uptimeWindowStart(now), now);
          const fresh = await loadKeptUptime(t.app.db, listed.map((c) => c.id), uptimeWindowStart(now), now);
          expect(normal(fromCache)).toEqual(normal(fresh));
          memo.keepOnly(new Set(listed.map((c) => c.id)));
          expect(buildUptimeModels(listed, fromCache, now, translator('en'), UPTIME_DAYS, memo.modelOf)).toEqual(buildUptimeModels(listed, fresh, now));
        };
        await compare();
        for (const s of steps) {
          const listed = await listComponents(t.app.db);
          const target = listed[s.kind === 'status' || s.kind === 'backdated' || s.kind === 'remove' ? s.component % Math.max(1, listed.length) : 0];
          if (s.kind === 'status' && target) {
            clock.advance(s.hoursLater * HOUR);
            await updateComponent(ctx(), target.id, { status: s.status });
          } else if (s.kind === 'backdated' && target) {
            const startedAt = new Date(clock.now().getTime() - s.hoursAgo * HOUR).toISOString();
            await createIncident(ctx(), { title: 'Backfilled', severity: 'P3', status: 'investigating', message: 'Backfilled.', startedAt, detectedAt: startedAt, componentStatuses: { [target.id]: 'partial_outage' } });
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
