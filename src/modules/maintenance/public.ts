import { ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { maintenances } from '../../db/schema/index.js';
import { displayTime } from '../../text/time.js';
import { listComponents } from '../components/index.js';
import {
  buildMaintenanceSection,
  maintenanceModel,
  type MaintenanceInput,
  type MaintenancePageContext,
  type MaintenancePageModel,
  type MaintenanceSectionModel,
} from '../../surfaces/web/maintenance-model.js';
import * as repo from './maintenance.repo.js';

async function inputsFor(db: DbOrTx, rows: repo.MaintenanceRow[]): Promise<MaintenanceInput[]> {
  const ids = rows.map((r) => r.id);
  const [components, componentIds, updates] = await Promise.all([listComponents(db), repo.componentIdsOf(db, ids), repo.listUpdates(db, ids)]);
  const names = new Map(components.map((c) => [c.id, c.name]));
  return rows.map((maintenance) => ({
    maintenance,
    componentNames: (componentIds.get(maintenance.id) ?? []).flatMap((id) => names.get(id) ?? []),
    updates: updates.filter((u) => u.maintenanceId === maintenance.id),
  }));
}

/** The status page's maintenance section: under way, and upcoming. */
export async function loadMaintenanceSection(db: DbOrTx, ctx: MaintenancePageContext): Promise<MaintenanceSectionModel> {
  const rows = await db.select().from(maintenances).where(ne(maintenances.status, 'completed'));
  return buildMaintenanceSection(await inputsFor(db, rows), ctx);
}

/** Null when there is no such maintenance. */
export async function loadMaintenancePage(db: DbOrTx, id: string, ctx: MaintenancePageContext): Promise<MaintenancePageModel | null> {
  const row = await repo.findMaintenance(db, id);
  if (!row) return null;
  const [input] = await inputsFor(db, [row]);
  return { pageName: ctx.pageName, maintenance: maintenanceModel(input!, ctx), generatedAt: displayTime(ctx.now, ctx.timeZone) };
}
