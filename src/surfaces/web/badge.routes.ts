import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { pageStatus } from '../../domain/status.js';
import { componentBadge, overallBadge, renderBadge, unknownBadge, type Badge } from './badge.js';
import { isUuid } from '../../core/ids.js';
import { PUBLIC_DOC } from './route-kit.js';
import { listUnresolvedIncidents } from '../../modules/incidents/index.js';
import { findComponent, listComponents } from '../../modules/components/index.js';
import type { RenderResult } from '../render-cache/render-cache.js';
import { LangQuery, requestLanguage } from '../../i18n/page-language.js';
import { translator } from '../../i18n/translator.js';

const SVG = 'image/svg+xml; charset=utf-8';
const BADGE_KEY = 'badge:overall';
const BADGE_NOT_FOUND_KEY = 'badge:not-found';

const svg = (badge: Badge, status = 200): RenderResult => ({ status, contentType: SVG, body: renderBadge(badge) });

const BadgeQuery = Type.Object({ lang: LangQuery });

/** `/badge.svg` and `/components/:id/badge.svg`: the status as a badge for READMEs and dashboards. */
export const badgeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { serve } = app.publicRenders;
  app.publicRenders.pin(BADGE_KEY);
  app.publicRenders.pin(BADGE_NOT_FOUND_KEY);
  app.publicRenders.direct('/badge.svg', { key: BADGE_KEY, languages: true });
  /** The badge's language (`?lang=`), and the cache key of `key` in it. */
  const languageOf = (req: FastifyRequest) => {
    const { lang, key } = requestLanguage(req.query, app.defaultLanguage());
    return { i18n: translator(lang), key };
  };

  app.get(
    '/badge.svg',
    { schema: { ...PUBLIC_DOC, produces: ['image/svg+xml'], summary: 'The page’s status as an SVG badge', operationId: 'getStatusBadge', querystring: BadgeQuery } },
    (req, reply) => {
      const { i18n, key } = languageOf(req);
      return serve(req, reply, key(BADGE_KEY), async () => {
        const [components, incidents] = await Promise.all([listComponents(app.db), listUnresolvedIncidents(app.db)]);
        return svg(overallBadge(pageStatus(components, incidents).indicator, i18n));
      });
    },
  );

  const componentBadgeDoc = {
    ...PUBLIC_DOC,
    produces: ['image/svg+xml'],
    summary: 'A component’s status as an SVG badge (an unknown component gets a grey one, 404)',
    operationId: 'getComponentBadge',
    params: Type.Object({ id: Type.String() }),
    querystring: BadgeQuery,
  };
  app.get('/components/:id/badge.svg', { schema: componentBadgeDoc }, (req, reply) => {
    const id = req.params.id.toLowerCase();
    const { i18n, key } = languageOf(req);
    const notFound = async () => svg(unknownBadge(i18n), 404);
    // Anything that is not a UUID cannot be a component: one shared answer, no query.
    if (!isUuid(id)) return serve(req, reply, key(BADGE_NOT_FOUND_KEY), notFound);
    return serve(req, reply, key(`badge:component:${id}`), async () => {
      const component = await findComponent(app.db, id);
      // A 404 is not kept (only 200s are), so made-up ids cannot crowd real renders out, and
      // a deleted component's old badge stops being served at the next render.
      return component ? svg(componentBadge(component.name, component.status, i18n)) : notFound();
    });
  });
};
