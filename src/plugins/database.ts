import fp from 'fastify-plugin';
import { Errors } from '../core/errors.js';
import type { Database, Db } from '../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The only way code reaches the database. */
    db: Db;
    database: Database;
  }
}

export interface DatabasePluginOptions {
  database: Database;
  /** Whether closing the app closes the database (false when a test owns it). */
  ownsDatabase: boolean;
}

export default fp<DatabasePluginOptions>(
  async (app, { database, ownsDatabase }) => {
    app.decorate('database', database);
    app.decorate('db', database.db);
    if (ownsDatabase) app.addHook('onClose', async () => database.close());
    // An embedded database that died (see pglite-guard.ts) answers nothing: every request is a
    // 503 at once, before any handler waits on it, until the process restarts. Synchronous, and
    // only where it can happen: it runs on every request.
    if (database.kind === 'pglite') {
      app.addHook('onRequest', (_request, _reply, done) => done(database.failure() ? new Errors.databaseUnavailable() : undefined));
    }
  },
  { name: 'database' },
);
