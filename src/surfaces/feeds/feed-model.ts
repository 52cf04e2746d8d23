/**
 * One model for both feeds (RSS and Atom): a list of entries gathered from sources. Incident
 * updates are the first source; scheduled maintenance and postmortems become entries by
 * adding a source to FEED_SOURCES (feed-sources.ts), nothing else.
 */

export interface FeedEntry {
  /** A UUID unique across every source (the row's own id): RSS guid, Atom `urn:uuid:` id. */
  id: string;
  /** Plain text; each writer escapes it. */
  title: string;
  /** Absolute URL of the entry on the page. */
  link: string;
  /** When the entry was published or last changed; feeds are ordered by it, newest first. */
  updated: Date;
  /** HTML already sanitised by our Markdown renderer (or built from escaped text). */
  contentHtml: string;
  /** The components the entry is about; `?component=ID` keeps the entries that list ID. */
  componentIds: string[];
}

export interface FeedQuery {
  /** At most this many entries, from each source and in the feed. */
  limit: number;
  /** Only entries about this component. */
  componentId?: string;
}

export interface FeedMeta {
  pageName: string;
  publicUrl: string;
  /** The component the feed is narrowed to, if any. */
  component?: { id: string; name: string };
  now: Date;
}

/** Newest first, ties broken by id so that the same data always gives the same bytes. */
export function mergeFeedEntries(lists: readonly FeedEntry[][], query: FeedQuery): FeedEntry[] {
  return lists
    .flat()
    .filter((e) => !query.componentId || e.componentIds.includes(query.componentId))
    .sort((a, b) => b.updated.getTime() - a.updated.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, query.limit);
}

/** The newest entry's time: the feeds' `Last-Modified` and `<updated>`. */
export function newestEntryTime(entries: readonly FeedEntry[]): Date | undefined {
  return entries[0]?.updated;
}

/** The feed's own URL, narrowed or not. */
export function feedUrl(meta: FeedMeta, kind: 'rss' | 'atom'): string {
  const base = `${meta.publicUrl}/feed.${kind}`;
  return meta.component ? `${base}?component=${meta.component.id}` : base;
}

export function feedTitle(meta: FeedMeta): string {
  return meta.component ? `${meta.pageName} — ${meta.component.name}` : `${meta.pageName} — incident updates`;
}
