import type { DbOrTx } from './client.js';

/**
 * A query built once per database handle (drizzle's `.prepare`) and run after with new values
 * (`sql.placeholder`): drizzle does not build its SQL again at every call, and on PostgreSQL
 * each connection prepares the statement once, so the server does not parse and plan it again
 * at every run either (PGlite, in this process, still plans each run). For the reads of every
 * public render, where building and planning cost as much as answering.
 *
 * Timestamps go in as ISO strings: a placeholder's value reaches the driver as it is, and
 * postgres.js takes no Date where drizzle left timestamps to it.
 */
export function preparedPer<Query>(build: (db: DbOrTx) => Query): (db: DbOrTx) => Query {
  const built = new WeakMap<DbOrTx, Query>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
