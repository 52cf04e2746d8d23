import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/swagger';
import { Type } from 'typebox';
import { FEED_NOT_FOUND_KEY, feedRoutes } from '../feeds/feeds.routes.js';
import { loadAssets } from './assets.js';
import { BADGE_KEY, BADGE_NOT_FOUND_KEY, badgeRoutes } from './badge.routes.js';
import { UUID } from './public-route-kit.js';
import type { PageContext } from './page-model.js';
import { loadHistoryPage, loadIncidentPage, loadStatusPage } from './public.service.js';
import { loadMaintenancePage } from '../maintenance/maintenance.public.js';
import type { RenderCache, RenderResult } from './render-cache.js';
import { sendRendered, type CachePolicy } from './send-rendered.js';

export interface PublicRoutesOptions {
  cache: RenderCache;
  policy: CachePolicy;
  publicDir: string;
  pageName: string;
  publicUrl: string;
  timeZone: string;
}

const HTML = 'text/html; charset=utf-8';
const NOT_FOUND_KEY = 'page:incident-not-found';
const MAINTENANCE_NOT_FOUND_KEY = 'page:maintenance-not-found';

class IncidentMissing extends Error {}

/** The pages that must still be there when the database is not: never evicted. */
export const PINNED_KEYS = new Set(['page:/', 'feed:rss', 'page:/history?page=1', NOT_FOUND_KEY, BADGE_KEY, BADGE_NOT_FOUND_KEY, 'feed:atom', FEED_NOT_FOUND_KEY]);
// A 404 is kept only under a pinned key: made-up ids then share one render instead of one each.
PINNED_KEYS.add(MAINTENANCE_NOT_FOUND_KEY);

/**
 * The public surface. Every response here comes out of the render cache: the database is
 * read once per change, not once per reader.
 */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, options) => {
  const { cache, policy } = options;
  // An outage brings thousands of readers a second: a log line each would drown the logs (and
  // the disk) just when they matter. Errors are still logged.
  app.addHook('onRoute', (route) => {
    route.logLevel = 'warn';
  });
  const assets = loadAssets(options.publicDir);
  const links = {
    css: assets.get('style.css')?.versionedUrl ?? '/style.css',
    icon: assets.get('favicon.svg')?.versionedUrl ?? '/favicon.svg',
  };
  const context = (): PageContext => ({ pageName: options.pageName, timeZone: options.timeZone, now: app.now() });

  const page = async (template: string, model: object, status = 200): Promise<RenderResult> => ({
    status,
    contentType: HTML,
    body: await app.view(template, { ...model, assets: links }),
  });

  const serve = async (request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<RenderResult>) =>
    sendRendered(request, reply, await cache.get(key, render), policy);

  // Public: no token, so no lock in the OpenAPI document.
  const doc = { tags: ['public'], security: [] };

  app.get('/', { schema: doc }, (req, reply) =>
    serve(req, reply, 'page:/', async () => page('pages/status', await loadStatusPage(app.db, context()))),
  );

  app.get('/incidents/:id', { schema: { ...doc, params: Type.Object({ id: Type.String() }) } }, async (req, reply) => {
    const id = req.params.id.toLowerCase();
    // Anything that is not a UUID cannot be an incident.
    if (!UUID.test(id)) return serve(req, reply, NOT_FOUND_KEY, notFoundPage);
    try {
      return await serve(req, reply, `page:/incidents/${id}`, async () => {
        const model = await loadIncidentPage(app.db, id, context());
        if (!model) throw new IncidentMissing();
        return page('pages/incident', { ...model, title: model.incident.title });
      });
    } catch (error) {
      // Every unknown id shares one cached 404: made-up URLs cannot crowd real pages out.
      if (error instanceof IncidentMissing) return serve(req, reply, NOT_FOUND_KEY, notFoundPage);
      throw error;
    }
  });

  app.get('/maintenances/:id', { schema: { ...doc, params: Type.Object({ id: Type.String() }) } }, async (req, reply) => {
    const id = req.params.id.toLowerCase();
    if (!UUID.test(id)) return serve(req, reply, MAINTENANCE_NOT_FOUND_KEY, maintenanceNotFound);
    try {
      return await serve(req, reply, `page:/maintenances/${id}`, async () => {
        const model = await loadMaintenancePage(app.db, id, context());
        if (!model) throw new IncidentMissing();
        return page('pages/maintenance', { ...model, title: model.maintenance.title });
      });
    } catch (error) {
      if (error instanceof IncidentMissing) return serve(req, reply, MAINTENANCE_NOT_FOUND_KEY, maintenanceNotFound);
      throw error;
    }
  });
  const maintenanceNotFound = () =>
    page('pages/error', { status: 404, error: 'HG_NOT_FOUND', message: 'There is no such maintenance.', pageName: options.pageName }, 404);

  const notFoundPage = () =>
    page('pages/error', { status: 404, error: 'HG_NOT_FOUND', message: 'There is no such incident.', pageName: options.pageName }, 404);

  app.get(
    '/history',
    {
      schema: {
        ...doc,
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })) }),
      },
    },
    (req, reply) => {
      const n = req.query.page ?? 1;
      return serve(req, reply, `page:/history?page=${n}`, async () =>
        page('pages/history', await loadHistoryPage(app.db, n, context())),
      );
    },
  );

  await app.register(badgeRoutes, { serve, context, publicUrl: options.publicUrl });
  await app.register(feedRoutes, { serve, context, publicUrl: options.publicUrl, pageName: options.pageName });

  for (const asset of assets.values()) {
    app.get(`/${asset.name}`, { schema: { hide: true } }, (req, reply) => {
      const versioned = (req.query as { v?: string }).v === asset.version;
      // A versioned URL names these exact bytes, so it may be cached for good.
      return sendRendered(req, reply, asset.rendered, versioned ? IMMUTABLE : policy);
    });
  }
};

const IMMUTABLE: CachePolicy = { maxAgeSeconds: 31_536_000, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0, immutable: true };
