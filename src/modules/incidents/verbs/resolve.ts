import { Errors } from '../../../core/errors.js';
import type { ServiceContext } from '../../context.js';
import { normalizeStatuses, statusesForResolution } from '../incident-components.js';
import * as repo from '../incidents.repo.js';
import type { IncidentDetailView, ResolveInput } from '../incidents.schemas.js';
import { finish } from './finish.js';
import { assertVersion, loadForUpdate, optionalInstant, postUpdate } from './steps.js';

/**
 * The resolution announcement. Every component the incident touched goes back to operational,
 * unless the caller says otherwise or another open incident still holds it.
 */
export async function resolveIncident(ctx: ServiceContext, id: string, input: ResolveInput, expectedVersion: number | null = null): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    assertVersion(incident, expectedVersion);
    if (incident.resolvedAt) throw new Errors.conflict('The incident is already resolved');
    if (incident.severity !== 'P3' && !input.postmortemDueAt) {
      throw new Errors.invalid(`A ${incident.severity} incident needs postmortemDueAt when it is resolved`);
    }
    const { statuses, locked } = await statusesForResolution(tx, id, normalizeStatuses(input.componentStatuses));
    await postUpdate(
      tx,
      incident,
      ctx,
      now,
      { status: 'resolved', kind: 'resolution', body: input.message, messages: input.messages, summary: input.summary, componentStatuses: statuses, notify: input.notify },
      locked,
    );
    const updated = await repo.updateIncident(
      tx,
      id,
      {
        status: 'resolved',
        resolvedAt: now,
        mitigatedAt: incident.mitigatedAt ?? now,
        postmortemDueAt: optionalInstant(input.postmortemDueAt) ?? null,
      },
      now,
    );
    return finish(tx, ctx, now, id, updated, { action: 'incident.resolve', after: input });
  });
}
