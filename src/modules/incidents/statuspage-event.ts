import type { DbOrTx } from '../../db/client.js';
import type { SiteNow } from '../../core/site.js';
import { components } from '../../db/schema/index.js';
import { pageStatus, type OverallStatus } from '../../domain/status.js';
import { statuspageIncidentEvent, type WebhookPostmortem } from '../../statuspage/webhooks.js';
import { listComponents, listGroups, listIncidentStatusChanges } from '../components/index.js';
import { listPublishedUpdates, listUnresolvedIncidents, type IncidentRow } from './public.js';

/** The page's headline now: what the event's `page` block says. */
export async function currentPageStatus(tx: DbOrTx): Promise<OverallStatus> {
  const [statuses, open] = await Promise.all([tx.select({ status: components.status }).from(components), listUnresolvedIncidents(tx)]);
  return pageStatus(statuses, open);
}

/**
 * The webhook event for one public incident, read inside the transaction that announces it:
 * every published update and the status changes it made, as `/api/v2/incidents.json` shows it.
 */
export async function incidentWebhookEvent(
  tx: DbOrTx,
  args: { incident: IncidentRow; ctx: SiteNow; page?: OverallStatus; postmortem?: WebhookPostmortem | null },
) {
  const [rows, groups, updates, statusChanges, page] = await Promise.all([
    listComponents(tx),
    listGroups(tx),
    listPublishedUpdates(tx, [args.incident.id]),
    listIncidentStatusChanges(tx, [args.incident.id]),
    args.page ?? currentPageStatus(tx),
  ]);
  return statuspageIncidentEvent({
    ...args,
    page,
    data: { components: rows, groups, incidents: [args.incident], updates, statusChanges, maintenances: [], maintenanceUpdates: [], maintenanceComponents: new Map() },
    documentationUrl: `${args.ctx.publicUrl}/docs`,
  });
}
