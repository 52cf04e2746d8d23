import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { openDatabase, type Database } from '../../../src/db/client.js';
import { auditLog, componentStatusChanges, maintenanceUpdates } from '../../../src/db/schema/index.js';
import { systemContext } from '../../../src/modules/context.js';
import { runDueTransitions } from '../../../src/modules/maintenance/maintenance-scheduler.js';
import { createMaintenance, patchMaintenance } from '../../../src/modules/maintenance/maintenance.service.js';
import { createTestApp, testConfig, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { actingAs } from '../../helpers/context.js';
import { testDatabaseKind } from '../../helpers/db.js';
import { makeComponent, makeUser } from '../../helpers/factories.js';

/**
 * Two server processes on one PostgreSQL database, both running the maintenance scheduler at
 * the same moment: every start and every completion must happen exactly once (one history
 * row, one public update, one notification later), never twice and never not at all.
 */
describe.skipIf(testDatabaseKind !== 'postgres')('maintenance scheduler in two processes', () => {
  const clock = new TestClock('2026-11-24T10:00:00Z');
  let first: TestApp;
  let secondDatabase: Database;
  let second: FastifyInstance;

  beforeAll(async () => {
    first = await createTestApp({ now: clock.now, config: { maintenanceTickSeconds: 0 } });
    secondDatabase = await openDatabase({ databaseUrl: first.database.url! });
    second = await buildApp({
      config: testConfig({ maintenanceTickSeconds: 0 }),
      database: secondDatabase,
      ownsDatabase: true,
      now: clock.now,
      logger: false,
    });
    await second.ready();
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  // A bare claimant on the second process's connections, with the first's page identity.
  const onSecond = () => ({ ...systemContext(first.app), db: second.db });

  it('each transition happens once', async () => {
    const owner = await makeUser(first.app, 'owner');
    const ctx = actingAs(first.app, owner.actor, clock.now());
    const ids: string[] = [];
    const componentIds: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const c = await makeComponent(first.app, owner.actor);
      componentIds.push(c.id);
      const m = await createMaintenance(ctx, {
        title: `Window ${i}`,
        body: 'Planned work.',
        scheduledFor: '2026-11-24T22:00:00Z',
        scheduledUntil: '2026-11-25T00:00:00Z',
        // Every other one shares a component with its neighbour: the ticks also contend on component locks.
        componentIds: i % 2 === 0 ? [c.id] : [c.id, componentIds[i - 1]!],
      });
      ids.push(m.id);
    }

    clock.set('2026-11-24T22:00:00Z');
    // Ticks within one process never overlap, so beside each app's tick run bare ones as well:
    // four claimants, two connection pools.
    const starts = await Promise.all([
      first.app.maintenanceScheduler.tick(),
      second.maintenanceScheduler.tick(),
      runDueTransitions(systemContext(first.app)),
      runDueTransitions(onSecond()),
    ]);
    expect(starts.flat().map((r) => r.id).sort()).toEqual([...ids].sort());

    clock.set('2026-11-25T00:00:00Z');
    const completions = await Promise.all([
      second.maintenanceScheduler.tick(),
      first.app.maintenanceScheduler.tick(),
      runDueTransitions(onSecond()),
    ]);
    expect(completions.flat().map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(completions.flat().every((r) => r.transition === 'complete')).toBe(true);

    for (const id of ids) {
      const updates = await first.app.db.select().from(maintenanceUpdates).where(eq(maintenanceUpdates.maintenanceId, id));
      expect(updates.map((u) => u.status).sort()).toEqual(['completed', 'in_progress', 'scheduled']);
      const audit = await first.app.db.select().from(auditLog).where(eq(auditLog.targetId, id));
      expect(audit.map((a) => a.action).sort()).toEqual(['maintenance.auto_complete', 'maintenance.auto_start', 'maintenance.create']);
    }
    for (const id of componentIds) {
      const history = await first.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, id));
      // Created, under maintenance once, operational once (overlapping maintenances change nothing twice).
      expect(history.map((h) => h.toStatus)).toEqual(['operational', 'under_maintenance', 'operational']);
    }
  });
  it('a person starting it by hand while both schedulers tick: started once', async () => {
    const owner = await makeUser(first.app, 'owner');
    const c = await makeComponent(first.app, owner.actor);
    clock.set('2026-11-26T10:00:00Z');
    const m = await createMaintenance(
      actingAs(first.app, owner.actor),
      { title: 'Race', body: 'Work.', scheduledFor: '2026-11-26T11:00:00Z', scheduledUntil: '2026-11-26T12:00:00Z', componentIds: [c.id] },
    );
    clock.set('2026-11-26T11:00:00Z');
    const [runs1, runs2, manual] = await Promise.all([
      runDueTransitions(systemContext(first.app)),
      runDueTransitions(onSecond()),
      patchMaintenance({ ...onSecond(), actor: owner.actor }, m.id, { status: 'in_progress', message: 'Starting now.' }),
    ]);
    expect(manual.status).toBe('in_progress');
    const updates = await first.app.db.select().from(maintenanceUpdates).where(eq(maintenanceUpdates.maintenanceId, m.id));
    expect(updates.filter((u) => u.status === 'in_progress')).toHaveLength(1);
    expect([...runs1, ...runs2].filter((r) => r.id === m.id).length).toBeLessThanOrEqual(1);
    const history = await first.app.db.select().from(componentStatusChanges).where(eq(componentStatusChanges.componentId, c.id));
    expect(history.map((h) => h.toStatus)).toEqual(['operational', 'under_maintenance']);
  });
});
