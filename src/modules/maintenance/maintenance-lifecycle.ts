import type { Tx } from '../../db/client.js';
import {
  checkMaintenanceTransition,
  isUnderWay,
  statusAfterMaintenance,
  statusDuringMaintenance,
} from '../../domain/maintenance-window.js';
import { pageStatus } from '../../domain/status.js';
import type { ComponentStatus, MaintenanceStatus } from '../../domain/vocabulary.js';
import { Errors } from '../../core/errors.js';
import type { Site } from '../../core/site.js';
import { buildMaintenanceNotification, type MaintenanceEvent } from '../../notifications/messages/maintenance.js';
import { enqueueNotification } from '../../notifications/outbox.js';
import { announceStatusChanges, changeComponentStatus, componentsUnderMaintenance, findComponentsForUpdate, listComponents } from '../components/index.js';
import { listUnresolvedIncidents, openIncidentClaims } from '../incidents/index.js';
import * as repo from './maintenance.repo.js';

/**
 * A maintenance's lifecycle, shared by the admin API and the scheduler: its steps and the
 * announcements they send, inside the caller's transaction with the maintenance row already
 * locked.
 */

/** Who takes a step, and when. */
export interface MaintenanceStep {
  at: Date;
  /** Null when the scheduler acts. */
  actorId: string | null;
  message?: string;
}

/** Statuspage's standard sentences, for a step taken without a message (the scheduler's). */
export const DEFAULT_MESSAGES: Record<MaintenanceStatus, string> = {
  scheduled: 'Maintenance has been scheduled.',
  in_progress: 'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
  verifying: 'Verification is currently underway for the maintenance items.',
  completed: 'The scheduled maintenance has been completed.',
};

export async function transitionMaintenance(
  tx: Tx,
  site: Site,
  m: repo.MaintenanceRow,
  to: MaintenanceStatus,
  step: MaintenanceStep,
): Promise<repo.MaintenanceRow> {
  const check = checkMaintenanceTransition(m.status, to);
  if (!check.ok) throw new Errors.conflict(check.reason);
  if (to === m.status) return m;
  const componentIds = (await repo.componentIdsOf(tx, [m.id])).get(m.id)!;
  if (!isUnderWay(m.status) && isUnderWay(to)) {
    await setStatuses(tx, m.id, componentIds, step, async (claims) => (id) => statusDuringMaintenance(claims.get(id) ?? []));
  }
  if (isUnderWay(m.status) && to === 'completed') {
    await setStatuses(tx, m.id, componentIds, step, async (claims) => {
      // Read after the component locks: an overlapping maintenance completing at the same moment
      // has committed by then, so the two cannot each leave the component to the other.
      const others = await componentsUnderMaintenance(tx, componentIds, m.id);
      return (id) => statusAfterMaintenance(claims.get(id) ?? [], others.has(id));
    });
  }
  const updated = await repo.updateMaintenance(
    tx,
    m.id,
    {
      status: to,
      startedAt: m.startedAt ?? (isUnderWay(to) ? step.at : null),
      verifyingAt: m.verifyingAt ?? (to === 'verifying' ? step.at : null),
      completedAt: to === 'completed' ? step.at : null,
    },
    step.at,
  );
  await repo.insertUpdate(tx, {
    maintenanceId: m.id,
    status: to,
    body: step.message ?? DEFAULT_MESSAGES[to],
    authorId: step.actorId,
    createdAt: step.at,
  });
  // Subscribers hear of the start and the end (not of verifying), in this same transaction,
  // with the update just written as the message; webhooks also of each component it moved.
  if (!isUnderWay(m.status) && isUnderWay(to)) await announceMaintenance(tx, site, m.id, 'maintenance.started', step.at);
  if (to === 'completed') await announceMaintenance(tx, site, m.id, 'maintenance.completed', step.at);
  await announceStatusChanges(tx, site, step.at, { maintenanceId: m.id });
  return updated;
}

/**
 * Locks the components (in id order, as every writer does), then reads what open incidents claim
 * on them, and sets each to the status `decide` gives, recording the change as the maintenance's.
 */
async function setStatuses(
  tx: Tx,
  maintenanceId: string,
  componentIds: string[],
  step: MaintenanceStep,
  decide: (claims: Map<string, ComponentStatus[]>) => Promise<(id: string) => ComponentStatus>,
) {
  const locked = await findComponentsForUpdate(tx, componentIds);
  const statusOf = await decide(await openIncidentClaims(tx));
  for (const row of locked) {
    await changeComponentStatus(tx, row, statusOf(row.id), { at: step.at, actorId: step.actorId, maintenanceId });
  }
}

/**
 * Queues the subscribers' mail and webhooks for a maintenance event, in the transaction that
 * made the change: the announcement exists exactly when the change does. Each event of a
 * maintenance goes out once (its dedupe key), however many processes race to it.
 */
export async function announceMaintenance(tx: Tx, site: Site, maintenanceId: string, event: MaintenanceEvent, at: Date): Promise<void> {
  const maintenance = await repo.findMaintenance(tx, maintenanceId);
  if (!maintenance) return;
  const componentIds = (await repo.componentIdsOf(tx, [maintenanceId])).get(maintenanceId) ?? [];
  const [all, updates, open] = await Promise.all([listComponents(tx), repo.listUpdates(tx, [maintenanceId]), listUnresolvedIncidents(tx)]);
  const covered = new Set(componentIds);
  const notification = buildMaintenanceNotification(
    {
      event,
      maintenance,
      components: all.filter((c) => covered.has(c.id)),
      updates,
      status: pageStatus(all, open),
    },
    site,
    at,
  );
  await enqueueNotification(
    tx,
    {
      kind: event,
      maintenanceId,
      componentIds: notification.componentIds,
      mail: { subject: notification.subject, text: notification.text, html: notification.html },
      localizedMails: notification.localizedMails,
      webhook: notification.webhook,
      dedupeKey: `${event}:${maintenanceId}`,
    },
    at,
  );
}
