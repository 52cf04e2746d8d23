import type { ServiceContext } from '../../context.js';
import { normalizeStatuses } from '../incident-components.js';
import * as repo from '../incidents.repo.js';
import type { CreateIncidentInput, IncidentDetailView } from '../incidents.schemas.js';
import { finish } from './finish.js';
import { assertLifecycle, optionalInstant, postUpdate } from './steps.js';

/**
 * Opens an incident and, unless it is a draft, publishes its first update in the same
 * transaction: when the call returns, the page and the feed can show it.
 */
export async function createIncident(ctx: ServiceContext, input: CreateIncidentInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  const detectedAt = optionalInstant(input.detectedAt) ?? now;
  const startedAt = optionalInstant(input.startedAt) ?? detectedAt;
  const draft = input.draft ?? false;
  const statuses = normalizeStatuses(input.componentStatuses);
  const times = { startedAt, detectedAt, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null };
  assertLifecycle(times, now);
  return ctx.db.transaction(async (tx) => {
    const incident = await repo.insertIncident(tx, {
      title: input.title,
      severity: input.severity,
      impactOverride: input.impactOverride ?? null,
      status: input.status,
      draft,
      ...times,
      mitigatedAt: input.status === 'monitoring' ? now : null,
      createdBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await postUpdate(tx, incident, ctx, now, {
      status: input.status,
      body: input.message,
      messages: input.messages,
      componentStatuses: statuses,
      notify: input.notify,
    });
    return finish(tx, ctx, now, incident.id, incident, { action: 'incident.create', after: input });
  });
}
