import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';

/**
 * Regression: every well-formed incident id used to be a key of the 1000-entry render cache,
 * so anyone could push the status page's last good render out, and an outage after that
 * served 503 instead of the stale page.
 */
describe('the last good render survives readers of unknown URLs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close().catch(() => {}));

  it('still serves / from memory when the database goes down after 1000 requests for unknown incidents', async () => {
    const good = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(good.statusCode).toBe(200);
    for (let i = 0; i < 1000; i += 1) {
      const res = await t.app.inject({ url: `/incidents/${randomUUID()}` });
      expect(res.statusCode).toBe(404);
    }
    await t.database.close();
    t.app.publicCache.invalidate(); // as any admin write does
    const res = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
  });
});
