import type { Tx } from '../../../db/client.js';
import type { incidentUpdates } from '../../../db/schema/index.js';
import { lifecycleTimesProblem, type LifecycleTimes } from '../../../domain/incident-lifecycle.js';
import { Errors } from '../../../core/errors.js';
import { usableInstant } from '../../../http/usable-instant.js';
import type { ComponentRow } from '../../components/index.js';
import type { ServiceContext } from '../../context.js';
import { applyComponentStatuses, lockComponents, type ComponentStatuses } from '../incident-components.js';
import * as repo from '../incidents.repo.js';

/** The steps the incident verbs share before their common ending (`finish`). */

/** An optional time of the input: null clears it, undefined leaves it as it is. */
export const optionalInstant = (value: string | null | undefined) =>
  value === null || value === undefined ? value : usableInstant(value);

export async function loadForUpdate(tx: Tx, id: string): Promise<repo.IncidentRow> {
  const incident = await repo.findIncident(tx, id, { lock: true });
  if (!incident) throw new Errors.notFound('Incident', id);
  return incident;
}

/**
 * Appends an update to an incident, rejecting unknown components (the verb's transaction then
 * writes nothing). It is public at once, and its component statuses take effect, unless the
 * incident is a draft: then both wait for publication.
 */
export async function postUpdate(
  tx: Tx,
  incident: repo.IncidentRow,
  ctx: ServiceContext,
  now: Date,
  update: Pick<typeof incidentUpdates.$inferInsert, 'status' | 'body' | 'kind' | 'summary'> & {
    componentStatuses: ComponentStatuses;
    notify?: boolean;
    /** The message in other languages, by language. */
    messages?: Partial<Record<string, string>>;
  },
  /** The components, when the caller has locked them already. */
  locked?: ComponentRow[],
) {
  locked ??= await lockComponents(tx, Object.keys(update.componentStatuses));
  await repo.insertUpdate(tx, {
    ...update,
    incidentId: incident.id,
    notify: update.notify ?? true,
    authorId: ctx.actor.id,
    createdAt: now,
    publishedAt: incident.draft ? null : now,
  });
  if (!incident.draft) await applyComponentStatuses(tx, locked, update.componentStatuses, incident.id, { at: now, actorId: ctx.actor.id });
}

/**
 * With `expected` (the version an `If-Match` ETag or a console form carried), refuses a write
 * based on a stale read: the caller must see what changed before overwriting it.
 */
export function assertVersion(incident: repo.IncidentRow, expected: number | null) {
  if (expected !== null && expected !== incident.version) {
    throw new Errors.preconditionFailed(`The incident changed since you read it (version ${incident.version}); reload and retry`);
  }
}

/** Checks the lifecycle times of any object carrying them (an incident row, say), and only those. */
export function assertLifecycle(times: LifecycleTimes, now: Date) {
  const { startedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt } = times;
  const problem = lifecycleTimesProblem({ startedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt }, now);
  if (problem) throw new Errors.invalid(problem);
}
