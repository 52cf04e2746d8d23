import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import '@fastify/swagger';
import { Type } from 'typebox';
import { isUuid } from '../../core/ids.js';
import { currentSettings } from '../../modules/settings/index.js';
import { loadAssets } from './assets.js';
import { PAGE_DOC, pageContext } from './route-kit.js';
import type { Language } from '../../domain/languages.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { LangQuery, languageLocals, requestLanguage } from '../../i18n/page-language.js';
import { translator } from '../../i18n/translator.js';
import { loadHistoryPage, loadIncidentPage, loadStatusPage, type UptimeSource } from './page-loaders.js';
import { UptimeDaysCache } from './uptime-days-cache.js';
import { KeptStatusPageRows } from './status-page-rows.js';
import { IncidentCardMemo } from './incident-card-memo.js';
import { UptimeModelMemo } from './uptime-model-memo.js';
import { UptimeFragments, type RenderUptimeRow } from './uptime-fragments.js';
import { loadMaintenancePage } from './maintenance-model.js';
import type { RenderResult } from '../render-cache/render-cache.js';
import { fragmentMarker } from '../render-cache/rendered.js';
import { IMMUTABLE, sendRendered } from '../render-cache/send-rendered.js';

export interface PublicRoutesOptions {
  /** Where the stylesheet and icons are read from, once, at start. */
  publicDir: string;
  /** Renders the uptime partial on its own, for the rows kept between renders. */
  renderUptimeRow: RenderUptimeRow;
}

const HTML = 'text/html; charset=utf-8';
/** The status page's render (in the page's default language; `keyIn` names the others). */
const STATUS_PAGE_KEY = 'page:/';
const NOT_FOUND_KEY = 'page:incident-not-found';
const MAINTENANCE_NOT_FOUND_KEY = 'page:maintenance-not-found';

/** One public page per row: its path, its template, how to load it, its shared 404. */
interface PageById<M> {
  path: string;
  /** The route's summary and operationId in the OpenAPI document. */
  summary: string;
  operationId: string;
  notFoundKey: string;
  /** The 404's message: there is no such incident, or maintenance. */
  missing: MessageKey;
  template: string;
  load: (id: string, lang: Language) => Promise<M | null>;
  title: (model: M) => string;
}

/** Thrown inside a render so that the miss is served from the shared 404, not cached under the id. */
class RowMissing extends Error {}

/**
 * The public surface. Every response here comes out of the render cache: the database is
 * read once per change, not once per reader.
 */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, options) => {
  const { serve, policy } = app.publicRenders;
  // The pages that must still be there when the database is not; a 404 is kept only under a
  // pinned key, so made-up ids share one render instead of one each.
  for (const key of [STATUS_PAGE_KEY, 'page:/history?page=1', NOT_FOUND_KEY, MAINTENANCE_NOT_FOUND_KEY]) app.publicRenders.pin(key);
  // An outage brings thousands of readers a second: a log line each would drown the logs (and
  // the disk) just when they matter. Errors are still logged.
  app.addHook('onRoute', (route) => {
    route.logLevel = 'warn';
  });
  const assets = loadAssets(options.publicDir, app.now());
  const links = {
    css: assets.get('style.css')?.versionedUrl ?? '/style.css',
    icon: assets.get('favicon.svg')?.versionedUrl ?? '/favicon.svg',
    script: assets.get('page.js')?.versionedUrl ?? '/page.js',
  };
  const context = (lang: Language) => pageContext(app, lang);
  // Each component's uptime days and last change, read again only when a status change of its own moved them,
  // and its window's past days, computed again only then or at midnight.
  const uptimeDays = new UptimeDaysCache({ alongside: app.database.kind === 'postgres' });
  const uptimeModels = new UptimeModelMemo();
  const uptime: UptimeSource = {
    read: async (db, showcased, windowStart, now) => {
      const [kept, components] = await Promise.all([uptimeDays.load(db, showcased, windowStart, now), showcased]);
      uptimeModels.keepOnly(new Set(components.map((c) => c.id)));
      return kept;
    },
    modelOf: uptimeModels.modelOf,
  };
  // The page's rows, read again only for the parts a write changed, and the resolved incidents' cards made from them.
  const statusPageRows = new KeptStatusPageRows();
  const incidentCards = new IncidentCardMemo();
  // And each row's markup, kept with its model.
  const uptimeRows = new UptimeFragments(options.renderUptimeRow);
  const statusPage = async (lang: Language): Promise<{ model: object; fragments: Buffer[] }> => {
    const model = await loadStatusPage(app.db, context(lang), { rows: statusPageRows.read, uptime, cardOf: incidentCards.cardOf });
    const components = [...model.groups.flatMap((g) => g.components), ...model.ungrouped];
    // The template places each row's marker; the kept bytes are pasted in once it has run.
    const fragments: Buffer[] = [];
    const markers: Record<string, string> = {};
    for (const [id, bytes] of Object.entries(uptimeRows.rows(model.uptime, components, translator(lang).t))) {
      markers[id] = fragmentMarker(fragments.push(bytes) - 1);
    }
    // The template runs in a turn of the loop of its own, apart from building the model: at 200
    // components each takes several milliseconds, and readers' requests are answered between them.
    await nextTurn();
    return { model: { ...model, uptimeRows: markers }, fragments };
  };

  /** The page at `path` in `lang`: its words, its links kept in its language, its alternates. */
  const page = async (template: string, model: object, at: { path: string; lang: Language }, status = 200, fragments?: Buffer[]): Promise<RenderResult> => ({
    status,
    contentType: HTML,
    body: await app.view(template, { ...model, assets: links, brand: currentSettings(app), ...languageLocals(at.path, at.lang, app.defaultLanguage()) }),
    ...(fragments ? { fragments } : {}),
  });

  /** The reader's language (`?lang=`, else the page's), and the cache key of `key` in it. */
  const languageOf = (req: { query: unknown }) => requestLanguage(req.query, app.defaultLanguage());

  const doc = PAGE_DOC;

  app.get('/', { schema: { ...doc, summary: 'The status page', operationId: 'getStatusPage', querystring: Type.Object({ lang: LangQuery }) } }, (req, reply) => {
    const { lang, key } = languageOf(req);
    return serve(req, reply, key(STATUS_PAGE_KEY), async () => {
      const { model, fragments } = await statusPage(lang);
      return page('pages/status', model, { path: '/', lang }, 200, fragments);
    });
  });
  app.publicRenders.direct('/', { key: STATUS_PAGE_KEY, languages: true });

  const notFound = (missing: MessageKey, at: { path: string; lang: Language }) => () =>
    page('pages/error', { status: 404, error: 'HG_NOT_FOUND', message: translator(at.lang).t(missing), pageName: app.site.pageName }, at, 404);

  /**
   * A page for one row by id. Every unknown id shares one cached 404 per kind: made-up URLs
   * cannot crowd real pages out of the cache, nor cost a render each.
   */
  const byId = <M>(kind: PageById<M>) => {
    const schema = {
      ...doc,
      summary: kind.summary,
      operationId: kind.operationId,
      params: Type.Object({ id: Type.String() }),
      querystring: Type.Object({ lang: LangQuery }),
    };
    app.get(`/${kind.path}/:id`, { schema }, async (req, reply) => {
      const id = req.params.id.toLowerCase();
      const { lang, key } = languageOf(req);
      const path = `/${kind.path}/${id}`;
      // One 404 for every unknown id of a kind: its language links cannot name one id, so they lead home.
      const missing = notFound(kind.missing, { path: '/', lang });
      // Anything that is not a UUID cannot be a row.
      if (!isUuid(id)) return serve(req, reply, key(kind.notFoundKey), missing);
      try {
        return await serve(req, reply, key(`page:${path}`), async () => {
          const model = await kind.load(id, lang);
          if (!model) throw new RowMissing();
          return page(kind.template, { ...model, title: kind.title(model) }, { path, lang });
        });
      } catch (error) {
        if (error instanceof RowMissing) return serve(req, reply, key(kind.notFoundKey), missing);
        throw error;
      }
    });
  };

  byId({
    path: 'incidents',
    summary: 'An incident’s page: its timeline and postmortem',
    operationId: 'getIncidentPage',
    notFoundKey: NOT_FOUND_KEY,
    missing: 'error.noIncident',
    template: 'pages/incident',
    load: (id, lang) => loadIncidentPage(app.db, id, context(lang)),
    title: (model) => model.incident.title,
  });
  byId({
    path: 'maintenances',
    summary: 'A maintenance’s page',
    operationId: 'getMaintenancePage',
    notFoundKey: MAINTENANCE_NOT_FOUND_KEY,
    missing: 'error.noMaintenance',
    template: 'pages/maintenance',
    load: (id, lang) => loadMaintenancePage(app.db, id, context(lang)),
    title: (model) => model.maintenance.title,
  });

  app.get(
    '/history',
    {
      schema: {
        ...doc,
        summary: 'Incident history, by month of the display time zone',
        operationId: 'getHistoryPage',
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })), lang: LangQuery }),
      },
    },
    (req, reply) => {
      const n = req.query.page ?? 1;
      const { lang, key } = languageOf(req);
      return serve(req, reply, key(`page:/history?page=${n}`), async () =>
        page('pages/history', await loadHistoryPage(app.db, n, context(lang)), { path: n === 1 ? '/history' : `/history?page=${n}`, lang }),
      );
    },
  );

  for (const asset of assets.values()) {
    app.get(`/${asset.name}`, { schema: { hide: true } }, (req, reply) => {
      const versioned = (req.query as { v?: string }).v === asset.version;
      // A versioned URL names these exact bytes, so it may be cached for good.
      return sendRendered(req, reply, asset.rendered, versioned ? IMMUTABLE : policy);
    });
  }
};

