import { desc, eq, isNotNull, and, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents, postmortems } from '../../db/schema/index.js';
import type { PostmortemRow } from '../../db/rows.js';
import { checkMarkdown, htmlForStorage } from '../stored-markdown.js';
import { postmortemBody } from './postmortem-content.js';
export type { PostmortemRow };

/** The HTML the page, the feed and the mail show; the internal whys held to the same limits. */
function renderedPostmortem(p: Omit<typeof postmortems.$inferInsert, PostmortemHtml>) {
  const contributingFactors = p.contributingFactors ?? [];
  const actionItems = p.actionItems ?? [];
  const rootCause = p.rootCause ?? '';
  (p.whys ?? []).forEach((why, i) => checkMarkdown(why, `whys[${i}]`));
  return {
    summaryHtml: htmlForStorage(p.summary, 'summary'),
    rootCauseHtml: rootCause ? htmlForStorage(rootCause, 'rootCause') : '',
    publicHtml: htmlForStorage(postmortemBody({ summary: p.summary, rootCause, contributingFactors, actionItems }), 'the postmortem'),
  };
}


export async function findPostmortem(db: DbOrTx, incidentId: string, { lock = false } = {}): Promise<PostmortemRow | undefined> {
  const query = db.select().from(postmortems).where(eq(postmortems.incidentId, incidentId));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

type PostmortemHtml = 'summaryHtml' | 'rootCauseHtml' | 'publicHtml';

/** Saves the whole postmortem, its public text rendered beside the source; each save moves its version on. */
export async function upsertPostmortem(db: DbOrTx, input: Omit<typeof postmortems.$inferInsert, PostmortemHtml | 'version'>): Promise<PostmortemRow> {
  const values = { ...input, ...renderedPostmortem(input) };
  const { incidentId: _id, createdAt: _created, publishedAt: _published, ...changes } = values;
  const [row] = await db
    .insert(postmortems)
    .values(values)
    .onConflictDoUpdate({ target: postmortems.incidentId, set: { ...changes, version: sql`${postmortems.version} + 1` } })
    .returning();
  return row!;
}

export async function markPublished(db: DbOrTx, incidentId: string, at: Date): Promise<PostmortemRow> {
  const [row] = await db.update(postmortems).set({ publishedAt: at, updatedAt: at }).where(eq(postmortems.incidentId, incidentId)).returning();
  return row!;
}

/** A public incident's published postmortem: the public pages' and feeds' one visibility rule. */
export async function findPublishedPostmortem(db: DbOrTx, incidentId: string): Promise<PostmortemRow | undefined> {
  const [row] = await db
    .select({ postmortem: postmortems })
    .from(postmortems)
    .innerJoin(incidents, eq(incidents.id, postmortems.incidentId))
    .where(and(eq(postmortems.incidentId, incidentId), isNotNull(postmortems.publishedAt), eq(incidents.draft, false)));
  return row?.postmortem;
}

/** The latest published postmortems of public incidents, for the feed. */
export function listPublishedPostmortems(db: DbOrTx, limit: number) {
  return db
    .select({ postmortem: postmortems, incident: incidents })
    .from(postmortems)
    .innerJoin(incidents, eq(incidents.id, postmortems.incidentId))
    .where(and(isNotNull(postmortems.publishedAt), eq(incidents.draft, false)))
    .orderBy(desc(postmortems.publishedAt))
    .limit(limit);
}
