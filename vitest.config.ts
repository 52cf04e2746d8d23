import { defineConfig, type TestProjectConfiguration } from 'vitest/config';

/**
 * Unit tests run once. Tests that touch the database run on the embedded PGlite always, and a
 * second time on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
 */
const databaseTests = ['test/modules/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/surfaces/**/*.test.ts'];
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
if (!onPostgres) {
  // CI provides PostgreSQL: there, a missing URL is a broken set-up, not a reason to skip.
  if (process.env.CI) throw new Error('CI must run the PostgreSQL tests: set TEST_DATABASE_URL');
  console.warn('PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set (they run on PGlite only)');
}

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      {
        // A zone far from UTC, so a local-time slip in date arithmetic fails here and not in production.
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env: { TZ: 'America/New_York' } },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: databaseTests,
          env: { HG_TEST_DB: 'pglite' },
          globalSetup: ['test/helpers/pglite-snapshot.ts'],
        },
      },
      ...(onPostgres
        ? ([
            {
              extends: true,
              test: {
                name: 'postgres',
                include: databaseTests,
                env: { HG_TEST_DB: 'postgres' },
                globalSetup: ['test/helpers/postgres-template.ts'],
              },
            },
          ] satisfies TestProjectConfiguration[])
        : []),
    ],
  },
});
