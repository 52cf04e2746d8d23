import { parseConfig, type Config } from '../src/config.js';

/** The secret every bench signs its tokens with. */
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret!';

/**
 * The config of an app a bench builds: as deployed (the Dockerfile sets NODE_ENV=production;
 * templates compiled once, as they are unless RELOAD_TEMPLATES is on), silent, and with nothing in the
 * background, so the time measured is the requests' and the renders'. `overrides` adds what a
 * bench needs besides (an SMTP URL, a public URL, the worker).
 */
export function benchConfig(overrides: Parameters<typeof parseConfig>[0] = {}): Config {
  return parseConfig({
    production: true,
    jwtSecret: BENCH_JWT_SECRET,
    logLevel: 'silent',
    worker: false,
    reminderIntervalSeconds: 0,
    maintenanceTickSeconds: 0,
    ...overrides,
  });
}
