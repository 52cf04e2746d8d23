import { and, asc, desc, gte, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { componentStatusChanges } from '../../db/schema/index.js';
import type { ComponentStatus } from '../../domain/vocabulary.js';

export interface UptimeRows {
  /** Each component's status when the window opened (its last change before it). */
  before: Array<{ componentId: string; status: ComponentStatus }>;
  /** Every change inside the window, oldest first. */
  changes: Array<{ componentId: string; status: ComponentStatus; at: Date }>;
}

/**
 * The history the uptime bars need, for all the given components in two queries whatever
 * their number: the changes since `windowStart`, and the status each had just before it
 * (DISTINCT ON picks the latest row per component through the (component_id, changed_at) index).
 */
export async function loadUptimeRows(db: DbOrTx, componentIds: string[], windowStart: Date): Promise<UptimeRows> {
  if (componentIds.length === 0) return { before: [], changes: [] };
  const t = componentStatusChanges;
  const [before, changes] = await Promise.all([
    db
      .selectDistinctOn([t.componentId], { componentId: t.componentId, status: t.toStatus })
      .from(t)
      .where(and(inArray(t.componentId, componentIds), lt(t.changedAt, windowStart)))
      .orderBy(t.componentId, desc(t.changedAt), desc(t.id)),
    db
      .select({ componentId: t.componentId, status: t.toStatus, at: t.changedAt })
      .from(t)
      .where(and(inArray(t.componentId, componentIds), gte(t.changedAt, windowStart)))
      .orderBy(asc(t.changedAt), asc(t.id)),
  ]);
  return { before, changes };
}
