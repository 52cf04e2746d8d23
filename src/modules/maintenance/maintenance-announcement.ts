import type { Tx } from '../../db/client.js';
import { impactOf, overallStatus } from '../../domain/status.js';
import { listComponents } from '../components/index.js';
import type { Site } from '../../core/site.js';
import { enqueueNotification } from '../../notifications/outbox.js';
import { listUnresolvedIncidents } from '../incidents/index.js';
import { buildMaintenanceNotification, type MaintenanceEvent } from '../../notifications/messages/maintenance.js';
import * as repo from './maintenance.repo.js';

/**
 * Queues the subscribers' mail and webhooks for a maintenance event, in the transaction that
 * made the change: the announcement exists exactly when the change does. Each event of a
 * maintenance goes out once (its dedupe key), however many processes race to it.
 */
export async function announceMaintenance(tx: Tx, maintenanceId: string, event: MaintenanceEvent, site: Site, now: Date): Promise<void> {
  const maintenance = await repo.findMaintenance(tx, maintenanceId);
  if (!maintenance) return;
  const componentIds = (await repo.componentIdsOf(tx, [maintenanceId])).get(maintenanceId) ?? [];
  const [all, updates, open] = await Promise.all([
    listComponents(tx),
    repo.listUpdates(tx, [maintenanceId]),
    listUnresolvedIncidents(tx),
  ]);
  const covered = new Set(componentIds);
  const notification = buildMaintenanceNotification(
    {
      event,
      maintenance,
      components: all.filter((c) => covered.has(c.id)),
      updates,
      status: overallStatus(
        all.map((c) => c.status),
        open.map((i) => impactOf(i.severity, i.impactOverride)),
      ),
    },
    { ...site, now },
  );
  await enqueueNotification(
    tx,
    {
      kind: event,
      maintenanceId,
      componentIds: notification.componentIds,
      mail: { subject: notification.subject, text: notification.text, html: notification.html },
      webhook: notification.webhook,
      dedupeKey: `${event}:${maintenanceId}`,
    },
    now,
  );
}
