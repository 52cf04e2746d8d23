import { test as base } from 'vitest';
import { createTestApp, type TestAppOptions } from './app.js';
import { makeUser } from './factories.js';
import { startSmtpSink } from './smtp.js';

/**
 * The set-up HTTP specifications share, as vitest fixtures scoped to the file: one app on one
 * fresh database per file, users of each role with a token signed directly, and an SMTP sink
 * for files that read mail. Each is made once, the first time a hook or test asks for it, in
 * the order listed here, and closed after the file's last test (the app before the sink).
 *
 * A file chooses the app's options at its top level, then binds what its tests use:
 *
 *   const clock = new TestClock('2026-11-24T10:00:00Z');
 *   test.override('appOptions', { now: clock.now, config: { maintenanceTickSeconds: 0 } });
 *   test.beforeAll(({ testApp, owner: o }) => {
 *     t = testApp;
 *     owner = o;
 *   });
 *
 * Options that need the sink: `test.override('appOptions', ({ smtp }) => ({ config: { smtpUrl: smtp.url } }))`.
 * A fixture nobody asks for is never made: a file without a viewer creates no viewer.
 */
export const test = base
  /** What `createTestApp` is given; without a `now` the app runs on the machine's clock. */
  .extend('appOptions', { scope: 'file' }, {} as TestAppOptions)
  // vitest reads a fixture's dependencies from its first parameter, so "none" is an empty pattern.
  // eslint-disable-next-line no-empty-pattern
  .extend('smtp', { scope: 'file' }, async ({}, { onCleanup }) => {
    const smtp = await startSmtpSink();
    onCleanup(() => smtp.stop());
    return smtp;
  })
  .extend('testApp', { scope: 'file' }, async ({ appOptions }, { onCleanup }) => {
    const testApp = await createTestApp(appOptions);
    onCleanup(() => testApp.close());
    return testApp;
  })
  .extend('app', { scope: 'file' }, ({ testApp }) => testApp.app)
  .extend('owner', { scope: 'file' }, ({ app }) => makeUser(app, 'owner'))
  .extend('responder', { scope: 'file' }, ({ app }) => makeUser(app, 'responder'))
  .extend('viewer', { scope: 'file' }, ({ app }) => makeUser(app, 'viewer'));
