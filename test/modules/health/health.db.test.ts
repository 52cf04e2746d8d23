import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/app.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close().catch(() => {}));

  it('livez answers without touching the database', async () => {
    const res = await request(t.app.server).get('/livez');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('readyz answers ok while the database is reachable', async () => {
    const res = await request(t.app.server).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  // Last in the file: it closes this file's database.
  it('readyz says 503 and livez stays 200 once the database is gone', async () => {
    await t.database.close();
    const ready = await request(t.app.server).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toBe('HG_DATABASE_UNAVAILABLE');
    expect((await request(t.app.server).get('/livez')).status).toBe(200);
  });
});
