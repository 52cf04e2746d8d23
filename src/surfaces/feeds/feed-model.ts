/**
 * One model for both feeds (RSS and Atom): a list of entries gathered from sources. Incident
 * updates are the first source; scheduled maintenance and postmortems become entries by
 * adding a source to FEED_SOURCES (feed-sources.ts), nothing else.
 */
import { translator, type Translator } from '../../i18n/translator.js';

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
  /** The language of the entries' own words ("[Resolved]", "Summary:"); English when unset. */
  i18n?: Translator;
}

export interface FeedMeta {
  pageName: string;
  publicUrl: string;
  /** The component the feed is narrowed to, if any. */
  component?: { id: string; name: string };
  now: Date;
  /** The feed's language; English when unset. */
  i18n?: Translator;
  /** Set when the feed is not in the page's default language: its own URL names it. */
  lang?: string;
}

/** The translator of a feed or a source: English unless one was given. */
export const feedText = (given: { i18n?: Translator }): Translator => given.i18n ?? translator('en');

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
  const params = [meta.component ? `component=${meta.component.id}` : '', meta.lang ? `lang=${meta.lang}` : ''].filter(Boolean);
  return `${meta.publicUrl}/feed.${kind}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

export function feedTitle(meta: FeedMeta): string {
  const { t } = feedText(meta);
  return meta.component ? t('feed.componentTitle', { pageName: meta.pageName, component: meta.component.name }) : t('feed.title', { pageName: meta.pageName });
}

export const feedDescription = (meta: FeedMeta): string => feedText(meta).t('feed.description', { pageName: meta.pageName });
