import type { Tx } from '../../../db/client.js';
import { recordAudit, type AuditEntry } from '../../audit/index.js';
import type { ServiceContext } from '../../context.js';
import { notifyLatestIncidentUpdate } from '../incident-notifier.js';
import type { IncidentRow } from '../incidents.repo.js';
import { detail } from '../incidents.read.js';
import type { IncidentDetailView } from '../incidents.schemas.js';

/**
 * How every incident write ends, inside its transaction, so none of them forgets a step: the
 * audit row, then subscribers hear of the incident's latest public update, then the incident
 * as the admin API returns it. A verb that posts no update (a clock stamp, a correction) has
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
  return detail(tx, incident, now, ctx.targets);
}
