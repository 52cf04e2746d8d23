import RSS from 'rss';
import { statusLabel } from '../../domain/incident-lifecycle.js';
import { renderMarkdown, stripInvalidXmlChars } from '../../text/markdown.js';
import type { PublicIncidentRow, PublicUpdateRow } from '../public/public.repo.js';
import { postmortemFeedItem, type PostmortemFeedEntry } from '../postmortems/postmortem-feed.js';

export interface FeedEntry {
  update: PublicUpdateRow;
  incident: PublicIncidentRow;
}

export interface FeedOptions {
  pageName: string;
  publicUrl: string;
  now: Date;
  /** Most items in the feed, updates and postmortems together. */
  maxItems?: number;
}

/** One item per public incident update and per published postmortem, newest first, with absolute links. */
export function renderRss(entries: FeedEntry[], options: FeedOptions, postmortems: PostmortemFeedEntry[] = []): string {
  const { publicUrl } = options;
  const items: RSS.ItemOptions[] = [];
  const newest = [entries[0]?.update.publishedAt, ...postmortems.map((p) => p.postmortem.publishedAt)]
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime())[0] ?? options.now;
  const feed = new RSS({
    title: clean(`${options.pageName} — incident updates`),
    description: clean(`Incident updates from ${options.pageName}`),
    feed_url: `${publicUrl}/feed.rss`,
    site_url: `${publicUrl}/`,
    language: 'en',
    pubDate: newest,
    ttl: 1,
  });
  for (const { update, incident } of entries) {
    const summary = update.summary ? `<p><strong>Summary:</strong> ${escapeHtml(clean(update.summary))}</p>` : '';
    items.push({
      title: clean(`[${statusLabel(update.status)}] ${incident.title}`),
      description: protectCdata(renderMarkdown(update.body) + summary),
      url: `${publicUrl}/incidents/${incident.id}#update-${update.id}`,
      guid: update.id,
      date: update.publishedAt ?? update.createdAt,
    });
  }
  for (const entry of postmortems) {
    const item = postmortemFeedItem(entry, publicUrl);
    items.push({ ...item, title: clean(item.title), description: protectCdata(item.description) });
  }
  const time = (item: RSS.ItemOptions) => new Date(item.date).getTime();
  // Stable: updates keep their order (newest first, then insertion) among equal times.
  items.sort((a, b) => time(b) - time(a));
  for (const item of items.slice(0, options.maxItems ?? items.length)) feed.item(item);
  return feed.xml();
}

const clean = stripInvalidXmlChars;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The feed wraps descriptions in CDATA, which a literal "]]>" would end early. */
function protectCdata(html: string): string {
  return html.replace(/]]>/g, ']]&gt;');
}
