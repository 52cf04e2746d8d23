import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublicSnapshot } from '../../src/db/public-versions.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/db.js';

/** The settings every connection of the app's PostgreSQL pool starts with. */
describe.skipIf(testDatabaseKind !== 'postgres')('a PostgreSQL connection of the app', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const setting = async (name: string) => {
    const rows = (await database.db.execute(sql`select current_setting(${name}) as value`)) as unknown as Array<{ value: string }>;
    return rows[0]!.value;
  };

  it('never JIT-compiles (short queries only; stale statistics made one read 30 times slower) and bounds stuck statements and transactions', async () => {
    expect(await setting('jit')).toBe('off');
    expect(await setting('statement_timeout')).toBe('15s');
    expect(await setting('idle_in_transaction_session_timeout')).toBe('30s');
  });

  it('prepares the statements drizzle prepares, those without parameters too (the status page’s snapshot read)', async () => {
    // One query at a time: the pool has opened one connection, and every query here runs on it.
    await readPublicSnapshot(database.db);
    const rows = (await database.db.execute(
      sql`select count(*)::int as n from pg_prepared_statements where statement like '%from "public_versions"%'`,
    )) as unknown as Array<{ n: number }>;
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });
});
