import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { COMPONENT_STATUSES } from '../../../src/domain/vocabulary.js';
import { componentStatusChanges, incidents } from '../../../src/db/schema/index.js';
import { createComponent, createGroup, updateComponent } from '../../../src/modules/components/components.service.js';
import { listComponents } from '../../../src/modules/components/index.js';
import { addUpdate, createIncident, resolveIncident } from '../../../src/modules/incidents/index.js';
import { createMaintenance } from '../../../src/modules/maintenance/index.js';
import { publishPostmortem, putPostmortem, type PostmortemNotifier } from '../../../src/modules/postmortems/index.js';
import { KeptV2Data, loadV2Data } from '../../../src/surfaces/statuspage-v2/data.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The Statuspage API keeps its incidents and maintenance between renders, by their numbers in
 * `public_versions`. Whatever is written between two renders, by the services or behind their
 * back, what it hands the documents is what reading afresh gives; and a component's status
 * change reads no incident and no maintenance.
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
const silent: PostmortemNotifier = async () => {};

type Step =
  | { kind: 'status'; component: number; status: (typeof COMPONENT_STATUSES)[number] }
  | { kind: 'rename'; component: number }
  | { kind: 'group' }
  | { kind: 'incident'; component: number }
  | { kind: 'update'; incident: number; component: number; status: (typeof COMPONENT_STATUSES)[number] }
  | { kind: 'resolve'; incident: number }
  | { kind: 'postmortem'; incident: number }
  | { kind: 'behind'; incident: number }
  | { kind: 'changeBehind'; incident: number; component: number }
  | { kind: 'maintenance'; component: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), component: fc.nat(3), status: fc.constantFrom(...COMPONENT_STATUSES) }),
  fc.record({ kind: fc.constant('rename' as const), component: fc.nat(3) }),
  fc.record({ kind: fc.constant('group' as const) }),
  fc.record({ kind: fc.constant('incident' as const), component: fc.nat(3) }),
  fc.record({ kind: fc.constant('update' as const), incident: fc.nat(3), component: fc.nat(3), status: fc.constantFrom(...COMPONENT_STATUSES) }),
  fc.record({ kind: fc.constant('resolve' as const), incident: fc.nat(3) }),
  fc.record({ kind: fc.constant('postmortem' as const), incident: fc.nat(3) }),
  fc.record({ kind: fc.constant('behind' as const), incident: fc.nat(3) }),
  fc.record({ kind: fc.constant('changeBehind' as const), incident: fc.nat(3), component: fc.nat(3) }),
  fc.record({ kind: fc.constant('maintenance' as const), component: fc.nat(3) }),
);

describe('the Statuspage API’s kept data', () => {
  test('hands the documents what a fresh read gives, after any writes', async () => {
    const ctx = () => actingAs(t.app, owner.actor);
    for (const name of ['API', 'Web', 'Mail']) await createComponent(ctx(), { name });
    const kept = new KeptV2Data();
    const compare = async () => expect(await kept.read(t.app.db)).toEqual(await loadV2Data(t.app.db));
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await compare();
        for (const s of steps) {
          const components = await listComponents(t.app.db);
          const all = (await loadV2Data(t.app.db)).incidents;
          const open = all.filter((i) => i.resolvedAt === null);
          const resolved = all.filter((i) => i.resolvedAt !== null);
          const component = 'component' in s ? components[s.component % components.length]! : undefined;
          const incident = 'incident' in s ? (s.kind === 'postmortem' ? resolved : open)[s.incident % Math.max(1, (s.kind === 'postmortem' ? resolved : open).length)] : undefined;
          clock.advance(HOUR);
          if (s.kind === 'status') await updateComponent(ctx(), component!.id, { status: s.status });
          else if (s.kind === 'rename') await updateComponent(ctx(), component!.id, { name: `Renamed ${clock.now().getTime()}` });
          else if (s.kind === 'group') await createGroup(ctx(), { name: `Group ${clock.now().getTime()}` });
          else if (s.kind === 'incident') {
            await createIncident(ctx(), { title: 'Slow', severity: 'P3', status: 'investigating', message: 'Looking.', componentStatuses: { [component!.id]: 'degraded_performance' } });
          } else if (s.kind === 'update' && incident) {
            await addUpdate(ctx(), incident.id, { status: 'identified', message: 'Found it.', componentStatuses: { [component!.id]: s.status } });
          } else if (s.kind === 'resolve' && incident) await resolveIncident(ctx(), incident.id, { message: 'Fixed.', summary: 'A bad deploy.' });
          else if (s.kind === 'postmortem' && incident) {
            // Saved, then published: each shows (Statuspage's `postmortem` state) or not.
            await putPostmortem(ctx(), incident.id, { summary: 'What happened.', rootCause: 'A bad deploy.' });
            await compare();
            await publishPostmortem(ctx(), incident.id, silent).catch(() => undefined);
          }
          // Another path than the services (a script, another version of the app): seen all the same.
          else if (s.kind === 'behind' && incident) await t.app.db.update(incidents).set({ title: 'Renamed behind the app’s back' }).where(eq(incidents.id, incident.id));
          else if (s.kind === 'changeBehind' && incident) {
            await t.app.db
              .insert(componentStatusChanges)
              .values({ componentId: component!.id, incidentId: incident.id, fromStatus: 'partial_outage', toStatus: component!.status, changedAt: clock.now() });
          }
          else if (s.kind === 'maintenance') {
            const start = new Date(clock.now().getTime() + 2 * HOUR);
            await createMaintenance(ctx(), {
              title: 'Upgrade',
              body: 'Upgrading.',
              scheduledFor: start.toISOString(),
              scheduledUntil: new Date(start.getTime() + HOUR).toISOString(),
              componentIds: [component!.id],
            });
          }
          await compare();
        }
      }),
      { numRuns: 10, seed: 20261207 },
    );
  }, 120_000);

  test('reads the incidents and the maintenance again only when their number moved, and shares a read between renders side by side', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const c = await createComponent(ctx, { name: 'Search' });
    const incident = await createIncident(ctx, { title: 'Down', severity: 'P1', status: 'investigating', message: 'Looking.' });
    const kept = new KeptV2Data();
    await kept.read(t.app.db);
    const read = () => ({ ...kept.counts });

    // A component's status of its own: neither part read again, the component's new status seen.
    let before = read();
    await updateComponent(ctx, c.id, { status: 'major_outage' });
    const afterStatus = await kept.read(t.app.db);
    expect(afterStatus.components.find((row) => row.id === c.id)?.status).toBe('major_outage');
    expect(read()).toEqual({ read: before.read, kept: before.kept + 2 });

    // An incident's update: its part read again, once for two renders at once.
    before = read();
    await addUpdate(ctx, incident.id, { status: 'identified', message: 'Found it.' });
    const [one, two] = await Promise.all([kept.read(t.app.db), kept.read(t.app.db)]);
    expect(one.updates[0]?.body).toBe('Found it.');
    expect(two.updates).toBe(one.updates);
    expect(read()).toEqual({ read: before.read + 1, kept: before.kept + 3 });
  });
});
