import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublicSnapshot, readPublicVersions, type PublicVersions } from '../../src/db/public-versions.js';
import {
  componentGroups,
  components,
  componentStatusChanges,
  incidents,
  incidentUpdates,
  maintenanceComponents,
  maintenances,
  maintenanceUpdates,
  postmortems,
} from '../../src/db/schema/index.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/db.js';

/**
 * The numbers the status page keeps its rows by (src/surfaces/web/status-page-rows.ts): every
 * write to a table of a part moves that part's number, once per transaction, when it commits,
 * whatever wrote it; nothing else moves it.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const now = new Date('2026-12-07T10:00:00Z');
const moved = async (write: () => Promise<unknown>): Promise<PublicVersions> => {
  const before = await readPublicVersions(database.db);
  await write();
  const after = await readPublicVersions(database.db);
  return { components: after.components - before.components, incidents: after.incidents - before.incidents, maintenance: after.maintenance - before.maintenance };
};
const only = (part: keyof PublicVersions, by = 1): PublicVersions => ({ components: 0, incidents: 0, maintenance: 0, [part]: by });

async function newComponent(name = 'API') {
  const [row] = await database.db.insert(components).values({ name, createdAt: now, updatedAt: now }).returning();
  return row!;
}
async function newIncident() {
  const [row] = await database.db
    .insert(incidents)
    .values({ title: 'Slow', severity: 'P2', status: 'investigating', startedAt: now, detectedAt: now, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}
async function newMaintenance() {
  const later = new Date(now.getTime() + 3_600_000);
  const [row] = await database.db
    .insert(maintenances)
    .values({ title: 'Upgrade', body: 'Upgrading.', status: 'scheduled', scheduledFor: later, scheduledUntil: new Date(later.getTime() + 3_600_000), createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

describe('public_versions', () => {
  it('are read with the groups and the components, in page order, by one statement, and without any too', async () => {
    await database.db.delete(components);
    await database.db.delete(componentGroups);
    const none = await readPublicSnapshot(database.db);
    expect(none).toEqual({ versions: await readPublicVersions(database.db), groups: [], components: [] });
    const [b] = await database.db.insert(componentGroups).values({ name: 'B', position: 1, createdAt: now, updatedAt: now }).returning();
    const [a] = await database.db.insert(componentGroups).values({ name: 'A', position: 1, createdAt: now, updatedAt: now }).returning();
    const [first] = await database.db.insert(componentGroups).values({ name: 'Z', position: 0, createdAt: now, updatedAt: now }).returning();
    // Every kind of column: a null group, booleans both ways, a timestamp with microseconds, a moved revision.
    const later = new Date('2026-12-07T10:00:00.123Z');
    await database.db.insert(components).values([
      { name: 'Web', groupId: a!.id, position: 2, status: 'major_outage', showcase: false, createdAt: now, updatedAt: later },
      { name: 'API', groupId: b!.id, position: 2, description: 'The “public” API', uptimeRevision: 7, createdAt: now, updatedAt: now },
      { name: 'DNS', position: 1, createdAt: now, updatedAt: now },
    ]);
    await database.db.execute(sql`update components set updated_at = '2026-12-07 10:00:00.123456+00' where name = 'DNS'`);
    const some = await readPublicSnapshot(database.db);
    expect(some.versions).toEqual(await readPublicVersions(database.db));
    expect(some.groups).toEqual([first, a, b]);
    // As drizzle maps the same rows read on their own.
    expect(some.components).toEqual(await database.db.select().from(components).orderBy(components.position, components.name));
    expect(some.components.map((c) => c.name)).toEqual(['DNS', 'API', 'Web']);
    expect(some.components[0]!.updatedAt).toEqual(new Date('2026-12-07T10:00:00.123Z'));
    expect(some.components[0]!.groupId).toBeNull();
    await database.db.delete(components);
    await database.db.delete(componentGroups);
  });

  it('moves the components’ number with every insert, update and delete of a component or a group', async () => {
    const c = await newComponent();
    expect(await moved(() => database.db.update(components).set({ status: 'major_outage' }).where(eq(components.id, c.id)))).toEqual(only('components'));
    expect(await moved(() => database.db.insert(componentGroups).values({ name: 'Core', createdAt: now, updatedAt: now }))).toEqual(only('components'));
    expect(await moved(() => database.db.update(componentGroups).set({ name: 'Core 2' }))).toEqual(only('components'));
    expect(await moved(() => database.db.delete(components).where(eq(components.id, c.id)))).toEqual(only('components'));
    expect(await moved(() => database.db.delete(componentGroups))).toEqual(only('components'));
  });

  it('moves the incidents’ number with an incident or an update, and the maintenance’s with a maintenance, its components or its notes', async () => {
    expect(await moved(() => newIncident())).toEqual(only('incidents'));
    const incident = await newIncident();
    expect(
      await moved(() => database.db.insert(incidentUpdates).values({ incidentId: incident.id, status: 'identified', body: 'Found it.', createdAt: now, publishedAt: now })),
    ).toEqual(only('incidents'));
    expect(await moved(() => database.db.update(incidents).set({ title: 'Slower' }).where(eq(incidents.id, incident.id)))).toEqual(only('incidents'));

    const c = await newComponent('Billing');
    expect(await moved(() => newMaintenance())).toEqual(only('maintenance'));
    const m = await newMaintenance();
    expect(await moved(() => database.db.insert(maintenanceComponents).values({ maintenanceId: m.id, componentId: c.id }))).toEqual(only('maintenance'));
    expect(await moved(() => database.db.insert(maintenanceUpdates).values({ maintenanceId: m.id, status: 'scheduled', body: 'Still on.', createdAt: now }))).toEqual(
      only('maintenance'),
    );
  });

  it('moves the incidents’ number with a postmortem, and with a status change an incident made, not with one of a component’s own', async () => {
    const incident = await newIncident();
    expect(await moved(() => database.db.insert(postmortems).values({ incidentId: incident.id, summary: 'Draft', createdAt: now, updatedAt: now }))).toEqual(only('incidents'));
    expect(await moved(() => database.db.update(postmortems).set({ publishedAt: now }).where(eq(postmortems.incidentId, incident.id)))).toEqual(only('incidents'));
    expect(await moved(() => database.db.delete(postmortems).where(eq(postmortems.incidentId, incident.id)))).toEqual(only('incidents'));

    const c = await newComponent('Queue');
    const change = (incidentId: string | null) => ({ componentId: c.id, fromStatus: 'operational' as const, toStatus: 'major_outage' as const, incidentId, changedAt: now });
    expect(await moved(() => database.db.insert(componentStatusChanges).values(change(null)))).toEqual(only('incidents', 0));
    expect(await moved(() => database.db.insert(componentStatusChanges).values(change(incident.id)))).toEqual(only('incidents'));
    expect(await moved(() => database.db.update(componentStatusChanges).set({ incidentId: null }).where(eq(componentStatusChanges.incidentId, incident.id)))).toEqual(only('incidents'));
    expect(await moved(() => database.db.update(componentStatusChanges).set({ fromStatus: 'degraded_performance' }).where(eq(componentStatusChanges.componentId, c.id)))).toEqual(
      only('incidents', 0),
    );
    await database.db.insert(componentStatusChanges).values(change(incident.id));
    // Deleted with their component: the components' number moves, and the incidents' for the one an incident made.
    expect(await moved(() => database.db.delete(components).where(eq(components.id, c.id)))).toEqual({ components: 1, incidents: 1, maintenance: 0 });
  });

  it('moves once per transaction, however many rows and tables of a part it writes, and not before it commits', async () => {
    const before = await readPublicVersions(database.db);
    await database.db.transaction(async (tx) => {
      await tx.insert(components).values([1, 2, 3].map((i) => ({ name: `C${i}`, createdAt: now, updatedAt: now })));
      await tx.insert(componentGroups).values({ name: 'Edge', createdAt: now, updatedAt: now });
      await tx.update(components).set({ description: 'changed' });
      // Inside the transaction the number has not moved yet: it moves with the commit.
      expect(await readPublicVersions(tx)).toEqual(before);
    });
    expect(await readPublicVersions(database.db)).toEqual({ ...before, components: before.components + 1 });
  });

  it('does not move when the transaction rolls back, nor for a write to another table', async () => {
    const rolledBack = await moved(() =>
      database.db
        .transaction(async (tx) => {
          await tx.insert(components).values({ name: 'Gone', createdAt: now, updatedAt: now });
          tx.rollback();
        })
        .catch(() => undefined),
    );
    expect(rolledBack).toEqual(only('components', 0));
    expect(await moved(() => database.db.execute(sql`select 1`))).toEqual(only('components', 0));
  });

  it('moves with a TRUNCATE too', async () => {
    expect(await moved(() => database.db.execute(sql`truncate table maintenance_updates`))).toEqual(only('maintenance'));
  });

  // A writer takes the one row's lock only while it commits, holding no other it could be
  // waiting for: two transactions writing the parts in opposite orders, side by side, both go
  // on and commit (locked at the first write, the second would wait for the first forever).
  it.skipIf(testDatabaseKind !== 'postgres')('lets transactions writing the parts in opposite orders, side by side, both commit', async () => {
    const other = postgres(database.url!, { max: 1, onnotice: () => {} });
    try {
      const [c1, c2] = [await newComponent('Search'), await newComponent('Mail')];
      const [x, y] = [await newIncident(), await newIncident()];
      const before = await readPublicVersions(database.db);
      const signal = () => {
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        return { open, opened };
      };
      const [firstWrote, secondWrote] = [signal(), signal()];
      const first = database.db.transaction(async (tx) => {
        await tx.update(incidents).set({ title: 'A' }).where(eq(incidents.id, x.id));
        firstWrote.open();
        await secondWrote.opened;
        await tx.update(components).set({ description: 'A' }).where(eq(components.id, c1.id));
      });
      const second = other.begin(async (tx) => {
        await firstWrote.opened;
        await tx`update components set description = 'B' where id = ${c2.id}`;
        secondWrote.open();
        await tx`update incidents set title = 'B' where id = ${y.id}`;
      });
      await Promise.all([first, second]);
      expect(await readPublicVersions(database.db)).toEqual({ ...before, components: before.components + 2, incidents: before.incidents + 2 });
    } finally {
      await other.end();
    }
  });
});
