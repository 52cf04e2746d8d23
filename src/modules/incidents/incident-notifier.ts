import { asc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { components } from '../../db/schema/index.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { inPageOrder } from '../../domain/page-order.js';
import { listGroups } from '../components/index.js';
import { impactOf } from '../../domain/status.js';
import type { IncidentUpdateRow } from './incidents.repo.js';
import { findPublicIncident, listPublishedUpdatesInOrder } from './public.js';
import { buildIncidentNotification } from '../../notifications/messages/incident-update.js';
import type { Site } from '../../core/site.js';
import { enqueueNotification } from '../../notifications/outbox.js';
import { currentPageStatus, incidentWebhookEvent } from './statuspage-event.js';

/** `incident.created` for the publication (a draft's updates are all published at once), then updates, then the resolution. */
function eventKind(update: IncidentUpdateRow, first: IncidentUpdateRow): string {
  if (update.kind === 'resolution') return 'incident.resolved';
  return update.publishedAt!.getTime() === first.publishedAt!.getTime() ? 'incident.created' : 'incident.update';
}

/**
 * Announces an incident's latest public update to subscribers, inside the transaction that
 * published it. Called once per verb: on creation, on a draft's publication (one mail for the
 * publication, not one per held-back update), for each later update and for the resolution.
 * An update posted with `notify: false`, or one still held in a draft, announces nothing.
 */
export async function notifyLatestIncidentUpdate(tx: DbOrTx, incidentId: string, now: Date, site: Site): Promise<void> {
  const incident = await findPublicIncident(tx, incidentId);
  if (!incident) return;
  const published = await listPublishedUpdatesInOrder(tx, incidentId);
  const update = published.at(-1);
  if (!update || !update.notify) return;

  const claims = latestComponentStatuses(published);
  const claimed = Object.keys(claims);
  // Listed in the order the page lists them.
  const rows =
    claimed.length > 0
      ? await tx
          .select({ id: components.id, name: components.name, groupId: components.groupId })
          .from(components)
          .where(inArray(components.id, claimed))
          .orderBy(asc(components.position), asc(components.name))
      : [];
  const groups = rows.length > 0 ? await listGroups(tx) : [];
  const affected = inPageOrder(rows, groups).map((row) => ({ id: row.id, name: row.name, status: claims[row.id]! }));

  // The page's headline as the webhook's `page.status_indicator`, as Statuspage sends it.
  const page = await currentPageStatus(tx);

  const notification = buildIncidentNotification({
    site,
    page,
    incident: { ...incident, impact: impactOf(incident.severity, incident.impactOverride) },
    update: { ...update, publishedAt: update.publishedAt! },
    components: affected,
    kind: eventKind(update, published[0]!),
    webhook: await incidentWebhookEvent(tx, { incident, page, ctx: { ...site, now } }),
  });
  await enqueueNotification(tx, { ...notification, dedupeKey: `incident-update:${update.id}` }, now);
}
