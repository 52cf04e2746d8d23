import { ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { MaintenanceRow, MaintenanceUpdateRow } from '../../db/rows.js';
import { maintenances } from '../../db/schema/index.js';
import { listComponents } from '../components/index.js';
import * as repo from './maintenance.repo.js';

/** A maintenance as the public reads it: its row, the names of what it covers, its notes. */
export interface PublicMaintenance {
  maintenance: MaintenanceRow;
  componentNames: string[];
  /** Newest first. */
  updates: MaintenanceUpdateRow[];
}

async function withDetails(db: DbOrTx, rows: MaintenanceRow[]): Promise<PublicMaintenance[]> {
  const ids = rows.map((r) => r.id);
  const [components, componentIds, updates] = await Promise.all([listComponents(db), repo.componentIdsOf(db, ids), repo.listUpdates(db, ids)]);
  const names = new Map(components.map((c) => [c.id, c.name]));
  return rows.map((maintenance) => ({
    maintenance,
    componentNames: (componentIds.get(maintenance.id) ?? []).flatMap((id) => names.get(id) ?? []),
    updates: updates.filter((u) => u.maintenanceId === maintenance.id),
  }));
}

/** Maintenance not yet completed: under way, and upcoming. */
export async function listOpenMaintenances(db: DbOrTx): Promise<PublicMaintenance[]> {
  return withDetails(db, await db.select().from(maintenances).where(ne(maintenances.status, 'completed')));
}

/** Undefined when there is no such maintenance. */
export async function findPublicMaintenance(db: DbOrTx, id: string): Promise<PublicMaintenance | undefined> {
  const row = await repo.findMaintenance(db, id);
  return row ? (await withDetails(db, [row]))[0] : undefined;
}
