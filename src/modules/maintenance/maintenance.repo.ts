import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { maintenanceComponents, maintenances, maintenanceUpdates } from '../../db/schema/index.js';
import { MAINTENANCE_UNDER_WAY } from '../../domain/vocabulary.js';
import type { MaintenanceRow, MaintenanceUpdateRow } from '../../db/rows.js';
import { htmlForStorage } from '../stored-markdown.js';
export type { MaintenanceRow, MaintenanceUpdateRow };


export async function insertMaintenance(db: DbOrTx, values: Omit<typeof maintenances.$inferInsert, 'bodyHtml'>): Promise<MaintenanceRow> {
  const [row] = await db
    .insert(maintenances)
    .values({ ...values, bodyHtml: htmlForStorage(values.body, 'body') })
    .returning();
  return row!;
}

export async function findMaintenance(db: DbOrTx, id: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(maintenances).where(eq(maintenances.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function updateMaintenance(
  db: DbOrTx,
  id: string,
  values: Partial<Omit<typeof maintenances.$inferInsert, 'bodyHtml'>>,
  at: Date,
) {
  const rendered = values.body === undefined ? {} : { bodyHtml: htmlForStorage(values.body, 'body') };
  const [row] = await db
    .update(maintenances)
    .set({ ...values, ...rendered, updatedAt: at })
    .where(eq(maintenances.id, id))
    .returning();
  return row!;
}

export async function deleteMaintenance(db: DbOrTx, id: string) {
  await db.delete(maintenances).where(eq(maintenances.id, id));
}

export async function setComponents(db: DbOrTx, maintenanceId: string, componentIds: string[]) {
  await db.delete(maintenanceComponents).where(eq(maintenanceComponents.maintenanceId, maintenanceId));
  if (componentIds.length === 0) return;
  await db.insert(maintenanceComponents).values(componentIds.map((componentId) => ({ maintenanceId, componentId })));
}

/** The component ids of each listed maintenance. */
export async function componentIdsOf(db: DbOrTx, maintenanceIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(maintenanceIds.map((id) => [id, []]));
  if (maintenanceIds.length === 0) return result;
  const rows = await db
    .select()
    .from(maintenanceComponents)
    .where(inArray(maintenanceComponents.maintenanceId, maintenanceIds))
    .orderBy(asc(maintenanceComponents.componentId));
  for (const row of rows) result.get(row.maintenanceId)!.push(row.componentId);
  return result;
}

export async function insertUpdate(db: DbOrTx, values: Omit<typeof maintenanceUpdates.$inferInsert, 'bodyHtml'>) {
  const [row] = await db
    .insert(maintenanceUpdates)
    .values({ ...values, bodyHtml: htmlForStorage(values.body, 'message') })
    .returning();
  return row!;
}

/** Updates of the listed maintenances, newest first. */
export function listUpdates(db: DbOrTx, maintenanceIds: string[]): Promise<MaintenanceUpdateRow[]> {
  if (maintenanceIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(maintenanceUpdates)
    .where(inArray(maintenanceUpdates.maintenanceId, maintenanceIds))
    .orderBy(desc(maintenanceUpdates.createdAt), desc(maintenanceUpdates.seq));
}

export type ListState = 'open' | 'completed' | 'all';

/** Newest window first; `open` is everything not completed. */
export function listMaintenances(db: DbOrTx, state: ListState, limit = 500) {
  const where =
    state === 'all' ? undefined : state === 'completed' ? eq(maintenances.status, 'completed') : sql`${maintenances.status} <> 'completed'`;
  return db.select().from(maintenances).where(where).orderBy(desc(maintenances.scheduledFor)).limit(limit);
}


/**
 * Claims one maintenance the scheduler owes a transition at `now`, locked until the
 * transaction ends. SKIP LOCKED: a second process ticking at the same moment passes over the
 * row instead of waiting, and once the first commits the row no longer matches, so each
 * transition happens once.
 */
export async function claimDue(db: DbOrTx, now: Date): Promise<MaintenanceRow | undefined> {
  const [row] = await db
    .select()
    .from(maintenances)
    .where(
      or(
        and(eq(maintenances.status, 'scheduled'), eq(maintenances.autoStart, true), lte(maintenances.scheduledFor, now)),
        and(inArray(maintenances.status, [...MAINTENANCE_UNDER_WAY]), eq(maintenances.autoComplete, true), lte(maintenances.scheduledUntil, now)),
      ),
    )
    .orderBy(asc(maintenances.scheduledFor), asc(maintenances.id))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}
