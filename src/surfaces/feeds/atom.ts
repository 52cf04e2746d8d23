import { Feed } from 'feed';
import { stripInvalidXmlChars } from '../../text/markdown.js';
import { escapeHtml } from '../../text/html.js';
import { feedDescription, feedText, feedTitle, feedUrl, newestEntryTime, type FeedEntry, type FeedMeta } from './feed-model.js';

/**
 * Atom (RFC 4287) of the feed model, written by the `feed` library: it escapes and splits
 * CDATA itself. Entry titles are sent as `type="html"`, so our plain-text titles are escaped
 * into HTML first: a title "<b>" must read as those three characters.
 */
export function renderAtom(entries: readonly FeedEntry[], meta: FeedMeta): string {
  const self = feedUrl(meta, 'atom');
  const feed = new Feed({
    id: self,
    title: stripInvalidXmlChars(feedTitle(meta)),
    description: stripInvalidXmlChars(feedDescription(meta)),
    link: `${meta.publicUrl}/`,
    language: feedText(meta).lang,
    updated: newestEntryTime(entries) ?? meta.now,
    generator: 'Heliograph',
    // RFC 4287 §4.1.1: a feed needs an author unless every entry has one.
    author: { name: stripInvalidXmlChars(meta.pageName), link: `${meta.publicUrl}/` },
    feedLinks: { atom: self },
    copyright: '',
  });
  for (const entry of entries) {
    feed.addItem({
      id: `urn:uuid:${entry.id}`,
      title: escapeHtml(stripInvalidXmlChars(entry.title)),
      link: entry.link,
      date: entry.updated,
      content: entry.contentHtml,
    });
  }
  return feed.atom1();
}
