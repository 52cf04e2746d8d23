import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DbOrTx } from '../../db/client.js';
import { isUuid } from '../../core/ids.js';
import { PUBLIC_DOC } from '../web/route-kit.js';
import { findComponent } from '../../modules/components/index.js';
import type { RenderResult } from '../render-cache/render-cache.js';
import { renderAtom } from './atom.js';
import { mergeFeedEntries, newestEntryTime, type FeedEntry, type FeedMeta, type FeedQuery } from './feed-model.js';
import { FEED_SOURCES, type FeedSource } from './feed-sources.js';
import { renderRss } from './rss.js';
import { LangQuery, requestLanguage } from '../../i18n/page-language.js';
import { translator } from '../../i18n/translator.js';

export const FEED_SIZE = 50;
const FEED_NOT_FOUND_KEY = 'feed:not-found';

const FORMATS = {
  rss: { contentType: 'application/rss+xml; charset=utf-8', render: renderRss, summary: 'Incidents, maintenance and postmortems as RSS 2.0', operationId: 'getRssFeed' },
  atom: { contentType: 'application/atom+xml; charset=utf-8', render: renderAtom, summary: 'Incidents, maintenance and postmortems as Atom', operationId: 'getAtomFeed' },
} as const;

export interface FeedRoutesOptions {
  /** Where entries come from; FEED_SOURCES unless a test says otherwise. */
  sources?: readonly FeedSource[];
}

/** The entries of every source, merged: what both feeds show. */
export async function loadFeedEntries(db: DbOrTx, sources: readonly FeedSource[], query: FeedQuery, publicUrl: string): Promise<FeedEntry[]> {
  return mergeFeedEntries(await Promise.all(sources.map((source) => source(db, query, publicUrl))), query);
}

/** Feed readers show no error pages: the 404 is the `{ error, message }` every error is. */
const notFound = async (): Promise<RenderResult> => ({
  status: 404,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ error: 'HG_NOT_FOUND', message: 'There is no such component.' }),
});

/**
 * `/feed.rss` and `/feed.atom`, each narrowed by `?component=ID`. Only existing components
 * get a cache entry of their own: an id that is not a UUID shares one cached 404, and an
 * unknown UUID's 404 is never kept.
 */
export const feedRoutes: FastifyPluginAsyncTypebox<FeedRoutesOptions> = async (app, options) => {
  const { serve } = app.publicRenders;
  // Read at each render, not here: the page's name follows its settings.
  const { publicUrl } = app.site;
  /** A whole feed's render: the one its route serves and its direct answer reads. */
  const feedKey = (kind: 'rss' | 'atom') => `feed:${kind}`;
  for (const key of [feedKey('rss'), feedKey('atom'), FEED_NOT_FOUND_KEY]) app.publicRenders.pin(key);
  const sources = options.sources ?? FEED_SOURCES;

  for (const kind of ['rss', 'atom'] as const) {
    const format = FORMATS[kind];
    app.publicRenders.direct(`/feed.${kind}`, { key: feedKey(kind), languages: true });
    app.get(
      `/feed.${kind}`,
      {
        schema: {
          ...PUBLIC_DOC,
          produces: [format.contentType.split(';')[0]!],
          summary: format.summary,
          operationId: format.operationId,
          querystring: Type.Object({
            component: Type.Optional(Type.String({ maxLength: 100 })),
            lang: LangQuery,
          }),
        },
      },
      (req, reply) => {
        const componentId = req.query.component?.toLowerCase();
        if (componentId !== undefined && !isUuid(componentId)) return serve(req, reply, FEED_NOT_FOUND_KEY, notFound);
        const defaultLanguage = app.defaultLanguage();
        const { lang, key } = requestLanguage(req.query, defaultLanguage);
        return serve(req, reply, key(componentId ? `${feedKey(kind)}:component:${componentId}` : feedKey(kind)), async () => {
          const i18n = translator(lang);
          const meta: FeedMeta = { pageName: app.site.pageName, publicUrl, now: app.now(), i18n, lang: lang === defaultLanguage ? undefined : lang };
          if (componentId) {
            const component = await findComponent(app.db, componentId);
            if (!component) return notFound();
            meta.component = { id: component.id, name: component.name };
          }
          const entries = await loadFeedEntries(app.db, sources, { limit: FEED_SIZE, componentId, i18n }, publicUrl);
          return { contentType: format.contentType, body: format.render(entries, meta), lastModified: newestEntryTime(entries) };
        });
      },
    );
  }
};
