import { and, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { selectsNothing, type IdsOrQuery } from '../../db/ids.js';
import { postmortems } from '../../db/schema/index.js';

/**
 * When each listed incident's postmortem was published (absent: not published). The incident
 * views show it, and the postmortems module builds on incidents, so this one read lives here.
 */
export async function postmortemPublishedAt(db: DbOrTx, incidentIds: IdsOrQuery): Promise<Map<string, Date>> {
  if (selectsNothing(incidentIds)) return new Map();
  const rows = await db
    .select({ incidentId: postmortems.incidentId, publishedAt: postmortems.publishedAt })
    .from(postmortems)
    .where(and(inArray(postmortems.incidentId, incidentIds), isNotNull(postmortems.publishedAt)));
  return new Map(rows.map((r) => [r.incidentId, r.publishedAt!]));
}
