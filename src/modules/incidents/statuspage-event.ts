import type { DbOrTx } from '../../db/client.js';
import type { SiteNow } from '../../core/site.js';
import type { OverallStatus } from '../../domain/status.js';
import { statuspageIncidentEvent, type WebhookPostmortem } from '../../statuspage/webhooks.js';
import { currentPageStatus, listComponents, listGroups, listIncidentStatusChanges } from '../components/index.js';
import { postmortemPublishedAt } from './postmortem-state.repo.js';
import { listPublishedUpdates, type IncidentRow } from './public.js';

export { currentPageStatus };

/**
 * The webhook event for one public incident, read inside the transaction that announces it:
 * every published update and the status changes it made, as `/api/v2/incidents.json` shows it.
 */
export async function incidentWebhookEvent(
  tx: DbOrTx,
  args: { incident: IncidentRow; ctx: SiteNow; page?: OverallStatus; postmortem?: WebhookPostmortem | null },
) {
  const [rows, groups, updates, statusChanges, page, postmortems] = await Promise.all([
    listComponents(tx),
    listGroups(tx),
    listPublishedUpdates(tx, [args.incident.id]),
    listIncidentStatusChanges(tx, [args.incident.id]),
    args.page ?? currentPageStatus(tx),
    postmortemPublishedAt(tx, [args.incident.id]),
  ]);
  return statuspageIncidentEvent({
    ...args,
    page,
    data: { components: rows, groups, incidents: [args.incident], updates, statusChanges, maintenances: [], maintenanceUpdates: [], maintenanceComponents: new Map(), postmortemsPublished: new Set(postmortems.keys()) },
  });
}
