import { Errors } from '../../../core/errors.js';
import type { ServiceContext } from '../../context.js';
import * as repo from '../incidents.repo.js';
import { detail } from '../incidents.read.js';
import type { IncidentDetailView } from '../incidents.schemas.js';
import { finish } from './finish.js';
import { loadForUpdate } from './steps.js';

/** Stamps a lifecycle time once; repeating the call keeps the first stamp. */
async function stamp(ctx: ServiceContext, id: string, field: 'acknowledgedAt' | 'mitigatedAt'): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    if (incident[field]) return detail(tx, incident, now, ctx.targets);
    if (incident.resolvedAt) throw new Errors.conflict('The incident is resolved');
    const updated = await repo.updateIncident(tx, id, { [field]: now }, now);
    const action = `incident.${field === 'acknowledgedAt' ? 'acknowledge' : 'mitigate'}`;
    return finish(tx, ctx, now, id, updated, { action }, { announce: false });
  });
}

export const acknowledgeIncident = (ctx: ServiceContext, id: string) => stamp(ctx, id, 'acknowledgedAt');
export const mitigateIncident = (ctx: ServiceContext, id: string) => stamp(ctx, id, 'mitigatedAt');
