import RSS from 'rss';
import { statusLabel } from '../../domain/incident-lifecycle.js';
import { renderMarkdown, stripInvalidXmlChars } from '../../text/markdown.js';
import type { PublicIncidentRow, PublicUpdateRow } from '../public/public.repo.js';

export interface FeedEntry {
  update: PublicUpdateRow;
  incident: PublicIncidentRow;
}

export interface FeedOptions {
  pageName: string;
  publicUrl: string;
  now: Date;
}

/** One item per public incident update, newest first, with absolute links. */
export function renderRss(entries: FeedEntry[], options: FeedOptions): string {
  const { publicUrl } = options;
  const newest = entries[0]?.update.publishedAt ?? options.now;
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
    feed.item({
      title: clean(`[${statusLabel(update.status)}] ${incident.title}`),
      description: protectCdata(renderMarkdown(update.body) + summary),
      url: `${publicUrl}/incidents/${incident.id}#update-${update.id}`,
      guid: update.id,
      date: update.publishedAt ?? update.createdAt,
    });
  }
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
