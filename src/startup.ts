/**
 * What every entry point (`npm start`, `npm run worker`, `npm run reset-password`) does before
 * its own work, and how the long-running ones stop. It reads no environment itself: an entry
 * file hands `process.env` in, once.
 */
import pino, { type Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database, type DatabaseTarget } from './db/client.js';
import { loadOrCreateSecret } from './secrets.js';

/** The environment, as an entry file passes it on. */
export type Env = Record<string, string | undefined>;

/**
 * The configuration from the environment. Production must set JWT_SECRET; elsewhere an unset
 * one is made on first start and kept in DATA_DIR, so tokens and unsubscribe links survive a
 * restart.
 */
export function configFromEnv(env: Env): Config {
  if (!env.JWT_SECRET && env.NODE_ENV === 'production') throw new ConfigError('JWT_SECRET is required in production');
  if (env.JWT_SECRET) return loadConfig(env);
  // An empty DATA_DIR is an unset one, as in loadConfig: the secret goes where the data goes.
  const dataDir = env.DATA_DIR?.trim() ? env.DATA_DIR : './data';
  return loadConfig(env, { jwtSecret: loadOrCreateSecret(dataDir) });
}

/** The database `target` names, with the migrations in `drizzle/` applied. */
export async function openMigratedDatabase(target: DatabaseTarget): Promise<Database> {
  const database = await openDatabase(target);
  try {
    await database.migrate();
  } catch (error) {
    // Let go of the embedded database's lock file before the process gives up.
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}

export interface Startup {
  config: Config;
  /** Open and migrated; the entry closes it (a `Closer` of `stopOnSignals`). */
  database: Database;
}

/** Reads the environment once into the config, then opens and migrates the database it names. */
export async function startUp(env: Env): Promise<Startup> {
  const config = configFromEnv(env);
  const database = await openMigratedDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  return { config, database };
}

/**
 * The options of a process's one logger: pino's JSON lines on stdout at `config.logLevel`. The
 * server gives them to Fastify, whose `app.log` is made from them (request URLs redacted by
 * `buildApp`); the other entries make theirs with `createLogger`. One set of options, so every
 * process writes the same lines.
 */
export function loggerOptions(config: Config): { level: Config['logLevel'] } {
  return { level: config.logLevel };
}

/** The logger of an entry that runs no Fastify app (the delivery worker). */
export function createLogger(config: Config): Logger {
  return pino(loggerOptions(config));
}

/** How long a process whose database died keeps answering 503 before it exits. */
export const FAILED_DATABASE_EXIT_MS = 1_000;

/**
 * When the database dies for good (the embedded one after a PANIC: see db/pglite-guard.ts),
 * logs one line saying so and exits 1 a moment later, so a supervisor starts a fresh process:
 * PostgreSQL's recovery at that start is what brings the database back. Meanwhile every
 * request is answered 503 at once. No graceful stop: closing a dead database never finishes.
 */
export function exitOnDatabaseFailure(
  database: Pick<Database, 'onFailure'>,
  log: Pick<StopLog, 'error'>,
  where: string,
  exit: (code: 1) => void = (code) => process.exit(code),
): void {
  database.onFailure((err) => {
    log.error({ err }, `the embedded database in ${where} stopped (${err.message.split('\n')[0]}); exiting for a restart`);
    setTimeout(() => exit(1), FAILED_DATABASE_EXIT_MS);
  });
}

/** One step of a graceful stop, named in the log if it fails or hangs. */
export interface Closer {
  name: string;
  close: () => Promise<void>;
}

/**
 * How long a graceful stop may take before the process exits anyway, with code 1. Under the
 * 10 s that `docker stop` (like most supervisors) waits before SIGKILL, so the line naming
 * what hung is written before the kill. A delivery left half done is safe: its lease runs out
 * and another worker retries it.
 */
export const STOP_DEADLINE_MS = 9_000;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface StopLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface StopOptions {
  /** Default `STOP_DEADLINE_MS`. */
  deadlineMs?: number;
  /** Where SIGINT and SIGTERM arrive, and how the process ends; tests pass their own. */
  signals?: { on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown };
  exit?: (code: 0 | 1) => void;
}

/**
 * On the first SIGINT or SIGTERM: runs `closers` one after the other, in order, and exits 0,
 * or 1 if one of them failed (the later ones still run: a failed mailer must not leave the
 * database open). If they are not done within the deadline, logs which one hung and exits 1.
 * A second signal exits 1 at once.
 */
export function stopOnSignals(log: StopLog, closers: readonly Closer[], options: StopOptions = {}): void {
  const { deadlineMs = STOP_DEADLINE_MS, signals = process, exit = (code: 0 | 1) => process.exit(code) } = options;
  let stopping = false;
  let exited = false;
  const exitOnce = (code: 0 | 1) => {
    if (exited) return;
    exited = true;
    exit(code);
  };

  const stop = async (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    let current = 0;
    const deadline = setTimeout(() => {
      const hung = closers[current]?.name;
      const skipped = closers.slice(current + 1).map((closer) => closer.name);
      log.error({ hung, skipped, deadlineMs }, `shutdown took longer than ${deadlineMs} ms: ${hung} did not finish`);
      exitOnce(1);
    }, deadlineMs);
    let failed = false;
    for (; current < closers.length; current += 1) {
      const closer = closers[current]!;
      try {
        await closer.close();
      } catch (err) {
        failed = true;
        log.error({ err, closer: closer.name }, 'error during shutdown');
      }
      if (exited) return;
    }
    clearTimeout(deadline);
    exitOnce(failed ? 1 : 0);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal during shutdown: exiting now');
      exitOnce(1);
      return;
    }
    stopping = true;
    void stop(signal);
  };
  for (const signal of STOP_SIGNALS) signals.on(signal, onSignal);
}
