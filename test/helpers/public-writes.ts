import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import type { Actor } from '../../src/core/actor.js';
import { componentStatusChanges, incidents } from '../../src/db/schema/index.js';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../src/domain/vocabulary.js';
import { createComponent, createGroup, updateComponent } from '../../src/modules/components/components.service.js';
import { listComponents } from '../../src/modules/components/index.js';
import { addUpdate, createIncident, isPublicIncident, resolveIncident } from '../../src/modules/incidents/index.js';
import { createMaintenance } from '../../src/modules/maintenance/index.js';
import { publishPostmortem, putPostmortem, type PostmortemNotifier } from '../../src/modules/postmortems/index.js';
import type { TestClock } from './clock.js';
import { actingAs } from './context.js';

/**
 * A write to what the public surfaces show, as the property tests of the kept reads draw them
 * (status-page-rows, the Statuspage API's data): the component or incident it names is picked
 * among those there are when it is made.
 */
export type PublicWrite =
  | { kind: 'status'; component: number; status: ComponentStatus }
  | { kind: 'rename'; component: number }
  | { kind: 'group' }
  | { kind: 'incident'; component: number }
  | { kind: 'update'; incident: number; component: number; status: ComponentStatus }
  | { kind: 'resolve'; incident: number }
  | { kind: 'postmortem'; incident: number }
  | { kind: 'behind'; incident: number }
  | { kind: 'changeBehind'; incident: number; component: number }
  | { kind: 'maintenance'; component: number }
  | { kind: 'days'; days: number };

const publicWrite: fc.Arbitrary<PublicWrite> = fc.oneof(
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
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 20 }) }),
);

const HOUR = 3_600_000;
const silent: PostmortemNotifier = async () => {};

/**
 * Runs `compare` (a kept read against a fresh one) before and after every write of random
 * sequences of public writes: ten sequences of up to eight, from one seed, on three components
 * made first.
 */
export async function compareThroughPublicWrites(app: FastifyInstance, actor: Actor, clock: TestClock, compare: () => Promise<void>): Promise<void> {
  for (const name of ['API', 'Web', 'Mail']) await createComponent(actingAs(app, actor), { name });
  await fc.assert(
    fc.asyncProperty(fc.array(publicWrite, { minLength: 1, maxLength: 8 }), async (writes) => {
      await compare();
      for (const write of writes) {
        await makePublicWrite(app, actor, clock, write, compare);
        await compare();
      }
    }),
    { numRuns: 10, seed: 20261207 },
  );
}

/**
 * Makes `write` an hour after the last one (through the services, or behind their back as a
 * script or another version of the app would), on the app's data as it is. A postmortem is
 * saved, then published: `between` runs in between, for a test to compare there too.
 */
async function makePublicWrite(app: FastifyInstance, actor: Actor, clock: TestClock, write: PublicWrite, between: () => Promise<void>): Promise<void> {
  const ctx = actingAs(app, actor);
  const db = app.db;
  const components = await listComponents(db);
  const inOrder = (resolved: boolean) =>
    db
      .select()
      .from(incidents)
      .where(and(isPublicIncident, resolved ? isNotNull(incidents.resolvedAt) : isNull(incidents.resolvedAt)))
      .orderBy(asc(incidents.createdAt), asc(incidents.id));
  const candidates = 'incident' in write ? await inOrder(write.kind === 'postmortem') : [];
  const component = 'component' in write ? components[write.component % components.length]! : undefined;
  const incident = 'incident' in write ? candidates[write.incident % Math.max(1, candidates.length)] : undefined;
  clock.advance(HOUR);
  switch (write.kind) {
    case 'status':
      return void (await updateComponent(ctx, component!.id, { status: write.status }));
    case 'rename':
      return void (await updateComponent(ctx, component!.id, { name: `Renamed ${clock.now().getTime()}` }));
    case 'group':
      return void (await createGroup(ctx, { name: `Group ${clock.now().getTime()}` }));
    case 'incident':
      return void (await createIncident(ctx, { title: 'Slow', severity: 'P3', status: 'investigating', message: 'Looking.', componentStatuses: { [component!.id]: 'degraded_performance' } }));
    case 'update':
      if (incident) await addUpdate(ctx, incident.id, { status: 'identified', message: 'Found it.', componentStatuses: { [component!.id]: write.status } });
      return;
    case 'resolve':
      if (incident) await resolveIncident(ctx, incident.id, { message: 'Fixed.', summary: 'A bad deploy.' });
      return;
    case 'postmortem':
      if (!incident) return;
      await putPostmortem(ctx, incident.id, { summary: 'What happened.', rootCause: 'A bad deploy.' });
      await between();
      // Refused once it is published: the next draw of the same incident saves an edit only.
      await publishPostmortem(ctx, incident.id, silent).catch(() => undefined);
      return;
    case 'behind':
      if (incident) await db.update(incidents).set({ title: 'Renamed behind the app’s back' }).where(eq(incidents.id, incident.id));
      return;
    case 'changeBehind':
      if (incident) {
        await db.insert(componentStatusChanges).values({ componentId: component!.id, incidentId: incident.id, fromStatus: 'partial_outage', toStatus: component!.status, changedAt: clock.now() });
      }
      return;
    case 'maintenance': {
      const start = new Date(clock.now().getTime() + 2 * HOUR);
      await createMaintenance(ctx, {
        title: 'Upgrade',
        body: 'Upgrading.',
        scheduledFor: start.toISOString(),
        scheduledUntil: new Date(start.getTime() + HOUR).toISOString(),
        componentIds: [component!.id],
      });
      return;
    }
    case 'days':
      clock.advance(write.days * 24 * HOUR);
  }
}
