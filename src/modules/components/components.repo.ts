import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { selectsNothing, type IdsOrQuery } from '../../db/ids.js';
import { preparedPer } from '../../db/prepared.js';
import { componentGroups, components, componentStatusChanges } from '../../db/schema/index.js';
import type { ComponentStatus } from '../../domain/vocabulary.js';
import type { ComponentRow, ComponentGroupRow } from '../../db/rows.js';
import { recordStatusChange } from './uptime.repo.js';
export type { ComponentRow, ComponentGroupRow };


// Prepared: every render of the status page reads them.
const allComponents = preparedPer((db) => db.select().from(components).orderBy(asc(components.position), asc(components.name)).prepare('list_components'));
const allGroups = preparedPer((db) => db.select().from(componentGroups).orderBy(asc(componentGroups.position), asc(componentGroups.name)).prepare('list_component_groups'));

export function listComponents(db: DbOrTx): Promise<ComponentRow[]> {
  return allComponents(db).execute();
}

export async function findComponent(db: DbOrTx, id: string): Promise<ComponentRow | undefined> {
  const [row] = await db.select().from(components).where(eq(components.id, id));
  return row;
}

export async function findComponentsForUpdate(db: DbOrTx, ids: string[]): Promise<ComponentRow[]> {
  if (ids.length === 0) return [];
  // In id order: every writer locks components in the same order, so none deadlock.
  return db.select().from(components).where(inArray(components.id, ids)).orderBy(asc(components.id)).for('update');
}

export async function insertComponent(db: DbOrTx, values: typeof components.$inferInsert): Promise<ComponentRow> {
  const [row] = await db.insert(components).values(values).returning();
  return row!;
}

export async function updateComponent(
  db: DbOrTx,
  id: string,
  values: Partial<typeof components.$inferInsert>,
  at: Date,
): Promise<ComponentRow | undefined> {
  const [row] = await db
    .update(components)
    .set({ ...values, updatedAt: at })
    .where(eq(components.id, id))
    .returning();
  return row;
}

export async function deleteComponent(db: DbOrTx, id: string): Promise<ComponentRow | undefined> {
  const [row] = await db.delete(components).where(eq(components.id, id)).returning();
  return row;
}

/** When a status changed, who changed it, and what for. */
export interface StatusChange {
  at: Date;
  actorId: string | null;
  incidentId?: string | null;
  maintenanceId?: string | null;
}

/**
 * Sets a component's status and records the change in its history and its uptime days, in the
 * caller's transaction, on a component it has locked. Does nothing when the status is already
 * the one asked for, so the history holds only real changes.
 */
export async function changeComponentStatus(
  tx: Tx,
  component: ComponentRow,
  status: ComponentStatus,
  change: StatusChange,
): Promise<boolean> {
  if (component.status === status) return false;
  await tx.update(components).set({ status, updatedAt: change.at }).where(eq(components.id, component.id));
  await recordStatusChange(tx, {
    componentId: component.id,
    fromStatus: component.status,
    toStatus: status,
    incidentId: change.incidentId ?? null,
    maintenanceId: change.maintenanceId ?? null,
    actorId: change.actorId,
    changedAt: change.at,
  });
  return true;
}

export async function recordInitialStatus(tx: Tx, component: ComponentRow, actorId: string | null) {
  await recordStatusChange(tx, {
    componentId: component.id,
    fromStatus: null,
    toStatus: component.status,
    actorId,
    changedAt: component.createdAt,
  });
}

export function listStatusChanges(db: DbOrTx, componentId: string) {
  return db
    .select()
    .from(componentStatusChanges)
    .where(eq(componentStatusChanges.componentId, componentId))
    .orderBy(asc(componentStatusChanges.changedAt), asc(componentStatusChanges.id));
}

/** The status changes incidents made, for the `old_status` of each update's components. */
export function listIncidentStatusChanges(db: DbOrTx, incidentIds: IdsOrQuery) {
  if (selectsNothing(incidentIds)) return Promise.resolve([]);
  return db
    .select({
      incidentId: componentStatusChanges.incidentId,
      componentId: componentStatusChanges.componentId,
      fromStatus: componentStatusChanges.fromStatus,
      changedAt: componentStatusChanges.changedAt,
    })
    .from(componentStatusChanges)
    .where(inArray(componentStatusChanges.incidentId, incidentIds));
}

export function listGroups(db: DbOrTx): Promise<ComponentGroupRow[]> {
  return allGroups(db).execute();
}

export async function findGroup(db: DbOrTx, id: string, { lock = false } = {}): Promise<ComponentGroupRow | undefined> {
  const query = db.select().from(componentGroups).where(eq(componentGroups.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function insertGroup(db: DbOrTx, values: typeof componentGroups.$inferInsert) {
  const [row] = await db.insert(componentGroups).values(values).returning();
  return row!;
}

export async function updateGroup(db: DbOrTx, id: string, values: Partial<typeof componentGroups.$inferInsert>, at: Date) {
  const [row] = await db
    .update(componentGroups)
    .set({ ...values, updatedAt: at })
    .where(eq(componentGroups.id, id))
    .returning();
  return row;
}

export async function deleteGroup(db: DbOrTx, id: string) {
  const [row] = await db.delete(componentGroups).where(eq(componentGroups.id, id)).returning();
  return row;
}
