import type { Tx } from '../../db/client.js';
import {
  checkMaintenanceTransition,
  isUnderWay,
  statusAfterMaintenance,
  statusDuringMaintenance,
} from '../../domain/maintenance-window.js';
import type { ComponentStatus, MaintenanceStatus } from '../../domain/vocabulary.js';
import { Errors } from '../../core/errors.js';
import { changeComponentStatus, componentsUnderMaintenance, findComponentsForUpdate } from '../components/index.js';
import { openIncidentClaims } from '../incidents/index.js';
import * as repo from './maintenance.repo.js';
import type { Site } from '../../core/site.js';
import { announceMaintenance } from './maintenance-announcement.js';

/**
 * One step of a maintenance's lifecycle, shared by the admin API and the scheduler, inside the
 * caller's transaction with the maintenance row already locked.
 */

export interface TransitionContext {
  at: Date;
  /** Null when the scheduler acts. */
  actorId: string | null;
  message?: string;
  /** Names and links for the subscribers' announcements. */
  site: Site;
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
  m: repo.MaintenanceRow,
  to: MaintenanceStatus,
  ctx: TransitionContext,
): Promise<repo.MaintenanceRow> {
  const check = checkMaintenanceTransition(m.status, to);
  if (!check.ok) throw new Errors.conflict(check.reason);
  if (to === m.status) return m;
  const componentIds = (await repo.componentIdsOf(tx, [m.id])).get(m.id)!;
  if (!isUnderWay(m.status) && isUnderWay(to)) {
    await setStatuses(tx, m.id, componentIds, ctx, async (claims) => (id) => statusDuringMaintenance(claims.get(id) ?? []));
  }
  if (isUnderWay(m.status) && to === 'completed') {
    await setStatuses(tx, m.id, componentIds, ctx, async (claims) => {
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
      startedAt: m.startedAt ?? (isUnderWay(to) ? ctx.at : null),
      verifyingAt: m.verifyingAt ?? (to === 'verifying' ? ctx.at : null),
      completedAt: to === 'completed' ? ctx.at : null,
    },
    ctx.at,
  );
  await repo.insertUpdate(tx, {
    maintenanceId: m.id,
    status: to,
    body: ctx.message ?? DEFAULT_MESSAGES[to],
    authorId: ctx.actorId,
    createdAt: ctx.at,
  });
  // Subscribers hear of the start and the end (not of verifying), in this same transaction,
  // with the update just written as the message (see maintenance-notifications.ts).
  if (!isUnderWay(m.status) && isUnderWay(to)) await announceMaintenance(tx, m.id, 'maintenance.started', ctx.site, ctx.at);
  if (to === 'completed') await announceMaintenance(tx, m.id, 'maintenance.completed', ctx.site, ctx.at);
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
  ctx: TransitionContext,
  decide: (claims: Map<string, ComponentStatus[]>) => Promise<(id: string) => ComponentStatus>,
) {
  const locked = await findComponentsForUpdate(tx, componentIds);
  const statusOf = await decide(await openIncidentClaims(tx));
  for (const row of locked) {
    await changeComponentStatus(tx, row, statusOf(row.id), { at: ctx.at, actorId: ctx.actorId, maintenanceId });
  }
}
