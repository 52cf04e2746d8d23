import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidentNotes, incidents, incidentUpdates } from '../../db/schema/index.js';
import type { IncidentRow, IncidentUpdateRow, IncidentNoteRow } from '../../db/rows.js';
import { htmlForStorage } from '../stored-markdown.js';
export type { IncidentRow, IncidentUpdateRow, IncidentNoteRow };


/** An incident with the bounds of its public updates: all the response clocks need. */
export interface IncidentWithPublication {
  incident: IncidentRow;
  firstPublishedAt: Date | null;
  lastPublishedAt: Date | null;
}

export async function insertIncident(db: DbOrTx, values: typeof incidents.$inferInsert): Promise<IncidentRow> {
  const [row] = await db.insert(incidents).values(values).returning();
  return row!;
}

export async function findIncident(db: DbOrTx, id: string, { lock = false } = {}): Promise<IncidentRow | undefined> {
  const query = db.select().from(incidents).where(eq(incidents.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Every change to an incident bumps its version, which is its ETag for `If-Match`. */
export async function updateIncident(
  db: DbOrTx,
  id: string,
  values: Partial<typeof incidents.$inferInsert>,
  at: Date,
): Promise<IncidentRow> {
  const [row] = await db
    .update(incidents)
    .set({ ...values, updatedAt: at, version: sql`${incidents.version} + 1` })
    .where(eq(incidents.id, id))
    .returning();
  return row!;
}

export async function listIncidentsWithPublication(
  db: DbOrTx,
  state: 'open' | 'resolved' | 'all',
): Promise<IncidentWithPublication[]> {
  const filters: SQL[] = [];
  if (state === 'open') filters.push(isNull(incidents.resolvedAt));
  if (state === 'resolved') filters.push(isNotNull(incidents.resolvedAt));
  return db
    .select({
      incident: incidents,
      firstPublishedAt: sql<Date | null>`min(${incidentUpdates.publishedAt})`.mapWith(incidentUpdates.publishedAt),
      lastPublishedAt: sql<Date | null>`max(${incidentUpdates.publishedAt})`.mapWith(incidentUpdates.publishedAt),
    })
    .from(incidents)
    .leftJoin(incidentUpdates, eq(incidentUpdates.incidentId, incidents.id))
    .where(and(...filters))
    .groupBy(incidents.id)
    .orderBy(desc(incidents.detectedAt));
}

export async function insertUpdate(
  db: DbOrTx,
  { messages, ...values }: Omit<typeof incidentUpdates.$inferInsert, 'bodyHtml' | 'translations'> & { messages?: Partial<Record<string, string>> },
): Promise<IncidentUpdateRow> {
  // Each translation is rendered as the message is: a bad one is a 400 naming it ("messages.de: …").
  const translations = Object.fromEntries(
    Object.entries(messages ?? {}).map(([lang, markdown]) => [lang, { markdown: markdown!, html: htmlForStorage(markdown!, `messages.${lang}`) }]),
  );
  const [row] = await db
    .insert(incidentUpdates)
    .values({ ...values, bodyHtml: htmlForStorage(values.body, 'message'), translations })
    .returning();
  return row!;
}

export function listUpdates(db: DbOrTx, incidentId: string): Promise<IncidentUpdateRow[]> {
  return db
    .select()
    .from(incidentUpdates)
    .where(eq(incidentUpdates.incidentId, incidentId))
    .orderBy(asc(incidentUpdates.seq));
}

/** Publishes a draft's held-back updates, all at the moment of publication. */
export async function publishPendingUpdates(db: DbOrTx, incidentId: string, at: Date): Promise<void> {
  await db
    .update(incidentUpdates)
    .set({ publishedAt: at })
    .where(and(eq(incidentUpdates.incidentId, incidentId), isNull(incidentUpdates.publishedAt)));
}

export async function insertNote(db: DbOrTx, values: Omit<typeof incidentNotes.$inferInsert, 'textHtml'>): Promise<IncidentNoteRow> {
  const [row] = await db
    .insert(incidentNotes)
    .values({ ...values, textHtml: htmlForStorage(values.text, 'text') })
    .returning();
  return row!;
}

export function listNotes(db: DbOrTx, incidentId: string): Promise<IncidentNoteRow[]> {
  return db.select().from(incidentNotes).where(eq(incidentNotes.incidentId, incidentId)).orderBy(asc(incidentNotes.at));
}

/**
 * Component-status claims of the other open, public incidents: their updates in order, so the
 * caller can find the status each last set.
 */
export function openPublicUpdatesExcept(db: DbOrTx, incidentId: string | null) {
  return db
    .select({ incidentId: incidentUpdates.incidentId, componentStatuses: incidentUpdates.componentStatuses })
    .from(incidentUpdates)
    .innerJoin(incidents, eq(incidents.id, incidentUpdates.incidentId))
    .where(and(incidentId ? ne(incidents.id, incidentId) : undefined, isNull(incidents.resolvedAt), eq(incidents.draft, false)))
    .orderBy(asc(incidentUpdates.seq));
}

/** The component statuses set by each listed incident's updates, in order, in one query. */
export function listComponentClaims(db: DbOrTx, incidentIds: string[]) {
  if (incidentIds.length === 0) return Promise.resolve([]);
  return db
    .select({ incidentId: incidentUpdates.incidentId, componentStatuses: incidentUpdates.componentStatuses })
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.incidentId, incidentIds))
    .orderBy(asc(incidentUpdates.seq));
}
