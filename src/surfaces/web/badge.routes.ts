import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pageStatus } from '../../domain/status.js';
import { componentBadge, overallBadge, renderBadge, UNKNOWN_BADGE, type Badge } from './badge.js';
import { isUuid } from '../../core/ids.js';
import { PUBLIC_DOC } from './route-kit.js';
import { listUnresolvedIncidents } from '../../modules/incidents/index.js';
import { findComponent, listComponents } from '../../modules/components/index.js';
import type { RenderResult } from '../render-cache/render-cache.js';

const SVG = 'image/svg+xml; charset=utf-8';
const BADGE_KEY = 'badge:overall';
const BADGE_NOT_FOUND_KEY = 'badge:not-found';

const svg = (badge: Badge, status = 200): RenderResult => ({ status, contentType: SVG, body: renderBadge(badge) });

/** `/badge.svg` and `/components/:id/badge.svg`: the status as a badge for READMEs and dashboards. */
export const badgeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { serve } = app.publicRenders;
  app.publicRenders.pin(BADGE_KEY);
  app.publicRenders.pin(BADGE_NOT_FOUND_KEY);
  app.get('/badge.svg', { schema: { ...PUBLIC_DOC, produces: ['image/svg+xml'], summary: 'The page’s status as an SVG badge', operationId: 'getStatusBadge' } }, (req, reply) =>
    serve(req, reply, BADGE_KEY, async () => {
      const [components, incidents] = await Promise.all([listComponents(app.db), listUnresolvedIncidents(app.db)]);
      return svg(overallBadge(pageStatus(components, incidents).indicator));
    }),
  );

  const notFound = async () => svg(UNKNOWN_BADGE, 404);

  const componentBadgeDoc = {
    ...PUBLIC_DOC,
    produces: ['image/svg+xml'],
    summary: 'A component’s status as an SVG badge (an unknown component gets a grey one, 404)',
    operationId: 'getComponentBadge',
    params: Type.Object({ id: Type.String() }),
  };
  app.get('/components/:id/badge.svg', { schema: componentBadgeDoc }, (req, reply) => {
    const id = req.params.id.toLowerCase();
    // Anything that is not a UUID cannot be a component: one shared answer, no query.
    if (!isUuid(id)) return serve(req, reply, BADGE_NOT_FOUND_KEY, notFound);
    return serve(req, reply, `badge:component:${id}`, async () => {
      const component = await findComponent(app.db, id);
      // A 404 is not kept (only 200s are), so made-up ids cannot crowd real renders out, and
      // a deleted component's old badge stops being served at the next render.
      return component ? svg(componentBadge(component.name, component.status)) : notFound();
    });
  });
};
