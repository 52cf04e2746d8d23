import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { ComponentSourceRow } from '../../db/rows.js';
import { componentSources, incidents } from '../../db/schema/index.js';
export type { ComponentSourceRow };

const s = componentSources;

export async function findSource(db: DbOrTx, componentId: string): Promise<ComponentSourceRow | undefined> {
  const [row] = await db.select().from(s).where(eq(s.componentId, componentId));
  return row;
}

/** Links a component, or relinks it: a new address starts over (no ETag, no failures, polled next). */
export async function upsertSource(db: DbOrTx, values: typeof s.$inferInsert): Promise<ComponentSourceRow> {
  const { componentId: _id, createdAt: _created, ...changes } = values;
  const [row] = await db.insert(s).values(values).onConflictDoUpdate({ target: s.componentId, set: changes }).returning();
  return row!;
}

export async function deleteSource(db: DbOrTx, componentId: string): Promise<ComponentSourceRow | undefined> {
  const [row] = await db.delete(s).where(eq(s.componentId, componentId)).returning();
  return row;
}

/**
 * Claims up to `limit` sources due at `now` until `until`, in one statement: a source claimed
 * by one process (or one tick) is skipped by every other until its claim ends, so each poll
 * happens once. A claim left by a process that died mid-poll lapses at `until`.
 */
export async function claimDue(db: DbOrTx, now: Date, until: Date, limit: number): Promise<ComponentSourceRow[]> {
  const due = db
    .select({ id: s.componentId })
    .from(s)
    .where(and(lte(s.nextPollAt, now), or(isNull(s.claimedUntil), lt(s.claimedUntil, now))))
    .orderBy(asc(s.nextPollAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db.update(s).set({ claimedUntil: until }).where(inArray(s.componentId, due)).returning();
}

/**
 * Writes a poll's outcome and ends its claim, only if the claim is still this poll's: a source
 * relinked or unlinked meanwhile is left as the owner made it.
 */
export async function finishPoll(db: DbOrTx, claimed: ComponentSourceRow, values: Partial<typeof s.$inferInsert>): Promise<boolean> {
  const rows = await db
    .update(s)
    .set({ ...values, claimedUntil: null })
    .where(and(eq(s.componentId, claimed.componentId), eq(s.claimedUntil, claimed.claimedUntil!), eq(s.url, claimed.url)))
    .returning({ id: s.componentId });
  return rows.length > 0;
}

/** Whether the draft a source opened is still unresolved (its next degradation then opens none). */
export async function hasOpenIncident(db: DbOrTx, incidentId: string | null): Promise<boolean> {
  if (!incidentId) return false;
  const [row] = await db.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.id, incidentId), isNull(incidents.resolvedAt)));
  return row !== undefined;
}

/** Locks the source row for the rest of the transaction (the draft decision is made once). */
export async function lockSource(db: DbOrTx, componentId: string): Promise<ComponentSourceRow | undefined> {
  const [row] = await db.select().from(s).where(eq(s.componentId, componentId)).for('update');
  return row;
}

export async function setOpenIncident(db: DbOrTx, componentId: string, incidentId: string): Promise<void> {
  await db.update(s).set({ openIncidentId: incidentId }).where(eq(s.componentId, componentId));
}
