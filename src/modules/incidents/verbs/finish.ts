import type { Tx } from '../../../db/client.js';
import { recordAudit, type AuditEntry } from '../../audit/index.js';
import { announceStatusChanges } from '../../components/index.js';
import type { ServiceContext } from '../../context.js';
import { notifyLatestIncidentUpdate } from '../incident-notifier.js';
import type { IncidentRow } from '../incidents.repo.js';
import { detail } from '../incidents.read.js';
import type { IncidentDetailView } from '../incidents.schemas.js';

/**
 * How every incident write ends, inside its transaction, so none of them forgets a step: the
 * audit row, then subscribers hear of the incident's latest public update and webhooks of the
 * component statuses it changed, then the incident as the admin API returns it. A verb that posts no update (a clock stamp, a correction) has
 * nothing to announce and says `announce: false`.
 */
export async function finish(
  tx: Tx,
  ctx: ServiceContext,
  now: Date,
  /** The incident's id as the caller named it: the audit row keeps it as given. */
  id: string,
  incident: IncidentRow,
  audit: Omit<AuditEntry, 'targetType' | 'targetId'>,
  { announce = true }: { announce?: boolean } = {},
): Promise<IncidentDetailView> {
  await recordAudit(tx, ctx.actor, { ...audit, targetType: 'incident', targetId: id }, now);
  if (announce) await notifyLatestIncidentUpdate(tx, id, now, ctx.site);
  // Whatever the update's `notify`: a component's status changed on the page, and Statuspage's
  // `component_update` says so to webhook subscribers (once every status this verb set is set).
  await announceStatusChanges(tx, ctx.site, now, { incidentId: id });
  return detail(tx, incident, now, ctx.targets);
}
