import { checkUpdateTransition, latestComponentStatuses } from '../../../domain/incident-lifecycle.js';
import { Errors } from '../../../core/errors.js';
import { findComponentsForUpdate } from '../../components/index.js';
import type { ServiceContext } from '../../context.js';
import { applyComponentStatuses, normalizeStatuses } from '../incident-components.js';
import * as repo from '../incidents.repo.js';
import type { IncidentDetailView, PublishInput } from '../incidents.schemas.js';
import { finish } from './finish.js';
import { loadForUpdate, postUpdate } from './steps.js';

/**
 * Makes a draft public: its held-back updates are published at once, with a last one if the
 * caller writes it, and their component statuses take effect.
 */
export async function publishIncident(ctx: ServiceContext, id: string, input: PublishInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    if (!incident.draft) throw new Errors.conflict('The incident is already public');
    const pending = await repo.listUpdates(tx, id);
    if (pending.length === 0 && !input.message) {
      throw new Errors.invalid('This draft has no update yet: publish it with a message');
    }
    const status = input.status ?? incident.status;
    if (input.message) {
      const transition = checkUpdateTransition(incident.status, status);
      if (!transition.ok) throw new Errors.conflict(transition.reason);
      // Still a draft here: the update waits with the others and goes out with them below.
      const componentStatuses = normalizeStatuses(input.componentStatuses);
      await postUpdate(tx, incident, ctx, now, { status, body: input.message, componentStatuses, notify: input.notify });
    } else if (input.status || input.componentStatuses) {
      throw new Errors.invalid('status and componentStatuses come with a message');
    }
    await repo.publishPendingUpdates(tx, id, now);
    if (!incident.resolvedAt) {
      // Claims on components deleted while this was a draft have nothing left to set.
      const claims = latestComponentStatuses(await repo.listUpdates(tx, id));
      const existing = await findComponentsForUpdate(tx, Object.keys(claims));
      await applyComponentStatuses(tx, existing, claims, id, { at: now, actorId: ctx.actor.id });
    }
    const updated = await repo.updateIncident(
      tx,
      id,
      { draft: false, status, mitigatedAt: incident.mitigatedAt ?? (status === 'monitoring' ? now : null) },
      now,
    );
    return finish(tx, ctx, now, id, updated, { action: 'incident.publish', after: input });
  });
}
