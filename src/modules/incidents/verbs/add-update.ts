import { checkUpdateTransition } from '../../../domain/incident-lifecycle.js';
import { Errors } from '../../../core/errors.js';
import type { ServiceContext } from '../../context.js';
import { normalizeStatuses } from '../incident-components.js';
import * as repo from '../incidents.repo.js';
import type { AddUpdateInput, IncidentDetailView } from '../incidents.schemas.js';
import { finish } from './finish.js';
import { assertVersion, loadForUpdate, postUpdate } from './steps.js';

/** A new update on an open incident: its status may only move forward. */
export async function addUpdate(ctx: ServiceContext, id: string, input: AddUpdateInput, expectedVersion: number | null = null): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    assertVersion(incident, expectedVersion);
    const transition = checkUpdateTransition(incident.status, input.status);
    if (!transition.ok) throw new Errors.conflict(transition.reason);
    await postUpdate(tx, incident, ctx, now, {
      status: input.status,
      body: input.message,
      messages: input.messages,
      componentStatuses: normalizeStatuses(input.componentStatuses),
      notify: input.notify,
    });
    const updated = await repo.updateIncident(
      tx,
      id,
      {
        status: input.status,
        // User impact stops, by definition, when the fix is being monitored.
        mitigatedAt: incident.mitigatedAt ?? (input.status === 'monitoring' ? now : null),
      },
      now,
    );
    return finish(tx, ctx, now, id, updated, { action: 'incident.update', after: input });
  });
}
