import { ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { preparedPer } from '../../db/prepared.js';
import { maintenances } from '../../db/schema/index.js';
import { Errors } from '../../core/errors.js';
import { listComponents } from '../components/index.js';
import type { SystemContext } from '../context.js';
import * as repo from './maintenance.repo.js';
import type { MaintenanceView } from './maintenance.schemas.js';

/** The reading half of the maintenance module: the admin API's view, and what the public pages read. */

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export function toMaintenanceView(row: repo.MaintenanceRow, componentIds: string[], updates: repo.MaintenanceUpdateRow[]): MaintenanceView {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    status: row.status,
    scheduledFor: row.scheduledFor.toISOString(),
    scheduledUntil: row.scheduledUntil.toISOString(),
    autoStart: row.autoStart,
    autoComplete: row.autoComplete,
    componentIds,
    startedAt: iso(row.startedAt),
    verifyingAt: iso(row.verifyingAt),
    completedAt: iso(row.completedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updates: updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      authorId: u.authorId,
      createdAt: u.createdAt.toISOString(),
    })),
  };
}

/** One maintenance as the admin API shows it, read in the caller's transaction when there is one. */
export async function viewOf(db: DbOrTx, row: repo.MaintenanceRow): Promise<MaintenanceView> {
  const [ids, updates] = await Promise.all([repo.componentIdsOf(db, [row.id]), repo.listUpdates(db, [row.id])]);
  return toMaintenanceView(row, ids.get(row.id)!, updates);
}

export async function listMaintenances(ctx: SystemContext, state: repo.ListState): Promise<MaintenanceView[]> {
  const rows = await repo.listMaintenances(ctx.db, state);
  const ids = rows.map((r) => r.id);
  const [componentIds, updates] = await Promise.all([repo.componentIdsOf(ctx.db, ids), repo.listUpdates(ctx.db, ids)]);
  return rows.map((row) => toMaintenanceView(row, componentIds.get(row.id)!, updates.filter((u) => u.maintenanceId === row.id)));
}

export async function getMaintenance(ctx: SystemContext, id: string): Promise<MaintenanceView> {
  const row = await repo.findMaintenance(ctx.db, id);
  if (!row) throw new Errors.notFound('Maintenance', id);
  return viewOf(ctx.db, row);
}

/** A maintenance as the public reads it: its row, the names of what it covers, its notes. */
export interface PublicMaintenance {
  maintenance: repo.MaintenanceRow;
  componentNames: string[];
  /** Newest first. */
  updates: repo.MaintenanceUpdateRow[];
}

const componentNames = async (db: DbOrTx) => new Map((await listComponents(db)).map((c) => [c.id, c.name]));

/** A maintenance as the public reads it, before the components it covers are named. */
export interface OpenMaintenance {
  maintenance: repo.MaintenanceRow;
  componentIds: string[];
  /** Newest first. */
  updates: repo.MaintenanceUpdateRow[];
}

async function withDetails(db: DbOrTx, rows: repo.MaintenanceRow[]): Promise<OpenMaintenance[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [componentIds, updates] = await Promise.all([repo.componentIdsOf(db, ids), repo.listUpdates(db, ids)]);
  return rows.map((maintenance) => ({
    maintenance,
    componentIds: componentIds.get(maintenance.id) ?? [],
    updates: updates.filter((u) => u.maintenanceId === maintenance.id),
  }));
}

/** Each maintenance with the components it covers named from `names`; a component gone is left out. */
export function named(rows: readonly OpenMaintenance[], names: ReadonlyMap<string, string>): PublicMaintenance[] {
  return rows.map(({ maintenance, componentIds, updates }) => ({ maintenance, componentNames: componentIds.flatMap((id) => names.get(id) ?? []), updates }));
}

// Prepared: every render of the status page reads them.
const openMaintenances = preparedPer((db) => db.select().from(maintenances).where(ne(maintenances.status, 'completed')).prepare('list_open_maintenances'));

/**
 * Maintenance not yet completed (under way, and upcoming), the components it covers not yet
 * named: the status page names them from the components it reads anyway, so that what it
 * keeps of these stands until maintenance itself changes, whatever happens to the components.
 */
export async function listOpenMaintenanceRows(db: DbOrTx): Promise<OpenMaintenance[]> {
  return withDetails(db, await openMaintenances(db).execute());
}

/** Undefined when there is no such maintenance. */
export async function findPublicMaintenance(db: DbOrTx, id: string): Promise<PublicMaintenance | undefined> {
  const row = await repo.findMaintenance(db, id);
  if (!row) return undefined;
  const [rows, names] = await Promise.all([withDetails(db, [row]), componentNames(db)]);
  return named(rows, names)[0];
}
