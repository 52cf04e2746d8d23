import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, and no calls home on a closed network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * Whether browser tests can run. Without Chromium they are skipped, and say so; on CI (which
 * installs it) a missing browser is a failure, never a silent skip.
 */
export function chromiumAvailable(): boolean {
  const present = existsSync(CHROMIUM_PATH);
  if (!present && process.env.CI) throw new Error(`CI must run the browser tests, but ${CHROMIUM_PATH} is missing`);
  if (!present) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  return present;
}
