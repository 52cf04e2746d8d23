import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { SEVERITIES } from '../../domain/vocabulary.js';
import { responseClocks } from '../../domain/response-clocks.js';
import { Errors } from '../../core/errors.js';
import { listUnresolvedWithPublication } from '../reminders/index.js';
import { keptFor } from './kept-for.js';
import { countOpenIncidents, firstUpdateHistogram } from './metrics.repo.js';
import { registerProcessMetrics } from './process-metrics.js';
import type { RenderCacheStats } from '../../core/render-cache-stats.js';
import { DELIVERY_STATUSES } from '../../domain/notification-vocabulary.js';

/** Outgoing notifications by delivery state (`pending`, `sent`, `failed`, `dead`). */
export type DeliveryCounts = () => Promise<{ state: string; count: number }[]>;


export interface MetricsOptions {
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  deliveryCounts?: DeliveryCounts;
  renderCache?: () => RenderCacheStats;
}

/** Seconds; the 300 s bucket is the first-update target. */
export const FIRST_UPDATE_BUCKETS = [60, 120, 180, 300, 600, 900, 1800, 3600] as const;

/** Compared as digests: equal lengths always, so the time taken tells nothing, not even the length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * How long one scrape's text serves the next ones. Prometheus scrapes every 15 s or more; a
 * flood of scrapes (or a misconfigured scraper) then costs no query and no work beyond sending
 * the same text, and cannot slow the page.
 */
export const SCRAPE_KEPT_MS = 5000;

/**
 * `GET /metrics` in Prometheus' text format. Incident gauges are read from the database (a few
 * grouped counts) at most once every SCRAPE_KEPT_MS, so every process reports the same numbers
 * whichever wrote the data. A registry per app: tests build many apps in one process.
 */
export const metricsRoutes: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  const registry = new Registry();
  registerProcessMetrics(registry, 'heliograph_');
  const { targets } = app;
  // Drafts are never public: an open /metrics must not tell the world that a P0 is being
  // drafted. Behind METRICS_TOKEN the scraper is ours, and drafts count.
  const includeDrafts = options.token !== undefined;

  new Gauge({
    name: 'heliograph_incidents_open',
    help: 'Unresolved incidents by severity (draft="true": not yet public; only behind METRICS_TOKEN)',
    labelNames: ['severity', 'draft'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of SEVERITIES) this.set({ severity: s, draft: 'false' }, 0);
      for (const row of await countOpenIncidents(app.db)) {
        if (includeDrafts || !row.draft) this.set({ severity: row.severity, draft: String(row.draft) }, row.n);
      }
    },
  });

  // Both overdue gauges come from one pass over the unresolved incidents per scrape: the
  // registry starts every collect at once, so they share the pass in flight.
  let pass: Promise<{ updates: number; acknowledgements: number }> | null = null;
  const overdueCounts = () =>
    (pass ??= (async () => {
      const now = app.now();
      const counts = { updates: 0, acknowledgements: 0 };
      for (const { incident, firstPublishedAt, lastPublishedAt } of await listUnresolvedWithPublication(app.db)) {
        if (incident.draft && !includeDrafts) continue;
        const publicUpdateTimes = [firstPublishedAt, lastPublishedAt].filter((d): d is Date => d !== null);
        const clocks = responseClocks({ ...incident, publicUpdateTimes }, now, targets);
        if (clocks.updateOverdue) counts.updates += 1;
        if (incident.acknowledgedAt === null && clocks.acknowledgeBreached) counts.acknowledgements += 1;
      }
      return counts;
    })().finally(() => {
      pass = null;
    }));

  new Gauge({
    name: 'heliograph_incident_updates_overdue',
    help: 'Unresolved incidents (drafts included behind METRICS_TOKEN) whose next public update is overdue',
    registers: [registry],
    async collect() {
      this.set((await overdueCounts()).updates);
    },
  });

  new Gauge({
    name: 'heliograph_incident_acknowledgements_overdue',
    help: 'Unresolved incidents not acknowledged within their target',
    registers: [registry],
    async collect() {
      this.set((await overdueCounts()).acknowledgements);
    },
  });

  // A histogram whose buckets come from the database, not from observations in this process.
  const histogram = {
    name: 'heliograph_incident_time_to_first_update_seconds',
    help: 'Time from detection to the first public update, over all public incidents',
    type: 'histogram',
    aggregator: 'max',
    async get() {
      const h = await firstUpdateHistogram(app.db, FIRST_UPDATE_BUCKETS);
      return {
        name: this.name,
        help: this.help,
        type: 'histogram',
        aggregator: 'max',
        values: [
          ...FIRST_UPDATE_BUCKETS.map((le, i) => ({ metricName: `${this.name}_bucket`, labels: { le }, value: h.buckets[i]! })),
          { metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: h.count },
          { metricName: `${this.name}_sum`, labels: {}, value: h.sum },
          { metricName: `${this.name}_count`, labels: {}, value: h.count },
        ],
      };
    },
  };
  registry.registerMetric(histogram as unknown as Metric);

  new Gauge({
    name: 'heliograph_deliveries',
    help: 'Subscriber notifications by delivery state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!options.deliveryCounts) return;
      // Every state, zero when empty: an alert on `dead > 0` needs the series to exist before the first one.
      const counts = new Map((await options.deliveryCounts()).map((row) => [row.state, row.count]));
      for (const state of new Set([...DELIVERY_STATUSES, ...counts.keys()])) this.set({ state }, counts.get(state) ?? 0);
    },
  });

  if (options.renderCache) registerRenderCacheMetrics(registry, options.renderCache);

  // The registry is read as a whole, process metrics too: reading them costs file reads.
  const scrape = keptFor(SCRAPE_KEPT_MS, () => app.now().getTime(), () => registry.metrics());

  app.get(
    '/metrics',
    { logLevel: 'warn', schema: { summary: 'Prometheus metrics', operationId: 'getMetrics', produces: ['text/plain'], tags: ['health'], security: options.token ? [{ bearer: [] }] : [], hide: false } },
    async (request, reply) => {
      if (options.token) {
        // The scheme is case-insensitive (RFC 9110 §11.1), as the admin API reads it.
        const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
        if (!sameSecret(given, options.token)) throw new Errors.unauthorized('A metrics token is required');
      }
      // Scraped by machines, never cached downstream: each scrape reads numbers at most SCRAPE_KEPT_MS old.
      return reply.header('cache-control', 'no-store').type(registry.contentType).send(await scrape());
    },
  );
};

const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;

/**
 * The render cache's numbers, read from it at scrape time. The hit ratio is
 * `hits_total / (hits_total + misses_total)`; stale answers are what readers got while the
 * database was failing or slow.
 */
function registerRenderCacheMetrics(registry: Registry, numbers: () => RenderCacheStats) {
  const gauge = (name: string, help: string, pick: (n: RenderCacheStats) => number) =>
    new Gauge({
      name: `heliograph_render_cache_${name}`,
      help,
      registers: [registry],
      collect() {
        this.set(pick(numbers()));
      },
    });
  const counter = (name: string, help: string, pick: (n: RenderCacheStats) => number) =>
    new Counter({
      name: `heliograph_render_cache_${name}_total`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(pick(numbers()));
      },
    });
  gauge('bytes', 'Bytes of rendered public answers held in memory, raw and compressed forms together', (n) => n.bytes);
  gauge('entries', 'Rendered public answers held in memory', (n) => n.entries);
  counter('hits', 'Public answers served from a current render', (n) => n.hits);
  counter('misses', 'Public answers that needed a new render', (n) => n.misses);
  counter('stale_served', 'Public answers served from an older render because the database was failing or slow', (n) => n.staleServes);
  counter('busy', 'Public requests refused with 503 HG_BUSY: too many renders already running and waiting', (n) => n.busy);
  counter('renders', 'Renders of public answers begun', (n) => n.renders);
  counter('direct_answers', 'Of the hits, public answers sent from the cache before routing', (n) => n.direct ?? 0);
  new Gauge({
    name: 'heliograph_render_cache_breaker_state',
    help: 'The render cache breaker: 1 for its current state (closed: renders run; open: the database is failing, none are tried; half-open: one probe runs)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const current = numbers().breaker;
      for (const state of BREAKER_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
}
