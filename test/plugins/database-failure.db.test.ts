import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDatabaseKind } from '../helpers/db.js';

// After a PGlite PANIC no query may reach the dead instance (it would never answer): every
// request is a 503 at once, until the process exits and is restarted (see db/pglite-guard.ts).
describe('requests once the database has died', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers normally while the database is fine', async () => {
    expect(t.database.failure()).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it.skipIf(testDatabaseKind !== 'pglite')('on the embedded database: 503 { error, message } for every request, pages and probes alike', async () => {
    const fine = t.database.failure;
    t.database.failure = () => new Error('PANIC: could not write to file "pg_wal/xlogtemp.42"');
    try {
      for (const url of ['/readyz', '/api/admin/incidents', '/', '/api/v2/summary.json']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect({ url, status: res.statusCode, body: res.json() }).toEqual({
          url,
          status: 503,
          body: { error: 'HG_DATABASE_UNAVAILABLE', message: expect.any(String) },
        });
        expect(res.body).not.toContain('pg_wal');
      }
    } finally {
      t.database.failure = fine;
    }
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
