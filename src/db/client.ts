import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { createFileAtomically, keepPrivate } from '../files.js';
import { migrationsDir } from '../paths.js';
import { guardPglite } from './pglite-guard.js';
import { preparingEveryPrepared } from './prepared-statements.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** One type for both drivers: every repository takes a `Db` or a `Tx` and never knows which. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * Why the database can answer nothing any more (the embedded one after a PANIC: see
   * pglite-guard.ts), or null. A pool reconnects by itself, so on PostgreSQL it stays null.
   */
  failure(): Error | null;
  /** `listener` runs once, when `failure()` becomes set. */
  onFailure(listener: (error: Error) => void): void;
  /** Applies the migrations in `drizzle/`; safe to call from several processes at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Tells every other process on this database that public data changed. */
  announceChange(): Promise<void>;
  /**
   * Runs `listener` when another process announces a change (this one's own announcements
   * are not heard: it acted on its change already), and with `'reconnected'` when the
   * listening connection comes back after a loss, as announcements may have been missed.
   */
  onChange(listener: (reason: ChangeReason) => void): Promise<void>;
}

export type ChangeReason = 'change' | 'reconnected';

/** The NOTIFY channel public-page caches listen on. */
const CHANGE_CHANNEL = 'heliograph_public_change';

/** `loadDataDir` starts an in-memory database from a PGlite `dumpDataDir()` tarball instead of an empty one. */
export type DatabaseTarget =
  | { databaseUrl: string }
  | { dataDir: string }
  | { inMemory: true; loadDataDir?: Blob };

// Any constant will do: it only has to be the same for every process migrating one database.
const MIGRATION_LOCK_ID = 4_815_162_342;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('databaseUrl' in target) return openPostgres(target.databaseUrl);
  if ('dataDir' in target) return openPglite(target.dataDir);
  return openPglite(undefined, target.loadDataDir);
}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt
 * them. A lock file naming the owner's pid keeps a second `npm start` out; a lock left by a
 * process that died is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'heliograph.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (createFileAtomically(file, String(process.pid))) return () => rmSync(file, { force: true });
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner === process.pid) return () => rmSync(file, { force: true });
    if (owner && isAlive(owner)) {
      throw new Error(`${dir} is in use by another Heliograph process (pid ${owner}); stop it or use another DATA_DIR`);
    }
    // The owner died without cleaning up: remove its lock and race for a fresh one.
    rmSync(file, { force: true });
  }
  throw new Error(`${dir} is being opened by another Heliograph process; try again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  // Loaded here, not at the top: a server on PostgreSQL never needs the embedded database,
  // and its module (and drizzle's driver for it) would stay in memory for nothing.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let location: string | undefined;
  let unlock = () => {};
  if (dataDir) {
    location = resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(resolve(dataDir));
  }
  const pglite = await PGlite.create(location, loadDataDir ? { loadDataDir } : undefined);
  const guard = guardPglite(pglite);
  const client = guard.client;
  // The data folder is the owner's alone: the database, the JWT secret, the lock. PGlite makes
  // some files readable by everyone, and an older install may have made the rest so.
  if (dataDir) keepPrivate(resolve(dataDir));
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    failure: guard.failure,
    onFailure: guard.onFailure,
    // PGlite lives in this process alone, so no other process can be migrating it.
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: migrationsDir }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      // A dead instance never finishes closing; its lock is taken over at the next start.
      if (!guard.failure()) await pglite.close();
      unlock();
      // Files PGlite made while it ran, with its own modes.
      if (location) keepPrivate(location);
    },
    // One process owns an embedded database: the local cache is all there is to tell.
    announceChange: async () => {},
    onChange: async () => {},
  };
}

/**
 * Seconds before the next connection attempt after `retries` failed ones: 0.1, 0.2, 0.4 … at
 * most 2 (postgres.js's own grows to 20 s). A database back from an outage is in use again
 * within about two seconds, and an attempt refused at once costs next to nothing.
 */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(2, 0.1 * 2 ** Math.max(0, retries - 1));
}

async function openPostgres(url: string): Promise<Database> {
  // Names this pool in its announcements, so that it can tell its own from other processes'.
  const instanceId = randomUUID();
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    connect_timeout: 5,
    backoff: reconnectDelaySeconds,
    // A stuck query or a forgotten transaction must not hold a connection (and its locks) forever.
    // No JIT: every query here is short, and on tables whose statistics are stale (a fresh
    // import, before autovacuum analyses them) the planner's estimates can pass jit_above_cost,
    // so that compiling took 156 ms of the status page's 5 ms read of its incidents' updates.
    connection: { statement_timeout: 15_000, idle_in_transaction_session_timeout: 30_000, jit: 'off' },
  });
  const db = drizzlePostgres(preparingEveryPrepared(client), { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    failure: () => null,
    onFailure: () => {},
    migrate: async () => {
      // A dedicated single connection: the advisory lock is held by a session, and the
      // migrator must run on that same session for the lock to keep other processes out.
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
        await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder: migrationsDir });
        await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
      } finally {
        await lockClient.end();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
    announceChange: async () => {
      await client.notify(CHANGE_CHANNEL, instanceId);
    },
    onChange: async (listener) => {
      // postgres.js listens again by itself after a lost connection, and says so each time.
      let listening = false;
      await client.listen(
        CHANGE_CHANNEL,
        (payload) => {
          if (payload !== instanceId) listener('change');
        },
        () => {
          if (listening) listener('reconnected');
          listening = true;
        },
      );
    },
  };
}
