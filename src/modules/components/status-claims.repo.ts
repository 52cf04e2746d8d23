import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { maintenanceComponents, maintenances } from '../../db/schema/index.js';
import { MAINTENANCE_UNDER_WAY } from '../../domain/vocabulary.js';

/*
 * What holds a component's status besides its own row: maintenance under way. Incidents and
 * maintenance both ask it, so it lives with the components, below both.
 */

/**
 * Components that a maintenance under way covers, apart from `exceptId`: the status they return
 * to when an incident resolves or another overlapping maintenance ends.
 */
export async function componentsUnderMaintenance(db: DbOrTx, componentIds: string[], exceptId?: string): Promise<Set<string>> {
  if (componentIds.length === 0) return new Set();
  const rows = await db
    .select({ componentId: maintenanceComponents.componentId })
    .from(maintenanceComponents)
    .innerJoin(maintenances, eq(maintenances.id, maintenanceComponents.maintenanceId))
    .where(
      and(
        inArray(maintenanceComponents.componentId, componentIds),
        inArray(maintenances.status, [...MAINTENANCE_UNDER_WAY]),
        exceptId ? sql`${maintenances.id} <> ${exceptId}` : undefined,
      ),
    );
  return new Set(rows.map((r) => r.componentId));
}
