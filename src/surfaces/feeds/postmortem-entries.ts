import { createHash } from 'node:crypto';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { incidents, postmortems } from '../../db/schema/index.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { touchesComponent } from './feed-filters.js';
import type { FeedSource } from './feed-sources.js';
import { feedText } from './feed-model.js';
import { isPublicIncident, listPublishedUpdates } from '../../modules/incidents/index.js';
import { postmortemBody } from '../../modules/postmortems/index.js';

/**
 * A stable UUID for "the postmortem of incident X": feed entry ids are UUIDs (RSS guid, Atom
 * `urn:uuid:`), and a postmortem has none of its own, its key being the incident's.
 */
export function postmortemEntryId(incidentId: string): string {
  const hex = createHash('sha1').update(`postmortem:${incidentId}`).digest('hex');
  // Shaped as a name-based (version 5) UUID with the RFC 4122 variant.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One entry per published postmortem of a public incident, dated by its first publication so edits do not re-announce it. */
export const postmortemEntries: FeedSource = async (db, query, publicUrl) => {
  const rows = await db
    .select({ postmortem: postmortems, incident: { id: incidents.id, title: incidents.title } })
    .from(postmortems)
    .innerJoin(incidents, eq(incidents.id, postmortems.incidentId))
    .where(and(isNotNull(postmortems.publishedAt), isPublicIncident, query.componentId ? touchesComponent(query.componentId) : undefined))
    .orderBy(desc(postmortems.publishedAt))
    .limit(query.limit);
  const updates = await listPublishedUpdates(db, rows.map((r) => r.incident.id));
  const { t } = feedText(query);
  return rows.map(({ postmortem, incident }) => ({
    id: postmortemEntryId(incident.id),
    title: t('feed.postmortemEntry', { title: incident.title }),
    link: `${publicUrl}/incidents/${incident.id}#postmortem`,
    updated: postmortem.publishedAt!,
    contentHtml: storedMarkdownHtml({ id: `postmortem:${postmortem.incidentId}`, source: postmortemBody(postmortem), html: postmortem.publicHtml }),
    componentIds: Object.keys(latestComponentStatuses(updates.filter((u) => u.incidentId === incident.id))),
  }));
};
