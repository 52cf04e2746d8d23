import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { withDatabase } from './postgres-template.js';

/** Which database this test run uses; the vitest projects set it. */
export const testDatabaseKind = process.env.HG_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** On PostgreSQL, `url` lets a test open a second connection pool, as another process would. */
export type TestDatabase = Database & { url?: string };

/**
 * A fresh, migrated database for one test file: an in-memory PGlite started from the migrated
 * snapshot (test/helpers/pglite-snapshot.ts), or on PostgreSQL a copy of the migrated template
 * (test/helpers/postgres-template.ts). Closing it drops the copy.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  // The unit project sets no HG_TEST_DB: a test that gets here is named as a pure one.
  if (!process.env.HG_TEST_DB) throw new Error('A test that needs a database belongs in a file named *.db.test.ts');
  if (testDatabaseKind === 'pglite') {
    const snapshot = inject('pgliteSnapshot');
    if (!snapshot) {
      throw new Error('No PGlite snapshot: the project must run test/helpers/pglite-snapshot.ts as globalSetup');
    }
    return openDatabase({ inMemory: true, loadDataDir: new Blob([readFileSync(snapshot)]) });
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `hg_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ databaseUrl: url });
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
