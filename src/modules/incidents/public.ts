import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents, incidentUpdates } from '../../db/schema/index.js';
import type { IncidentRow, IncidentUpdateRow } from '../../db/rows.js';
import { isPublicIncident, isPublishedUpdate } from '../../db/public-visibility.js';
export type { IncidentRow, IncidentUpdateRow };

// The visibility rule lives with the schema, so components (below incidents) weigh the same incidents.
export { isPublicIncident, isPublishedUpdate, listUnresolvedIncidents } from '../../db/public-visibility.js';


/** Unresolved public incidents, plus those that began or ended since `since`. */
export function listCurrentIncidents(db: DbOrTx, since: Date) {
  return db
    .select()
    .from(incidents)
    .where(and(isPublicIncident, or(isNull(incidents.resolvedAt), gte(incidents.startedAt, since), gte(incidents.resolvedAt, since))))
    .orderBy(desc(incidents.startedAt));
}

export async function findPublicIncident(db: DbOrTx, id: string) {
  const [row] = await db.select().from(incidents).where(and(eq(incidents.id, id), isPublicIncident));
  return row;
}

/** Published updates of the given incidents, newest first. */
export function listPublishedUpdates(db: DbOrTx, incidentIds: string[]) {
  if (incidentIds.length === 0) return Promise.resolve([] as IncidentUpdateRow[]);
  return db
    .select()
    .from(incidentUpdates)
    .where(and(inArray(incidentUpdates.incidentId, incidentIds), isPublishedUpdate))
    .orderBy(desc(incidentUpdates.publishedAt), desc(incidentUpdates.seq));
}

/** One incident's published updates in the order they were posted (their claims apply in that order). */
export function listPublishedUpdatesInOrder(db: DbOrTx, incidentId: string): Promise<IncidentUpdateRow[]> {
  return db
    .select()
    .from(incidentUpdates)
    .where(and(eq(incidentUpdates.incidentId, incidentId), isPublishedUpdate))
    .orderBy(asc(incidentUpdates.seq));
}

/** Public incidents that started in [from, to), newest first. */
export function listIncidentsStartedBetween(db: DbOrTx, from: Date, to: Date) {
  return db
    .select()
    .from(incidents)
    .where(and(isPublicIncident, gte(incidents.startedAt, from), lt(incidents.startedAt, to)))
    .orderBy(desc(incidents.startedAt));
}

export async function earliestPublicIncidentStart(db: DbOrTx): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${incidents.startedAt})`.mapWith(incidents.startedAt) })
    .from(incidents)
    .where(isPublicIncident);
  return row?.at ?? null;
}
