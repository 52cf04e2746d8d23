import type { Tx } from '../../db/client.js';
import { groupBy } from '../../domain/group-by.js';
import { latestComponentStatuses, statusesAfterResolution } from '../../domain/incident-lifecycle.js';
import { worstStatus } from '../../domain/status.js';
import type { ComponentStatus } from '../../domain/vocabulary.js';
import { Errors } from '../../core/errors.js';
import { type ComponentRow, changeComponentStatus, findComponentsForUpdate } from '../components/index.js';
import { componentsUnderMaintenance } from '../components/index.js';
import * as repo from './incidents.repo.js';
import { groupByIncident } from './incidents.read.js';

/**
 * Where incidents meet components: which components an update may name, the locks that keep
 * concurrent incidents from overwriting each other's statuses, and what a resolution sets.
 */

export type ComponentStatuses = Record<string, ComponentStatus>;

/** Component ids as the database writes them: a client may send a uuid in capitals. */
export function normalizeStatuses(statuses: ComponentStatuses = {}): ComponentStatuses {
  return Object.fromEntries(Object.entries(statuses).map(([id, status]) => [id.toLowerCase(), status]));
}

/**
 * Locks the components a caller names, until the transaction ends, and rejects unknown ids
 * before anything is written. Locks are taken in id order everywhere, so two writers never
 * wait on each other in a circle.
 */
export async function lockComponents(tx: Tx, ids: string[]) {
  const rows = await findComponentsForUpdate(tx, ids);
  assertKnown(ids, rows);
  return rows;
}

function assertKnown(ids: string[], rows: ComponentRow[]) {
  const unknown = ids.filter((id) => !rows.some((r) => r.id === id));
  if (unknown.length > 0) throw new Errors.invalid(`Unknown component ${unknown.join(', ')}`);
}

/**
 * The status each component should take when an incident resolves, with the components locked
 * first: a concurrent update or resolution touching the same components waits, so the other
 * incidents' claims read here are the ones that stand. Claims on components deleted since are
 * dropped: they have nothing left to set.
 */
export async function statusesForResolution(tx: Tx, incidentId: string, explicit: ComponentStatuses) {
  const claimed = Object.keys(latestComponentStatuses(await repo.listUpdates(tx, incidentId)));
  // One lock, in id order, over both sets: the explicit ids must exist, the claimed may not.
  const existing = await findComponentsForUpdate(tx, [...new Set([...claimed, ...Object.keys(explicit)])]);
  assertKnown(Object.keys(explicit), existing);
  const heldElsewhere = await openIncidentClaims(tx, incidentId);
  const affected = claimed.filter((id) => existing.some((r) => r.id === id));
  return { statuses: statusesAfterResolution(affected, heldElsewhere, explicit), locked: existing };
}

/**
 * What open public incidents, apart from `exceptIncidentId`, last set on each component they
 * touched: `{ componentId → [status per incident] }`.
 */
export async function openIncidentClaims(tx: Tx, exceptIncidentId?: string): Promise<Map<string, ComponentStatus[]>> {
  const claims = [...groupByIncident(await repo.openPublicUpdatesExcept(tx, exceptIncidentId ?? null)).values()].flatMap(
    (updates) => Object.entries(latestComponentStatuses(updates)),
  );
  return new Map(
    [...groupBy(claims, ([componentId]) => componentId)].map(([id, held]) => [id, held.map(([, status]) => status)]),
  );
}

/**
 * Sets the statuses on components already locked by this transaction, recording each change.
 * A component a maintenance under way covers stays under maintenance unless the incident
 * says worse: an incident cannot mark operational what is being worked on.
 */
export async function applyComponentStatuses(
  tx: Tx,
  locked: ComponentRow[],
  statuses: ComponentStatuses,
  incidentId: string,
  by: { at: Date; actorId: string },
) {
  const named = locked.filter((row) => statuses[row.id]).map((row) => row.id);
  const underMaintenance = await componentsUnderMaintenance(tx, named);
  for (const row of locked) {
    const claimed = statuses[row.id];
    if (!claimed) continue;
    const status = underMaintenance.has(row.id) ? worstStatus([claimed, 'under_maintenance']) : claimed;
    await changeComponentStatus(tx, row, status, { ...by, incidentId });
  }
}
