import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';

/** Per table: its row count and a digest of every row, so a refused request that writes shows. */
export type Fingerprint = Record<string, string>;

function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
}

/**
 * Columns a refused request may still write: an API token's last use is bookkept when it
 * authenticates, whatever the request then asks for (and at most once a minute).
 */
const BOOKKEEPING = 'last_used_at';

/**
 * Builds one query that fingerprints every table of the schema (listed once, here): a refused
 * request must leave all of them as they were, the audit log included. Small test databases
 * make a digest of every row cheap enough to take after each request.
 */
export async function fingerprinter(db: Db): Promise<() => Promise<Fingerprint>> {
  const tables = rowsOf(
    await db.execute(sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`),
  ).map((row) => String(row.table_name));
  if (tables.length === 0) throw new Error('No tables to fingerprint');
  const columns = tables.map(
    (table) =>
      sql`(select count(*) || ':' || coalesce(md5(string_agg(r, ',' order by r)), '') from (select (to_jsonb(t) - ${BOOKKEEPING})::text as r from ${sql.identifier(table)} t) rows) as ${sql.identifier(table)}`,
  );
  const query = sql`select ${sql.join(columns, sql`, `)}`;
  return async () => {
    const [row] = rowsOf(await db.execute(query));
    return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, String(v)]));
  };
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(after).filter((table) => before[table] !== after[table]);
}
