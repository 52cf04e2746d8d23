import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
