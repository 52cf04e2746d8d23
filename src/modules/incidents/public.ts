import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { selectsNothing, type IdsOrQuery } from '../../db/ids.js';
import { preparedPer } from '../../db/prepared.js';
import { incidents, incidentUpdates } from '../../db/schema/index.js';
import type { IncidentRow, IncidentUpdateRow } from '../../db/rows.js';
import { isPublicIncident, isPublishedUpdate } from '../../db/public-visibility.js';
export type { IncidentRow, IncidentUpdateRow };

// The visibility rule lives with the schema, so components (below incidents) weigh the same incidents.
export { isPublicIncident, isPublishedUpdate, listUnresolvedIncidents } from '../../db/public-visibility.js';


/**
 * The status page's incidents: unresolved public ones, plus those that began or ended since
 * the `since` placeholder (queries prepared once: every render of the status page runs them).
 */
const from = sql.placeholder('since');
const isCurrent = and(isPublicIncident, or(isNull(incidents.resolvedAt), gte(incidents.startedAt, from), gte(incidents.resolvedAt, from)));

const currentIncidents = preparedPer((db) => db.select().from(incidents).where(isCurrent).orderBy(desc(incidents.startedAt)).prepare('list_current_incidents'));

/** Unresolved public incidents, plus those that began or ended since `since`. */
export function listCurrentIncidents(db: DbOrTx, since: Date): Promise<IncidentRow[]> {
  return currentIncidents(db).execute({ since: since.toISOString() });
}

/**
 * A published update as the lists of incidents read it. Its message (body, HTML, translations)
 * is read only when it is its incident's latest, the one a list shows; the others count only for
 * the components they touched and the resolution's summary.
 */
export type ListedUpdate = Pick<IncidentUpdateRow, 'id' | 'incidentId' | 'status' | 'kind' | 'summary' | 'componentStatuses' | 'publishedAt' | 'createdAt'> & {
  body: string | null;
  bodyHtml: string | null;
  translations: IncidentUpdateRow['translations'] | null;
};

const currentUpdates = preparedPer((db) => {
  const u = incidentUpdates;
  const each = db
    .select({
      id: u.id,
      incidentId: u.incidentId,
      status: u.status,
      kind: u.kind,
      summary: u.summary,
      componentStatuses: u.componentStatuses,
      publishedAt: u.publishedAt,
      createdAt: u.createdAt,
      seq: u.seq,
      body: u.body,
      bodyHtml: u.bodyHtml,
      translations: u.translations,
      newest: sql<number>`row_number() over (order by ${u.publishedAt} desc, ${u.seq} desc)`.as('newest'),
    })
    .from(u)
    .where(and(eq(u.incidentId, incidents.id), isPublishedUpdate))
    .as('u');
  const latest = sql`${each.newest} = 1`;
  return db
    .select({
      id: each.id,
      incidentId: each.incidentId,
      status: each.status,
      kind: each.kind,
      summary: each.summary,
      componentStatuses: each.componentStatuses,
      publishedAt: each.publishedAt,
      createdAt: each.createdAt,
      body: sql<string | null>`case when ${latest} then ${each.body} end`,
      bodyHtml: sql<string | null>`case when ${latest} then ${each.bodyHtml} end`,
      translations: sql<ListedUpdate['translations']>`case when ${latest} then ${each.translations} end`.mapWith(u.translations),
    })
    .from(incidents)
    .crossJoinLateral(each)
    .where(isCurrent)
    .orderBy(desc(each.publishedAt), desc(each.seq))
    .prepare('list_current_updates');
});

/**
 * The published updates of the incidents `listCurrentIncidents` lists, newest first, in one
 * query that needs not wait for their ids. Each incident's are read by its own index lookups
 * (the window function keeps the planner from turning the lateral join into a scan of every
 * update ever posted), so the cost follows the incidents on the page, not the history's length.
 */
export function listCurrentUpdates(db: DbOrTx, since: Date): Promise<ListedUpdate[]> {
  return currentUpdates(db).execute({ since: since.toISOString() });
}

export async function findPublicIncident(db: DbOrTx, id: string) {
  const [row] = await db.select().from(incidents).where(and(eq(incidents.id, id), isPublicIncident));
  return row;
}

/** Published updates of the given incidents, newest first. */
export function listPublishedUpdates(db: DbOrTx, incidentIds: IdsOrQuery) {
  if (selectsNothing(incidentIds)) return Promise.resolve([] as IncidentUpdateRow[]);
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
