import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { createWorker } from './notifications/delivery-worker.js';
import { createMailer } from './notifications/mailer.js';
import { SubscriberTokens } from './notifications/subscriber-tokens.js';
import { systemResolver } from './notifications/webhook-sender.js';
import { loadOrCreateSecret } from './secrets.js';

/**
 * `npm run worker`: a delivery worker alone, against DATABASE_URL. Run as many as the mail
 * volume needs; they share the queue without sending anything twice (SKIP LOCKED and a lease).
 * It reads the environment the way the server does, and needs the server's JWT_SECRET: the
 * unsubscribe links are derived from it.
 */
async function main() {
  const env = process.env;
  if (!env.JWT_SECRET && env.NODE_ENV === 'production') throw new ConfigError('JWT_SECRET is required in production');
  const config = loadConfig(env, env.JWT_SECRET ? {} : { jwtSecret: loadOrCreateSecret(env.DATA_DIR ?? './data') });
  const database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  await database.migrate();

  const log = {
    info: (obj: object, msg: string) => console.log(JSON.stringify({ level: 'info', msg, ...obj })),
    warn: (obj: object, msg: string) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
    error: (obj: object, msg: string) => console.error(JSON.stringify({ level: 'error', msg, ...obj, err: String((obj as { err?: unknown }).err) })),
  };
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, maxConnections: Math.min(config.workerConcurrency, 10), log });
  const worker = createWorker(config, {
    db: database.db,
    mailer,
    tokens: new SubscriberTokens(config.jwtSecret),
    site: { pageName: config.pageName, publicUrl: config.publicUrl, timeZone: config.displayTimeZone },
    now: () => new Date(),
    resolver: systemResolver,
    log,
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // Finish the round in progress, so what was sent is marked sent.
      worker
        .stop()
        .then(() => mailer.close())
        .then(() => database.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
  worker.start();
  // On PostgreSQL the server announces public writes: start on them at once, not at the next poll.
  await database.onChange(() => worker.wake());
  // Kept alive by this interval: the worker's own timers do not hold the process open.
  setInterval(() => {}, 1 << 30);
  console.log(`  delivery worker started (concurrency ${config.workerConcurrency}, ${mailer.via === 'smtp' ? 'SMTP' : 'mail to the log'})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
