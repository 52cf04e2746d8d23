import RSS from 'rss';
import { stripInvalidXmlChars } from '../../text/markdown.js';
import { feedDescription, feedText, feedTitle, feedUrl, newestEntryTime, type FeedEntry, type FeedMeta } from './feed-model.js';

/** RSS 2.0 of the feed model: one item per entry, newest first, with absolute links. */
export function renderRss(entries: readonly FeedEntry[], meta: FeedMeta): string {
  const feed = new RSS({
    title: clean(feedTitle(meta)),
    description: clean(feedDescription(meta)),
    feed_url: feedUrl(meta, 'rss'),
    site_url: `${meta.publicUrl}/`,
    language: feedText(meta).lang,
    pubDate: newestEntryTime(entries) ?? meta.now,
    ttl: 1,
  });
  for (const entry of entries) {
    feed.item({
      title: clean(entry.title),
      description: protectCdata(entry.contentHtml),
      url: entry.link,
      guid: entry.id,
      date: entry.updated,
    });
  }
  return withLastBuildDate(feed.xml(), meta.now);
}

/**
 * The `rss` package stamps <lastBuildDate> with the machine's clock and takes no date for it,
 * so the render's own time is put in its place. Only the channel's title and description come
 * before it, as CDATA sections that may quote anything (the package splits a "]]>" in them into
 * two sections): the match steps over them whole.
 */
const LAST_BUILD_DATE =
  /^(.*?<channel><title>(?:<!\[CDATA\[.*?\]\]>)*<\/title><description>(?:<!\[CDATA\[.*?\]\]>)*<\/description>.*?)<lastBuildDate>[^<]*<\/lastBuildDate>/s;

function withLastBuildDate(xml: string, at: Date): string {
  return xml.replace(LAST_BUILD_DATE, (_, channelStart: string) => `${channelStart}<lastBuildDate>${at.toUTCString()}</lastBuildDate>`);
}

const clean = stripInvalidXmlChars;

/** The feed wraps descriptions in CDATA, which a literal "]]>" would end early. */
function protectCdata(html: string): string {
  return html.replace(/]]>/g, ']]&gt;');
}
