import { desc, eq, inArray } from 'drizzle-orm';
import { maintenanceComponents, maintenances, maintenanceUpdates } from '../../db/schema/index.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { escapeHtml } from '../../text/html.js';
import type { FeedSource } from './feed-sources.js';
import { feedText } from './feed-model.js';
import { componentIdsOf } from '../../modules/maintenance/index.js';

/**
 * One entry per maintenance update (scheduled, started, verifying, completed): each is news to
 * a reader. Maintenance is never a draft, so every row is public. Feeds have no display zone, so
 * the window is written in UTC.
 */
export const maintenanceEntries: FeedSource = async (db, query, publicUrl) => {
  const covering = query.componentId
    ? inArray(
        maintenanceUpdates.maintenanceId,
        db.select({ id: maintenanceComponents.maintenanceId }).from(maintenanceComponents).where(eq(maintenanceComponents.componentId, query.componentId)),
      )
    : undefined;
  const rows = await db
    .select({ update: maintenanceUpdates, maintenance: maintenances })
    .from(maintenanceUpdates)
    .innerJoin(maintenances, eq(maintenances.id, maintenanceUpdates.maintenanceId))
    .where(covering)
    .orderBy(desc(maintenanceUpdates.createdAt), desc(maintenanceUpdates.seq))
    .limit(query.limit);
  const componentIds = await componentIdsOf(db, [...new Set(rows.map((r) => r.maintenance.id))]);
  const i18n = feedText(query);
  const { t } = i18n;
  return rows.map(({ update, maintenance }) => ({
    id: update.id,
    title: t('feed.maintenanceEntry', { status: t(`maintenanceStatus.${update.status}`), title: maintenance.title }),
    link: `${publicUrl}/maintenances/${maintenance.id}#update-${update.id}`,
    updated: update.createdAt,
    contentHtml: `<p><strong>${escapeHtml(t('feed.window'))}</strong> ${escapeHtml(i18n.window(maintenance, 'UTC'))}</p>` + storedMarkdownHtml({ id: update.id, source: update.body, html: update.bodyHtml }),
    componentIds: componentIds.get(maintenance.id) ?? [],
  }));
};
