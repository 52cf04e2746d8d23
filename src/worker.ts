import { settingsDefaultsOf } from './config.js';
import { systemClock } from './core/clock.js';
import { SettingsStore } from './modules/settings/index.js';
import { createWorker } from './notifications/delivery-worker.js';
import { createMailer } from './notifications/mailer.js';
import { SubscriberTokens } from './notifications/subscriber-tokens.js';
import { systemResolver } from './notifications/webhook-sender.js';
import { startFailure } from './start-failure.js';
import { createLogger, exitOnDatabaseFailure, startUp, stopOnSignals } from './startup.js';

/**
 * `npm run worker`: a delivery worker alone, against DATABASE_URL. Run as many as the mail
 * volume needs; they share the queue without sending anything twice (SKIP LOCKED and a lease).
 * It starts up as the server does, and needs the server's JWT_SECRET: the unsubscribe links
 * are derived from it.
 */
async function main() {
  const { config, database } = await startUp(process.env);
  const log = createLogger(config);
  exitOnDatabaseFailure(database, log, config.dataDir);
  // Mails name the page as its settings do: read now and again on every announced change.
  const settings = new SettingsStore(database.db, settingsDefaultsOf(config));
  await settings.reload().catch((err: unknown) => log.warn({ err }, 'page settings could not be read; the configured defaults apply'));
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, maxConnections: Math.min(config.workerConcurrency, 10), log });
  const worker = createWorker(config, {
    db: database.db,
    mailer,
    tokens: new SubscriberTokens(config.jwtSecret),
    site: settings.site(config.publicUrl),
    now: systemClock,
    resolver: systemResolver,
    log,
  });

  stopOnSignals(log, [
    // The round in flight finishes, so what was sent is marked sent.
    { name: 'delivery worker', close: () => worker.stop() },
    { name: 'mailer', close: () => mailer.close() },
    { name: 'database', close: () => database.close() },
  ]);
  worker.start();
  // On PostgreSQL the server announces public writes: start on them at once, not at the next poll.
  await database.onChange(() => {
    void settings.reload().catch((err: unknown) => log.warn({ err }, 'page settings could not be read again'));
    worker.wake();
  });
  // Kept alive by this interval: the worker's own timers do not hold the process open.
  setInterval(() => {}, 1 << 30);
  console.log(`  delivery worker started (concurrency ${config.workerConcurrency}, ${mailer.via === 'smtp' ? 'SMTP' : 'mail to the log'})`);
}

main().catch((error: unknown) => {
  // A known cause in one line (what to fix); anything else with its stack.
  console.error(startFailure(error, process.env) ?? error);
  process.exit(1);
});
