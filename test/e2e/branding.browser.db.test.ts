import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../../src/modules/incidents/index.js';
import { systemContext } from '../../src/modules/context.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditPage, CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from '../helpers/browser.js';
import { makeComponent, makeUser } from '../helpers/factories.js';

describe.skipIf(!chromiumAvailable())('the branded page in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await makeUser(t.app, 'owner');
    const ctx = { ...systemContext(t.app), actor: owner.actor };
    // An open incident of every impact: each impact badge is on the page.
    for (const impact of ['none', 'minor', 'major', 'critical'] as const) {
      const component = await makeComponent(t.app, owner.actor, { name: `Service ${impact}` });
      await createIncident(ctx, {
        title: `Incident of ${impact} impact`,
        severity: 'P2',
        status: 'investigating',
        message: 'Looking into it.',
        impactOverride: impact,
        componentStatuses: { [component.id]: 'degraded_performance' },
      });
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['light', 'dark'] as const)('passes axe-core with a badge of every impact, %s theme', async (colorScheme) => {
    for (const path of ['/', '/history']) {
      expect(await auditPage(browser, `${base}${path}`, { width: 390, pageScript: true, colorScheme }), path).toEqual({ overflow: 0, violations: [] });
    }
  }, 60_000);
});
