import fp from 'fastify-plugin';
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
  },
  { name: 'database' },
);
