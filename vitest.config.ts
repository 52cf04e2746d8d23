import { configDefaults, defineConfig, type TestProjectConfiguration } from 'vitest/config';

/**
 * Tests live where their subject lives in src/ (test/domain/status.test.ts specifies
 * src/domain/status.ts), so a folder says nothing about what a test needs. The file name does:
 * a test file that needs a database ends in `.db.test.ts`, every other test file is pure.
 *
 * Pure tests run once. Database tests run on the embedded PGlite always, and a second time on
 * PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Browser tests (`.browser.db.test.ts`)
 * run on PGlite only: they check screens (markup, layout at 390 px, accessibility, flows), and
 * what the data does on each database is the server tests' to check, on both.
 */
const allTests = 'test/**/*.test.ts';
const databaseTests = 'test/**/*.db.test.ts';
const browserTests = 'test/**/*.browser.db.test.ts';
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
    // Cheap password hashes (src/modules/auth/passwords.ts) in the servers tests start; the apps
    // built in the tests get them from testConfig.
    env: { HG_TEST_PASSWORD_COST: 'low' },
    // Each worker imports the app's modules once, not once per file: a fresh module graph per
    // file cost about three minutes of a CI run. Tests own their state through their app (one
    // per file), never through module-level state, so nothing leaks from one file to the next.
    isolate: false,
    projects: [
      {
        // A zone far from UTC, so a local-time slip in date arithmetic fails here and not in production.
        extends: true,
        test: {
          name: 'unit',
          include: [allTests],
          exclude: [...configDefaults.exclude, databaseTests],
          env: { TZ: 'America/New_York' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: [databaseTests],
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
                include: [databaseTests],
                exclude: [...configDefaults.exclude, browserTests],
                env: { HG_TEST_DB: 'postgres' },
                globalSetup: ['test/helpers/postgres-template.ts'],
              },
            },
          ] satisfies TestProjectConfiguration[])
        : []),
    ],
  },
});
