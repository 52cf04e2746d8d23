import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import type { ResponseTargets } from '../../src/domain/response-clocks.js';
import type { Resolver } from '../../src/notifications/webhook-sender.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestAppOptions {
  now?: () => Date;
  config?: Partial<Config>;
  targets?: ResponseTargets;
  /** Collaborators a test swaps in (a recording reminder notifier, say). */
  extra?: Pick<AppOptions, 'reminderNotifier' | 'postmortemNotifier' | 'deliveryCounts'>;
  resolver?: Resolver;
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close: () => Promise<void>;
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return parseConfig({
    jwtSecret: TEST_SECRET,
    logLevel: 'silent',
    publicUrl: 'https://status.example.test',
    pageName: 'Example Status',
    // Tests run reminder passes themselves (`app.reminders.tick()`) with their own clock.
    reminderIntervalSeconds: 0,
    // Tests poll followed status pages themselves (`app.sourcePoller.tick()`), never on a timer.
    sourcePollSeconds: 0,
    // Tests run the delivery worker on demand (`app.notifications.worker.drain()`), on their clock.
    worker: false,
    // Cheap password hashes: every file makes an owner and logs in (src/modules/auth/passwords.ts).
    // A production app refuses them, and hashes at the full cost.
    testPasswordCost: overrides.production !== true,
    ...overrides,
  });
}

/** One app on one fresh database per test file (build it in `beforeAll`). */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp({
    config: testConfig(options.config),
    database,
    ownsDatabase: true,
    now: options.now,
    targets: options.targets,
    resolver: options.resolver,
    logger: false,
    ...options.extra,
  });
  await app.ready();
  return { app, database, close: () => app.close() };
}
