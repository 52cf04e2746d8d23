import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidents, incidentUpdates } from '../../db/schema/index.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { groupBy } from '../../domain/group-by.js';
import { stripInvalidXmlChars } from '../../text/markdown.js';
import { updateHtml } from '../web/incident-model.js';
import { isPublicIncident, isPublishedUpdate, listPublishedUpdates } from '../../modules/incidents/index.js';
import { postmortemEntries } from './postmortem-entries.js';
import { maintenanceEntries } from './maintenance-entries.js';
import { escapeHtml } from '../../text/html.js';
import { feedText, type FeedEntry, type FeedQuery } from './feed-model.js';
import { touchesComponent } from './feed-filters.js';

/** Reads one kind of feed entry. Each returns at most `query.limit` entries, newest first. */
export type FeedSource = (db: DbOrTx, query: FeedQuery, publicUrl: string) => Promise<FeedEntry[]>;

/** One entry per published incident update: "[Identified] API errors". */
export const incidentUpdateEntries: FeedSource = async (db, query, publicUrl) => {
  const rows = await db
    .select({ update: incidentUpdates, incident: incidents })
    .from(incidentUpdates)
    .innerJoin(incidents, eq(incidents.id, incidentUpdates.incidentId))
    .where(and(isPublicIncident, isPublishedUpdate, query.componentId ? touchesComponent(query.componentId) : undefined))
    .orderBy(desc(incidentUpdates.publishedAt), desc(incidentUpdates.seq))
    .limit(query.limit);
  // An entry is about every component its incident touched, not only those this update set.
  const all = groupBy(await listPublishedUpdates(db, [...new Set(rows.map((r) => r.incident.id))]), (u) => u.incidentId);
  const { t } = feedText(query);
  return rows.map(({ update, incident }) => {
    const summary = update.summary ? `<p><strong>${escapeHtml(t('feed.summary'))}</strong> ${escapeHtml(stripInvalidXmlChars(update.summary))}</p>` : '';
    return {
      id: update.id,
      title: t('feed.incidentEntry', { status: t(`incidentStatus.${update.status}`), title: incident.title }),
      link: `${publicUrl}/incidents/${incident.id}#update-${update.id}`,
      updated: update.publishedAt ?? update.createdAt,
      contentHtml: updateHtml(update, feedText(query).lang) + summary,
      componentIds: Object.keys(latestComponentStatuses([...(all.get(incident.id) ?? [])].reverse())),
    };
  });
};

/**
 * Every source of feed entries: another kind of entry joins by adding its source here; the
 * feeds, their filter and their caching need no change.
 */
export const FEED_SOURCES: readonly FeedSource[] = [incidentUpdateEntries, postmortemEntries, maintenanceEntries];
