import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { incidents, incidentUpdates } from './schema/index.js';

/**
 * The one visibility rule for every public path: an incident is public once it is not a
 * draft, and an update once it has been published. Nothing else decides it.
 */
export const isPublicIncident = eq(incidents.draft, false);
export const isPublishedUpdate = isNotNull(incidentUpdates.publishedAt);

/** Unresolved public incidents: what the overall status weighs besides the components. */
export function listUnresolvedIncidents(db: DbOrTx) {
  return db.select().from(incidents).where(and(isPublicIncident, isNull(incidents.resolvedAt)));
}
