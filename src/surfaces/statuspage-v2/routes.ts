import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchema } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { v2Components } from '../../statuspage/components.js';
import { recentIncidents, unresolvedIncidents, v2Incident } from '../../statuspage/incidents.js';
import { selectMaintenances, v2Maintenance, type MaintenanceSelection } from '../../statuspage/maintenances.js';
import { v2Page, v2Status, type V2Data } from '../../statuspage/page.js';
import type { SiteNow } from '../../core/site.js';
import { KeptV2Data } from './data.js';
import { HeldRead } from '../render-cache/held-read.js';
import { V2Components, V2Incidents, V2Maintenances, V2StatusDoc, V2Summary } from '../../statuspage/schemas.js';

/** Cache keys of this API: kept through a database outage like the status page itself. */
const V2_KEY_PREFIX = 'api:v2:';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The span of the clock within which the API's documents share a read of its data. */
const SHARED_READ_MS = 1000;

/**
 * Each document's schema compiled, at its first render (compiling summary.json's takes 14 ms, so
 * not at every start of the app): checking a document by walking the schema took 3 ms for
 * summary.json and 11 ms for incidents.json at 50 components and 1,000 incidents, at every
 * render; compiled, 0.1 and 1.
 */
const validators = new WeakMap<TSchema, Validator>();
function validatorOf(schema: TSchema): Validator {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = Compile(schema)));
  return validator;
}

/** Statuspage's documents may be read from any origin, and so may ours. */
const CORS = { 'access-control-allow-origin': '*' } as const;

/**
 * `/api/v2/…`: Statuspage's public API, so its clients, widgets and monitors read this page
 * unchanged. Every document comes out of the render cache (ETag, 304, invalidated on writes)
 * and may be read from any origin, as Statuspage's may.
 */
export const statuspageApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.publicRenders.pinPrefix(V2_KEY_PREFIX);
  app.addHook('onRoute', (route) => {
    route.logLevel = 'warn';
  });
  // Set before the handler runs, so a 304 and an error carry it too; synchronous, as it is cheap.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(CORS);
    done();
  });
  const context = (): SiteNow => ({ ...app.site, now: app.now() });
  // The documents rendered after one write read the data once between them: one read per
  // generation (no write since) and second, so a render made later for its age reads afresh.
  // That read takes the incidents and the maintenance as kept while their numbers hold.
  const data = new HeldRead<V2Data>();
  const kept = new KeptV2Data();
  const dataKey = () => `${app.publicCache.currentGeneration()}|${Math.floor(performance.now() / SHARED_READ_MS)}`;

  const endpoint = (path: string, doc: { summary: string; operationId: string }, schema: TSchema, build: (data: V2Data, ctx: SiteNow) => unknown) => {
    // The response schema documents the shape in OpenAPI; the body itself is checked against it
    // once per render below, as it leaves as cached bytes.
    const routeSchema: FastifySchema = { tags: ['statuspage-v2'], security: [], ...doc, response: { 200: schema } };
    const key = `${V2_KEY_PREFIX}${path}`;
    app.publicRenders.direct(`/api/v2/${path}`, { key, languages: false, headers: CORS });
    app.get(`/api/v2/${path}`, { schema: routeSchema }, (req, reply) =>
      app.publicRenders.serve(req, reply, key, async () => {
        const ctx = context();
        const body = build(await data.get(dataKey(), () => kept.read(app.db)).value, ctx);
        // The schema is closed: a field it does not name is a bug, never something to publish.
        const validator = validatorOf(schema);
        if (!validator.Check(body)) {
          const first = validator.Errors(body)[0];
          throw new Error(`/api/v2/${path} does not match its schema: ${first?.instancePath} ${first?.message}`);
        }
        return { contentType: JSON_TYPE, body: JSON.stringify(body) };
      }),
    );
  };

  const maintenances = (which: MaintenanceSelection) => (data: V2Data, ctx: SiteNow) => ({
    page: v2Page(data, ctx),
    scheduled_maintenances: selectMaintenances(data, which).map((m) => v2Maintenance(m, data, ctx)),
  });

  endpoint('summary.json', { summary: 'The page, its components, open incidents and current maintenance at once', operationId: 'getSummary' }, V2Summary, (data, ctx) => ({
    page: v2Page(data, ctx),
    components: v2Components(data, ctx),
    incidents: unresolvedIncidents(data).map((i) => v2Incident(i, data, ctx)),
    scheduled_maintenances: selectMaintenances(data, 'current').map((m) => v2Maintenance(m, data, ctx)),
    status: v2Status(data),
  }));
  endpoint('status.json', { summary: 'The page’s overall status indicator', operationId: 'getStatus' }, V2StatusDoc, (data, ctx) => ({ page: v2Page(data, ctx), status: v2Status(data) }));
  endpoint('components.json', { summary: 'Every component with its status', operationId: 'getComponents' }, V2Components, (data, ctx) => ({ page: v2Page(data, ctx), components: v2Components(data, ctx) }));
  endpoint('incidents.json', { summary: 'The 50 most recent incidents', operationId: 'getIncidents' }, V2Incidents, (data, ctx) => ({
    page: v2Page(data, ctx),
    incidents: recentIncidents(data).map((i) => v2Incident(i, data, ctx)),
  }));
  endpoint('incidents/unresolved.json', { summary: 'Unresolved incidents', operationId: 'getUnresolvedIncidents' }, V2Incidents, (data, ctx) => ({
    page: v2Page(data, ctx),
    incidents: unresolvedIncidents(data).map((i) => v2Incident(i, data, ctx)),
  }));
  endpoint('scheduled-maintenances.json', { summary: 'Scheduled maintenances, the newest window first', operationId: 'getScheduledMaintenances' }, V2Maintenances, maintenances('all'));
  endpoint('scheduled-maintenances/upcoming.json', { summary: 'Upcoming maintenances', operationId: 'getUpcomingMaintenances' }, V2Maintenances, maintenances('upcoming'));
  endpoint('scheduled-maintenances/active.json', { summary: 'Maintenances under way', operationId: 'getActiveMaintenances' }, V2Maintenances, maintenances('active'));

  // Browsers ask before a cross-origin GET that carries headers of its own (If-None-Match, say).
  app.options('/api/v2/*', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
      .header('access-control-allow-headers', 'If-None-Match, Accept, Accept-Encoding')
      .header('access-control-max-age', '86400')
      .send(),
  );
};
