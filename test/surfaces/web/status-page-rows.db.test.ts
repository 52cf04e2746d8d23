import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { COMPONENT_STATUSES } from '../../../src/domain/vocabulary.js';
import { incidents } from '../../../src/db/schema/index.js';
import { createComponent, createGroup, updateComponent } from '../../../src/modules/components/components.service.js';
import { listComponents } from '../../../src/modules/components/index.js';
import { addUpdate, createIncident, resolveIncident } from '../../../src/modules/incidents/index.js';
import { createMaintenance } from '../../../src/modules/maintenance/index.js';
import { recentWindowStart } from '../../../src/surfaces/web/status-page-model.js';
import { KeptStatusPageRows, readStatusPageRows, type StatusPageReading } from '../../../src/surfaces/web/status-page-rows.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The status page keeps its incidents and maintenance between renders and reads them again
 * only when their number in `public_versions` moved. Whatever is written between two renders,
 * by the services or behind their back, what it hands the page is what reading afresh gives;
 * and a write that touched only the components reads no incident and no maintenance.
 */
const clock = new TestClock('2026-12-07T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

const HOUR = 3_600_000;
const settled = async (reading: StatusPageReading) => {
  const [components, incidentsPart, maintenances] = await Promise.all([reading.components, reading.incidents, reading.maintenances]);
  return { components, incidents: incidentsPart, maintenances };
};
const since = () => recentWindowStart(clock.now());

type Step =
  | { kind: 'status'; component: number; status: (typeof COMPONENT_STATUSES)[number] }
  | { kind: 'rename'; component: number }
  | { kind: 'group' }
  | { kind: 'incident'; component: number }
  | { kind: 'update'; incident: number }
  | { kind: 'resolve'; incident: number }
  | { kind: 'behind'; incident: number }
  | { kind: 'maintenance'; component: number }
  | { kind: 'days'; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), component: fc.nat(3), status: fc.constantFrom(...COMPONENT_STATUSES) }),
  fc.record({ kind: fc.constant('rename' as const), component: fc.nat(3) }),
  fc.record({ kind: fc.constant('group' as const) }),
  fc.record({ kind: fc.constant('incident' as const), component: fc.nat(3) }),
  fc.record({ kind: fc.constant('update' as const), incident: fc.nat(3) }),
  fc.record({ kind: fc.constant('resolve' as const), incident: fc.nat(3) }),
  fc.record({ kind: fc.constant('behind' as const), incident: fc.nat(3) }),
  fc.record({ kind: fc.constant('maintenance' as const), component: fc.nat(3) }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 20 }) }),
);

describe('the status page’s kept rows', () => {
  test('hand the page what a fresh read gives, after any writes', async () => {
    const ctx = () => actingAs(t.app, owner.actor);
    for (const name of ['API', 'Web', 'Mail']) await createComponent(ctx(), { name });
    const kept = new KeptStatusPageRows();
    const compare = async () => {
      expect(await settled(kept.read(t.app.db, since()))).toEqual(await settled(readStatusPageRows(t.app.db, since())));
    };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await compare();
        for (const s of steps) {
          const components = await listComponents(t.app.db);
          const open = (await settled(readStatusPageRows(t.app.db, since()))).incidents[0].filter((i) => i.resolvedAt === null);
          const component = 'component' in s ? components[s.component % components.length]! : undefined;
          const incident = 'incident' in s ? open[s.incident % Math.max(1, open.length)] : undefined;
          clock.advance(HOUR);
          if (s.kind === 'status') await updateComponent(ctx(), component!.id, { status: s.status });
          else if (s.kind === 'rename') await updateComponent(ctx(), component!.id, { name: `Renamed ${clock.now().getTime()}` });
          else if (s.kind === 'group') await createGroup(ctx(), { name: `Group ${clock.now().getTime()}` });
          else if (s.kind === 'incident') {
            await createIncident(ctx(), { title: 'Slow', severity: 'P3', status: 'investigating', message: 'Looking.', componentStatuses: { [component!.id]: 'degraded_performance' } });
          } else if (s.kind === 'update' && incident) await addUpdate(ctx(), incident.id, { status: 'identified', message: 'Found it.' });
          else if (s.kind === 'resolve' && incident) await resolveIncident(ctx(), incident.id, { message: 'Fixed.', summary: 'A bad deploy.' });
          // Another path than the services (a script, another version of the app): seen all the same.
          else if (s.kind === 'behind' && incident) await t.app.db.update(incidents).set({ title: 'Renamed behind the app’s back' }).where(eq(incidents.id, incident.id));
          else if (s.kind === 'maintenance') {
            const start = new Date(clock.now().getTime() + 2 * HOUR);
            await createMaintenance(ctx(), {
              title: 'Upgrade',
              body: 'Upgrading.',
              scheduledFor: start.toISOString(),
              scheduledUntil: new Date(start.getTime() + HOUR).toISOString(),
              componentIds: [component!.id],
            });
          } else if (s.kind === 'days') clock.advance(s.days * 24 * HOUR);
          await compare();
        }
      }),
      { numRuns: 10, seed: 20261207 },
    );
  }, 120_000);

  test('reads the incidents again only when their number moved, and shares a read between renders side by side', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const c = await createComponent(ctx, { name: 'Search' });
    await createIncident(ctx, { title: 'Down', severity: 'P1', status: 'investigating', message: 'Looking.' });
    const kept = new KeptStatusPageRows();
    await settled(kept.read(t.app.db, since()));
    const read = () => ({ ...kept.counts });

    // A component's status: neither the incidents nor the maintenance are read again (the page
    // names the maintenance's components from its own read of them).
    let before = read();
    await updateComponent(ctx, c.id, { status: 'major_outage' });
    const afterStatus = await settled(kept.read(t.app.db, since()));
    expect(afterStatus.components[0].find((row) => row.id === c.id)?.status).toBe('major_outage');
    expect(read()).toEqual({ read: before.read, kept: before.kept + 2 });

    // Nothing written: nothing but the numbers and the components read.
    before = read();
    await settled(kept.read(t.app.db, since()));
    expect(read()).toEqual({ read: before.read, kept: before.kept + 2 });

    // An incident: read again; two renders at once share the read.
    before = read();
    const [incident] = (await settled(readStatusPageRows(t.app.db, since()))).incidents[0];
    await addUpdate(ctx, incident!.id, { status: 'identified', message: 'Found it.' });
    const [en, de] = await Promise.all([settled(kept.read(t.app.db, since())), settled(kept.read(t.app.db, since()))]);
    expect(en.incidents[1][0]?.body).toBe('Found it.');
    expect(de.incidents).toBe(en.incidents);
    expect(read()).toEqual({ read: before.read + 1, kept: before.kept + 3 });
  });
});
