import type { Site } from './core/site.js';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { DEFAULT_SEVERITY_MAP, parseSeverityMap } from './domain/alertmanager.js';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './domain/languages.js';

const Severity = Type.Union([Type.Literal('P0'), Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3')]);

/** The one description of configuration: validation and the `Config` type both come from it. */
export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** Unset: the embedded PGlite database under `dataDir`. */
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  dataDir: Type.String({ minLength: 1, default: './data' }),
  /** Base of absolute links in feeds and mail, without a trailing slash. Unset: this server's own address. */
  publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^/]+' })),
  /** At least 32 bytes of UTF-8, checked in `parseConfig`: a length in characters would be wrong. */
  jwtSecret: Type.String({ minLength: 1 }),
  jwtExpiresIn: Type.String({ default: '12h' }),
  adminEmail: Type.Optional(Type.String()),
  adminPassword: Type.Optional(Type.String({ minLength: 12 })),
  smtpUrl: Type.Optional(Type.String()),
  mailFrom: Type.String({ default: 'Heliograph <status@localhost>' }),
  pageName: Type.String({ minLength: 1, maxLength: 100, default: 'Heliograph Status' }),
  displayTimeZone: Type.String({ default: 'UTC' }),
  /** The public page's language where the settings and the reader (`?lang=`) name none: one of LANGUAGES. */
  defaultLanguage: Type.String({ default: DEFAULT_LANGUAGE }),
  /** Seed demo components and an incident on an empty database. Default: on for PGlite only. */
  demoData: Type.Optional(Type.Boolean()),
  production: Type.Boolean({ default: false }),
  /**
   * Password hashes at a test suite's cost, far below OWASP's floor (`HG_TEST_PASSWORD_COST=low`,
   * see src/modules/auth/passwords.ts). Refused in production.
   */
  testPasswordCost: Type.Boolean({ default: false }),
  /**
   * Read the templates from disk at each render, so an edit shows at the next reload
   * (`npm run dev`). Off, each is compiled once: a render then costs the data and the markup only.
   */
  reloadTemplates: Type.Boolean({ default: false }),
  /**
   * Which peers may say who the client is (X-Forwarded-For): the proxies' addresses, CIDR
   * ranges, or `loopback` / `linklocal` / `uniquelocal`. Unset: none, so no client can pick
   * its own rate-limit key.
   */
  trustProxy: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  logLevel: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')],
    { default: 'info' },
  ),
  /** Largest accepted request body. */
  bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1024 * 1024 }),
  /**
   * A request's headers must arrive within this, and the whole request (headers and body) within
   * `requestTimeoutSeconds`, or the connection gets a 408 and is closed: a client trickling bytes
   * cannot hold a connection open. Checked every few seconds, so the cut comes at most 5 s late.
   */
  headersTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 10 }),
  requestTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
  /** A connection on which nothing moves for this long, either way, is closed (a reader that stops reading). */
  connectionTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  /**
   * How long an idle keep-alive connection stays open between requests. Longer than the 60 s
   * idle timeout of common load balancers, so the proxy, not this server, closes first.
   */
  keepAliveTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 72 }),
  /** Longest accepted request target (path and query string), in bytes; longer is a 414. */
  maxUrlLength: Type.Integer({ minimum: 256, maximum: 16_384, default: 2048 }),
  /** Deepest accepted nesting of arrays and objects in a JSON body; deeper is a 400. */
  maxJsonDepth: Type.Integer({ minimum: 1, maximum: 256, default: 32 }),
  /** Login attempts per client address per minute. */
  loginRateLimit: Type.Integer({ minimum: 1, default: 10 }),
  /** The window `loginRateLimit` counts over. */
  loginRateWindowSeconds: Type.Integer({ minimum: 1, default: 60 }),
  /** How long CDNs and browsers may keep a public page, and serve it stale. */
  publicMaxAgeSeconds: Type.Integer({ minimum: 0, default: 15 }),
  publicStaleSeconds: Type.Integer({ minimum: 0, default: 60 }),
  publicStaleIfErrorSeconds: Type.Integer({ minimum: 0, default: 86_400 }),
  /** A rendered public page is rebuilt at least this often, so "5 minutes ago" stays true. */
  renderTtlSeconds: Type.Integer({ minimum: 1, default: 60 }),
  /**
   * Memory for rendered public answers, raw and compressed forms together. Beyond it the least
   * recently read pages go; the status page, the feeds and the Statuspage API never do. Those,
   * in all six languages, took 1.8 MB at 50 components and 1,000 incidents and 9.5 MB at 200 and
   * 10,000: 16 MiB holds them with room for the most read other pages, and keeps a crawler
   * walking every page from adding more than that to a process of about 150 MB.
   */
  renderCacheMaxBytes: Type.Integer({ minimum: 1024 * 1024, default: 16 * 1024 * 1024 }),
  /** Alertmanager `severity` label (lower case) → incident severity; P0–P3 map to themselves. */
  alertSeverityMap: Type.Record(Type.String(), Severity, { default: { ...DEFAULT_SEVERITY_MAP } }),
  /** The severity of an alert whose `severity` label is missing or not in the map. */
  alertDefaultSeverity: Type.Union(Severity.anyOf, { default: 'P2' }),
  /** How often the reminder scheduler checks the response clocks; 0 turns it off. */
  reminderIntervalSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
  /** Responders are warned this long before an update or acknowledgement is due. */
  reminderLeadSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 120 }),
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`; unset, it is public. */
  metricsToken: Type.Optional(Type.String({ minLength: 16 })),
  /** How often the scheduler starts and completes due maintenance; 0 turns it off (another process runs it). */
  maintenanceTickSeconds: Type.Integer({ minimum: 0, default: 30 }),
  /** Run the delivery worker inside the server (`WORKER=off` when separate workers run). */
  worker: Type.Boolean({ default: true }),
  /** Deliveries one worker sends at once (and SMTP connections it keeps). */
  workerConcurrency: Type.Integer({ minimum: 1, maximum: 200, default: 16 }),
  workerPollMs: Type.Integer({ minimum: 10, default: 1000 }),
  /**
   * How long a claimed delivery stays a worker's own; after that a dead worker's claim is
   * retried. Short because a live worker renews it (a heartbeat every third of it).
   */
  deliveryLeaseSeconds: Type.Integer({ minimum: 1, default: 20 }),
  /** Tries before a delivery is `dead`; waits double from `deliveryRetrySeconds`, at most an hour. */
  deliveryMaxAttempts: Type.Integer({ minimum: 1, default: 8 }),
  deliveryRetrySeconds: Type.Integer({ minimum: 0, default: 30 }),
  /** Subscription requests per client address per hour. */
  subscribeRateLimit: Type.Integer({ minimum: 1, default: 10 }),
  /** How often other status pages that components follow are polled; 0 turns polling off in this process. */
  sourcePollSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
  /** A followed status page must answer completely within this. */
  sourcePollTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 120, default: 10 }),
  /** Let webhooks, and polls of followed status pages, reach private and loopback addresses (an internal network). */
  webhookAllowPrivate: Type.Boolean({ default: false }),
});

/** After parsing, `publicUrl` is always set. */
export type Config = Static<typeof ConfigSchema> & { publicUrl: string; defaultLanguage: Language };

export class ConfigError extends Error {}

/** Options win over the environment, which wins over defaults. */
export function loadConfig(
  rawEnv: Record<string, string | undefined>,
  options: Partial<Config> = {},
): Config {
  // An empty variable is an unset one: `PORT=` must not mean "any port".
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const fromEnv: Record<string, unknown> = {
    port: env.PORT === undefined ? undefined : Number(env.PORT),
    host: env.HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    jwtSecret: env.JWT_SECRET,
    jwtExpiresIn: env.JWT_EXPIRES_IN,
    adminEmail: env.ADMIN_EMAIL,
    adminPassword: env.ADMIN_PASSWORD,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM,
    pageName: env.PAGE_NAME,
    displayTimeZone: env.TZ_DISPLAY,
    defaultLanguage: env.DEFAULT_LANGUAGE?.toLowerCase(),
    // Empty is unset, as for the URLs: `DEMO_DATA=` must not seed a PostgreSQL database.
    demoData: !env.DEMO_DATA ? undefined : !isOff(env.DEMO_DATA),
    production: env.NODE_ENV === 'production',
    testPasswordCost: testPasswordCostFromEnv(env.HG_TEST_PASSWORD_COST),
    reloadTemplates: env.RELOAD_TEMPLATES === undefined ? undefined : !isOff(env.RELOAD_TEMPLATES),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL,
    alertSeverityMap: env.ALERT_SEVERITY_MAP === undefined ? undefined : severityMapFromEnv(env.ALERT_SEVERITY_MAP),
    alertDefaultSeverity: env.ALERT_DEFAULT_SEVERITY?.toUpperCase(),
    reminderIntervalSeconds: env.REMINDER_INTERVAL_SECONDS === undefined ? undefined : Number(env.REMINDER_INTERVAL_SECONDS),
    reminderLeadSeconds: env.REMINDER_LEAD_SECONDS === undefined ? undefined : Number(env.REMINDER_LEAD_SECONDS),
    metricsToken: env.METRICS_TOKEN,
    maintenanceTickSeconds: env.MAINTENANCE_TICK_SECONDS === undefined ? undefined : Number(env.MAINTENANCE_TICK_SECONDS),
    worker: env.WORKER === undefined ? undefined : !isOff(env.WORKER),
    workerConcurrency: numberOrUndefined(env.WORKER_CONCURRENCY),
    workerPollMs: numberOrUndefined(env.WORKER_POLL_MS),
    deliveryLeaseSeconds: numberOrUndefined(env.DELIVERY_LEASE_SECONDS),
    deliveryMaxAttempts: numberOrUndefined(env.DELIVERY_MAX_ATTEMPTS),
    deliveryRetrySeconds: numberOrUndefined(env.DELIVERY_RETRY_SECONDS),
    subscribeRateLimit: numberOrUndefined(env.SUBSCRIBE_RATE_LIMIT),
    sourcePollSeconds: numberOrUndefined(env.SOURCE_POLL_SECONDS),
    sourcePollTimeoutSeconds: numberOrUndefined(env.SOURCE_POLL_TIMEOUT_SECONDS),
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === undefined ? undefined : !isOff(env.WEBHOOK_ALLOW_PRIVATE),
    headersTimeoutSeconds: numberOrUndefined(env.HEADERS_TIMEOUT_SECONDS),
    requestTimeoutSeconds: numberOrUndefined(env.REQUEST_TIMEOUT_SECONDS),
    connectionTimeoutSeconds: numberOrUndefined(env.CONNECTION_TIMEOUT_SECONDS),
    keepAliveTimeoutSeconds: numberOrUndefined(env.KEEP_ALIVE_TIMEOUT_SECONDS),
    maxUrlLength: numberOrUndefined(env.MAX_URL_LENGTH),
    maxJsonDepth: numberOrUndefined(env.MAX_JSON_DEPTH),
    renderCacheMaxBytes: numberOrUndefined(env.RENDER_CACHE_MAX_BYTES),
  };
  const merged = { ...withoutUndefined(fromEnv), ...withoutUndefined(options) };
  return parseConfig(merged);
}

/** `HG_TEST_PASSWORD_COST`: `low`, or unset. */
function testPasswordCostFromEnv(value: string | undefined): boolean | undefined {
  if (!value) return undefined;
  if (value !== 'low') throw new ConfigError(`HG_TEST_PASSWORD_COST must be "low" or unset, not "${value}"`);
  return true;
}

/** Validates a complete configuration (tests build one directly). */
export function parseConfig(input: Record<string, unknown>): Config {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(input));
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${detail}`);
  }
  const config = withDefaults as Config;
  // A JWT secret is measured in bytes, the length of the HMAC key: 16 two-byte characters are enough.
  if (Buffer.byteLength(config.jwtSecret, 'utf8') < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes');
  }
  if (!isTimeZone(config.displayTimeZone)) {
    throw new ConfigError(`TZ_DISPLAY: unknown time zone ${config.displayTimeZone}`);
  }
  if (!isLanguage(config.defaultLanguage)) {
    throw new ConfigError(`DEFAULT_LANGUAGE: ${config.defaultLanguage} is not one of ${LANGUAGES.join(', ')}`);
  }
  // A check less often than the warning window lasts can pass the window by: the warning
  // never goes out and the first word responders get is that they are already late.
  if (config.reminderIntervalSeconds > 0 && config.reminderLeadSeconds > 0 && config.reminderIntervalSeconds > config.reminderLeadSeconds) {
    throw new ConfigError('REMINDER_INTERVAL_SECONDS must not exceed REMINDER_LEAD_SECONDS, or due-soon reminders can be skipped');
  }
  if (config.production && config.testPasswordCost) {
    throw new ConfigError('HG_TEST_PASSWORD_COST is for the test suite: a production server keeps the full password cost');
  }
  // Node refuses a server whose headers may take longer than the whole request.
  if (config.headersTimeoutSeconds > config.requestTimeoutSeconds) {
    throw new ConfigError('HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS');
  }
  const ownAddress = `http://${reachableHost(config.host)}:${config.port}`;
  return { ...config, publicUrl: (config.publicUrl ?? ownAddress).replace(/\/+$/, '') };
}

/** The address to reach a server listening on `host`; an IPv6 literal goes in brackets in a URL. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function severityMapFromEnv(value: string) {
  try {
    return parseSeverityMap(value);
  } catch (error) {
    throw new ConfigError(`ALERT_SEVERITY_MAP: ${(error as Error).message}`);
  }
}

function isOff(value: string): boolean {
  return ['false', '0', 'no', 'off'].includes(value.toLowerCase());
}

const numberOrUndefined = (value: string | undefined) => (value === undefined ? undefined : Number(value));

function parseTrustProxy(value: string | undefined): string[] | undefined {
  const list = value?.split(',').map((part) => part.trim()).filter(Boolean) ?? [];
  return list.length > 0 ? list : undefined;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** What the page's settings default to: the environment's name, zone and language. */
export function settingsDefaultsOf(config: Config): { pageName: string; timeZone: string; defaultLanguage: Language } {
  return { pageName: config.pageName, timeZone: config.displayTimeZone, defaultLanguage: config.defaultLanguage };
}

/** The page's identity, as the configuration gives it. */
export function siteOf(config: Config): Site {
  return { pageName: config.pageName, publicUrl: config.publicUrl, timeZone: config.displayTimeZone };
}
