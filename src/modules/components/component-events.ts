import { and, asc, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listUnresolvedIncidents } from '../../db/public-visibility.js';
import { components, componentStatusChanges } from '../../db/schema/index.js';
import type { Site } from '../../core/site.js';
import { pageStatus, type OverallStatus } from '../../domain/status.js';
import { COMPONENT_UPDATE } from '../../domain/notification-vocabulary.js';
import { enqueueWebhookEvent } from '../../notifications/outbox.js';
import { statuspageComponentEvent } from '../../statuspage/webhooks.js';

/** The page's headline now, as this transaction sees it: what an event's `page` block says. */
export async function currentPageStatus(tx: DbOrTx): Promise<OverallStatus> {
  const [statuses, open] = await Promise.all([tx.select({ status: components.status }).from(components), listUnresolvedIncidents(tx)]);
  return pageStatus(statuses, open);
}

/** What made a set of status changes: an incident's update, a maintenance's step, or a component's own edit. */
export type ChangeCause = { incidentId: string } | { maintenanceId: string } | { componentId: string };

const c = componentStatusChanges;

function madeBy(cause: ChangeCause): SQL {
  if ('incidentId' in cause) return eq(c.incidentId, cause.incidentId);
  if ('maintenanceId' in cause) return eq(c.maintenanceId, cause.maintenanceId);
  return and(eq(c.componentId, cause.componentId), isNull(c.incidentId), isNull(c.maintenanceId))!;
}

/**
 * Queues Statuspage's `component_update` webhook event for each status change `cause` made at
 * `at`, in the transaction that made them and after all of them, so each event's `page` block
 * is the headline they leave together. Read back from the change history, so only components
 * whose status really changed are announced, once each (the change's id is the dedupe key).
 * A receiver narrowed to components hears only of its own.
 */
export async function announceStatusChanges(tx: DbOrTx, site: Site, at: Date, cause: ChangeCause): Promise<number> {
  const changes = await tx
    .select({ id: c.id, componentId: c.componentId, fromStatus: c.fromStatus, toStatus: c.toStatus })
    .from(c)
    // A null fromStatus is a component's first row (its creation), not a change.
    .where(and(madeBy(cause), eq(c.changedAt, at), isNotNull(c.fromStatus)))
    .orderBy(asc(c.id));
  if (changes.length === 0) return 0;
  const [rows, page] = await Promise.all([
    tx.select().from(components).where(inArray(components.id, [...new Set(changes.map((ch) => ch.componentId))])),
    currentPageStatus(tx),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ctx = { ...site, now: at };
  for (const change of changes) {
    const component = byId.get(change.componentId);
    if (!component) continue;
    const webhook = statuspageComponentEvent({
      component,
      change: { id: String(change.id), oldStatus: change.fromStatus!, newStatus: change.toStatus, at },
      ctx,
      page,
    });
    await enqueueWebhookEvent(tx, { kind: COMPONENT_UPDATE, componentIds: [component.id], webhook, dedupeKey: `component-update:${change.id}` }, at);
  }
  return changes.length;
}
