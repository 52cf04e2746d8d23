import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { adminApi } from './admin-api.js';
import { settingsDefaultsOf, type Config } from './config.js';
import { systemClock, type Clock } from './core/clock.js';
import { onStoredMarkdownFailure } from './text/markdown.js';
import type { Database } from './db/client.js';
import { DEFAULT_RESPONSE_TARGETS, type ResponseTargets } from './domain/response-clocks.js';
import { withRedactedRequests } from './http/request-log.js';
import { MAX_PARAM_LENGTH, serverTimeouts } from './http/server-limits.js';
import { serverWithFrontDoor } from './http/front-door.js';
import { systemContext } from './modules/context.js';
import { PASSWORD_COST, TEST_PASSWORD_COST, usePasswordCost } from './modules/auth/index.js';
import { createSourcePoller, type SourcePoller } from './modules/component-sources/index.js';
import { StaffDigest } from './modules/chat-channels/index.js';
import { healthRoutes } from './modules/health/index.js';
import { ingestApi } from './modules/ingest/index.js';
import { createMaintenanceScheduler, type MaintenanceScheduler } from './modules/maintenance/index.js';
import { metricsRoutes, type DeliveryCounts } from './modules/metrics/index.js';
import { outboxPostmortemNotifier, type PostmortemNotifier } from './modules/postmortems/index.js';
import { outboxReminderNotifier, ReminderScheduler, type ReminderNotifier } from './modules/reminders/index.js';
import { liveSessionUser } from './modules/sessions/index.js';
import { SettingsStore, settingsPlugin } from './modules/settings/index.js';
import { subscribeRoutes } from './modules/subscribers/index.js';
import { apiTokenAuthenticator } from './modules/tokens/index.js';
import { findUserById } from './modules/users/index.js';
import { countsByState } from './notifications/deliveries.repo.js';
import notificationsPlugin from './notifications/notifications.plugin.js';
import type { Resolver } from './notifications/webhook-sender.js';
import { publicDir, viewsDir } from './paths.js';
import { compileAllCatalogues } from './i18n/translator.js';
import './i18n/page-language.js';
import authPlugin from './plugins/auth.js';
import contextPlugin from './plugins/context.js';
import databasePlugin from './plugins/database.js';
import errorsPlugin, { sendFrameworkError } from './plugins/errors.js';
import openapiPlugin from './plugins/openapi.js';
import privateAnswersPlugin from './plugins/private-answers.js';
import requestLimitsPlugin from './plugins/request-limits.js';
import securityPlugin, { SECURITY_HEADERS } from './plugins/security.js';
import { consoleRoutes } from './surfaces/console/plugin.js';
import { feedRoutes } from './surfaces/feeds/routes.js';
import renderCachePlugin from './surfaces/render-cache/plugin.js';
import { DirectAnswers } from './surfaces/render-cache/direct-answers.js';
import { statuspageApiRoutes } from './surfaces/statuspage-v2/routes.js';
import { badgeRoutes } from './surfaces/web/badge.routes.js';
import { brandRoutes } from './surfaces/web/brand.routes.js';
import { publicRoutes } from './surfaces/web/routes.js';

export interface AppOptions {
  config: Config;
  database: Database;
  /** Whether closing the app closes the database too. */
  ownsDatabase?: boolean;
  /** The clock every verb, page and scheduler reads (tests move it by hand). */
  now?: Clock;
  /** Response targets by severity; default: the product's (P0 acknowledged in 5 min, …). */
  targets?: ResponseTargets;
  /** Default: JSON lines at `config.logLevel`; `false` in tests. */
  logger?: FastifyServerOptions['logger'];
  /** Sends a claimed reminder; default: mail and webhooks through the outbox (a recorder in tests). */
  reminderNotifier?: ReminderNotifier;
  /** Announces a published postmortem; default: the subscribers, through the outbox (a recorder in tests). */
  postmortemNotifier?: PostmortemNotifier;
  /** Delivery counts by state for /metrics; default: the outbox's (a fixed answer in tests). */
  deliveryCounts?: DeliveryCounts;
  /** Host name resolution for webhook URLs (a stub in tests). */
  resolver?: Resolver;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Response-clock reminders; `tick()` runs one pass (tests drive it with their clock). */
    reminders: ReminderScheduler;
    /** The staff chat channels' digest and overdue postmortems; `tick()` runs one pass. */
    staffDigest: StaffDigest;
    maintenanceScheduler: MaintenanceScheduler;
    /** Polls the other status pages components follow; `tick()` runs one pass. */
    sourcePoller: SourcePoller;
  }
}

/** Where the admin API and alert intake live; nothing they answer may be cached. */
const ADMIN_PREFIX = '/api/admin';
const INGEST_PREFIX = '/api/ingest';
/** The console's screens: signed-in pages, never cached either. */
const CONSOLE_PREFIX = '/admin';

/** The one place that wires plugins and modules together. It reads no environment. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  usePasswordCost(config.testPasswordCost ? TEST_PASSWORD_COST : PASSWORD_COST);
  // The public answers a spike is made of go out from the render cache before routing.
  const directAnswers = new DirectAnswers(SECURITY_HEADERS);
  const timeouts = serverTimeouts(config);
  const app = Fastify({
    // Request log lines name the URL: the subscription links' tokens are taken out of it.
    logger: withRedactedRequests(options.logger ?? { level: config.logLevel }),
    bodyLimit: config.bodyLimitBytes,
    ...timeouts,
    serverFactory: serverWithFrontDoor(timeouts, (request, response) => directAnswers.answer(request, response)),
    // Unknown properties are an error, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
    // Behind a proxy, rate limits must key on the client, not the proxy; but only the proxies
    // named may say who the client is, or every client could choose its own key.
    trustProxy: config.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: sendFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A stored body written before bodies were rendered when written, that cannot be rendered
  // now: the page shows it as plain text, and the log says which entry it is, once.
  onStoredMarkdownFailure((entryId, err) => app.log.warn({ err, entryId }, 'a stored Markdown body could not be rendered; shown as plain text'));
  const now = options.now ?? systemClock;
  const targets = options.targets ?? DEFAULT_RESPONSE_TARGETS;
  const publicDataChanged = () => {
    app.publicCache.invalidate();
    // A public change may have queued notifications: send them now, not at the next poll.
    app.notifications.worker.wake();
    // Other server processes on the same PostgreSQL drop their renders too; a lost
    // notification only delays them until the render TTL.
    options.database.announceChange().catch((err: unknown) => app.log.warn({ err }, 'change notification failed'));
  };

  // The page's settings, stored over the configuration's defaults: the name, zone and language
  // every page, feed and mail reads come from them, so they follow a change without a restart.
  const settings = new SettingsStore(options.database.db, settingsDefaultsOf(config));
  await app.register(contextPlugin, { now, site: settings.site(config.publicUrl), targets });
  // The one place the page's default language is read.
  app.decorate('defaultLanguage', () => settings.current.defaultLanguage);
  compileAllCatalogues();
  await app.register(databasePlugin, { database: options.database, ownsDatabase: options.ownsDatabase ?? false });
  await app.register(settingsPlugin, { store: settings });
  await app.register(notificationsPlugin, { config, resolver: options.resolver });
  // Declared first, @fastify/view adds no onRequest hook to give every reply an empty `locals`:
  // nothing here uses them, and that hook ran on every request, the cached page's too.
  app.decorateReply('locals', null);
  // The one template engine, also used directly for the page fragments rendered on their own.
  const eta = new Eta({ views: viewsDir, cache: !config.reloadTemplates });
  await app.register(view, { engine: { eta }, root: viewsDir, production: !config.reloadTemplates });
  await app.register(errorsPlugin);
  await app.register(requestLimitsPlugin, { maxUrlLength: config.maxUrlLength, maxJsonDepth: config.maxJsonDepth });
  await app.register(privateAnswersPlugin, { prefixes: [ADMIN_PREFIX, INGEST_PREFIX, CONSOLE_PREFIX] });
  await app.register(securityPlugin);
  await app.register(openapiPlugin, { publicUrl: config.publicUrl });
  await app.register(authPlugin, {
    jwtSecret: config.jwtSecret,
    jwtExpiresIn: config.jwtExpiresIn,
    actorForApiToken: apiTokenAuthenticator(options.database.db),
    findUser: (id) => findUserById(options.database.db, id),
    findSessionUser: (sessionId, userId, at) => liveSessionUser(options.database.db, sessionId, userId, at),
  });
  await app.register(renderCachePlugin, {
    ttlMs: config.renderTtlSeconds * 1000,
    maxBytes: config.renderCacheMaxBytes,
    policy: {
      maxAgeSeconds: config.publicMaxAgeSeconds,
      staleWhileRevalidateSeconds: config.publicStaleSeconds,
      staleIfErrorSeconds: config.publicStaleIfErrorSeconds,
    },
    clock: now,
    directAnswers,
  });

  await app.register(healthRoutes);
  await app.register(metricsRoutes, {
    token: config.metricsToken,
    deliveryCounts: options.deliveryCounts ?? (() => countsByState(app.db)),
    renderCache: () => ({ ...app.publicCache.stats(), direct: app.directAnswers.answered }),
  });
  // The public surfaces, each served from the render cache.
  await app.register(publicRoutes, { publicDir, renderUptimeRow: (data) => eta.render('/partials/uptime', data) });
  await app.register(badgeRoutes);
  await app.register(brandRoutes);
  await app.register(feedRoutes);
  await app.register(statuspageApiRoutes);
  await app.register(subscribeRoutes, { rateLimit: config.subscribeRateLimit });
  const postmortemNotifier = options.postmortemNotifier ?? outboxPostmortemNotifier();
  await app.register(adminApi, {
    prefix: ADMIN_PREFIX,
    loginRateLimit: config.loginRateLimit,
    loginRateWindowSeconds: config.loginRateWindowSeconds,
    maxJsonDepth: config.maxJsonDepth,
    postmortems: { notifier: postmortemNotifier },
    onWrite: () => publicDataChanged(),
    onSourceLinked: () => app.sourcePoller.wake(),
  });
  // The console calls the admin API's verbs and tells the public pages of its writes the same way.
  await app.register(consoleRoutes, {
    prefix: CONSOLE_PREFIX,
    publicDir,
    publicUrl: config.publicUrl,
    loginRateLimit: config.loginRateLimit,
    loginRateWindowSeconds: config.loginRateWindowSeconds,
    onWrite: () => publicDataChanged(),
    postmortemNotifier,
    onSourceLinked: () => app.sourcePoller.wake(),
  });
  await app.register(ingestApi, {
    prefix: INGEST_PREFIX,
    severityMap: config.alertSeverityMap,
    defaultSeverity: config.alertDefaultSeverity,
  });
  // Another process's write (announced through the database) makes this process's renders
  // stale too. A listening connection back after a loss may have missed some: the same, and
  // the database is back, so renders need not wait out their backoff.
  // The settings are read again first, so no page is rendered again with the old ones. The
  // pages read lately are then rendered at once, before their readers ask: a write made
  // elsewhere shows here as soon as it can.
  await options.database.onChange((reason) => {
    if (reason === 'reconnected') app.publicCache.recovered();
    void settings
      .reload()
      .catch((err: unknown) => app.log.warn({ err }, 'page settings could not be read again'))
      .finally(() => {
        app.publicCache.invalidate();
        app.publicCache.refreshRecent();
      });
  });

  // Background work: response-clock reminders, the staff digest, the maintenance scheduler and
  // the source poller.
  // All stop in preClose, which runs before every onClose hook, so no tick outlives the database.
  const reminders = new ReminderScheduler(systemContext(app), {
    leadSeconds: config.reminderLeadSeconds,
    intervalSeconds: config.reminderIntervalSeconds,
    notifier: options.reminderNotifier ?? outboxReminderNotifier(app.log, app.site),
    // Reminders are queued in the outbox: send them now, not at the worker's next poll.
    onSent: () => app.notifications.worker.wake(),
  });
  app.decorate('reminders', reminders);
  app.addHook('onReady', async () => reminders.start());
  app.addHook('preClose', async () => reminders.stop());
  // The staff chat channels' digest and overdue postmortems, on the reminders' rhythm.
  const staffDigest = new StaffDigest(systemContext(app), {
    intervalSeconds: config.reminderIntervalSeconds,
    onSent: () => app.notifications.worker.wake(),
  });
  app.decorate('staffDigest', staffDigest);
  app.addHook('onReady', async () => staffDigest.start());
  app.addHook('preClose', async () => staffDigest.stop());
  const scheduler = createMaintenanceScheduler(systemContext(app), {
    intervalMs: config.maintenanceTickSeconds * 1000,
    // A start or a completion changes the page and queues announcements, like an admin write.
    onChange: () => publicDataChanged(),
  });
  app.decorate('maintenanceScheduler', scheduler);
  // A tick in flight finishes first.
  app.addHook('preClose', () => scheduler.stop());
  const sourcePoller = createSourcePoller(systemContext(app), {
    intervalMs: config.sourcePollSeconds * 1000,
    // Each followed page is asked once per interval (a minute where this process does not poll);
    // one that keeps failing less and less often, down to every 30 minutes.
    schedule: { intervalMs: (config.sourcePollSeconds || 60) * 1000, maxBackoffMs: 30 * 60 * 1000 },
    timeoutMs: config.sourcePollTimeoutSeconds * 1000,
    resolver: app.notifications.resolver,
    allowPrivate: config.webhookAllowPrivate,
    // A mirrored status changes the page and queues `component_update` events, like an admin write.
    onChange: () => publicDataChanged(),
  });
  app.decorate('sourcePoller', sourcePoller);
  // Started once the app is ready: an app whose build fails leaves no timer behind.
  app.addHook('onReady', async () => sourcePoller.start());
  app.addHook('preClose', () => sourcePoller.stop());

  return app;
}
