import { Errors } from '../../../core/errors.js';
import type { ServiceContext } from '../../context.js';
import { findUserById } from '../../users/index.js';
import * as repo from '../incidents.repo.js';
import type { IncidentDetailView, PatchIncidentInput } from '../incidents.schemas.js';
import { finish } from './finish.js';
import { assertLifecycle, assertVersion, loadForUpdate, optionalInstant } from './steps.js';

/**
 * Corrects an incident's fields, roles and lifecycle times. With `expectedVersion` (the
 * `If-Match` ETag), a write based on a stale read is refused.
 */
export async function patchIncident(
  ctx: ServiceContext,
  id: string,
  input: PatchIncidentInput,
  expectedVersion: number | null,
): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    assertVersion(incident, expectedVersion);
    if (input.resolvedAt && !incident.resolvedAt) {
      throw new Errors.invalid('resolvedAt can only correct a resolved incident; resolve it with POST …/resolve');
    }
    if (incident.resolvedAt && input.mitigatedAt === null) {
      throw new Errors.invalid('A resolved incident was mitigated: mitigatedAt can be corrected, not removed');
    }
    const severity = input.severity ?? incident.severity;
    const postmortemDue = input.postmortemDueAt === undefined ? incident.postmortemDueAt : input.postmortemDueAt;
    if (incident.resolvedAt && severity !== 'P3' && postmortemDue === null) {
      throw new Errors.invalid(`A resolved ${severity} incident needs a postmortemDueAt`);
    }
    const roles = input.roles ?? {};
    for (const userId of Object.values(roles)) {
      if (userId && !(await findUserById(tx, userId))) throw new Errors.invalid(`Unknown user ${userId}`);
    }
    const changes = {
      title: input.title,
      severity: input.severity,
      impactOverride: input.impactOverride,
      commanderId: roles.commander,
      techLeadId: roles.techLead,
      commsLeadId: roles.commsLead,
      scribeId: roles.scribe,
      startedAt: optionalInstant(input.startedAt),
      detectedAt: optionalInstant(input.detectedAt),
      acknowledgedAt: optionalInstant(input.acknowledgedAt),
      mitigatedAt: optionalInstant(input.mitigatedAt),
      resolvedAt: optionalInstant(input.resolvedAt),
      postmortemDueAt: optionalInstant(input.postmortemDueAt),
    };
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    assertLifecycle({ ...incident, ...defined }, now);
    const updated = await repo.updateIncident(tx, id, defined, now);
    return finish(tx, ctx, now, id, updated, { action: 'incident.patch', before: incident, after: defined }, { announce: false });
  });
}
