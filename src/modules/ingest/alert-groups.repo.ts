import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { alertGroups, incidents } from '../../db/schema/index.js';
import type { AlertGroupRow } from '../../db/rows.js';
export type { AlertGroupRow };


/**
 * Serialises posts for one group until the transaction ends: Alertmanager retries and two
 * processes must not both open a draft for the same group.
 */
export async function lockGroupKey(tx: DbOrTx, groupKey: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${groupKey}, 0))`);
}

/** The group's most recent link whose incident is still unresolved, with that incident's draft flag. */
export async function findOpenGroup(tx: DbOrTx, groupKey: string) {
  const [row] = await tx
    .select({ group: alertGroups, draft: incidents.draft })
    .from(alertGroups)
    .innerJoin(incidents, eq(incidents.id, alertGroups.incidentId))
    .where(and(eq(alertGroups.groupKey, groupKey), isNull(incidents.resolvedAt)))
    .orderBy(desc(alertGroups.createdAt))
    .limit(1);
  return row;
}

export async function insertGroup(tx: DbOrTx, values: typeof alertGroups.$inferInsert): Promise<AlertGroupRow> {
  const [row] = await tx.insert(alertGroups).values(values).returning();
  return row!;
}

export async function updateGroup(tx: DbOrTx, id: string, values: Partial<typeof alertGroups.$inferInsert>): Promise<void> {
  await tx.update(alertGroups).set(values).where(eq(alertGroups.id, id));
}
