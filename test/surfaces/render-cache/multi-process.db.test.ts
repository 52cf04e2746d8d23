import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { openDatabase, type Database } from '../../../src/db/client.js';
import type { FastifyInstance } from 'fastify';
import { createTestApp, testConfig, type TestApp } from '../../helpers/app.js';
import { testDatabaseKind } from '../../helpers/db.js';
import { makeUser } from '../../helpers/factories.js';

/**
 * Two server processes on one PostgreSQL database: a write through one must reach the other's
 * rendered pages at once, not only when its render expires.
 */
describe.skipIf(testDatabaseKind !== 'postgres')('two servers on one PostgreSQL database', () => {
  let first: TestApp;
  let secondDatabase: Database;
  let second: FastifyInstance;

  beforeAll(async () => {
    first = await createTestApp();
    const url = first.database.url!;
    secondDatabase = await openDatabase({ databaseUrl: url });
    second = await buildApp({ config: testConfig(), database: secondDatabase, ownsDatabase: true, logger: false });
    await second.ready();
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('a write on one invalidates the other', async () => {
    const owner = await makeUser(first.app, 'owner');
    const before = await request(second.server).get('/');
    expect(before.status).toBe(200);
    const res = await request(first.app.server)
      .post('/api/admin/components')
      .set(owner.auth)
      .send({ name: 'Freshly added component' });
    expect(res.status).toBe(201);
    await expect
      .poll(async () => (await request(second.server).get('/')).text, { timeout: 5000, interval: 100 })
      .toContain('Freshly added component');
  });

  it('a write on one has the other render its pages read lately before anyone asks again', async () => {
    const owner = await makeUser(first.app, 'owner');
    await request(second.server).get('/');
    await request(second.server).get('/api/v2/summary.json');
    const before = second.publicCache.stats();
    const res = await request(first.app.server).post('/api/admin/components').set(owner.auth).send({ name: 'Made before asked for' });
    expect(res.status).toBe(201);
    // No request to the second meanwhile: it renders both on the notification alone.
    await expect.poll(() => second.publicCache.stats().renders - before.renders, { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => second.publicCache.fresh('page:/')?.raw.toString() ?? '', { timeout: 5000, interval: 20 }).toContain('Made before asked for');
    const misses = second.publicCache.stats().misses;
    expect((await request(second.server).get('/')).text).toContain('Made before asked for');
    expect((await request(second.server).get('/api/v2/summary.json')).text).toContain('Made before asked for');
    expect(second.publicCache.stats().misses).toBe(misses);
  });

  it('a settings change on one applies on the other without a restart: its pages, API and the name its mails use', async () => {
    const owner = await makeUser(first.app, 'owner');
    expect((await request(second.server).get('/')).text).not.toContain('Renamed Everywhere');
    const res = await request(first.app.server).patch('/api/admin/settings').set(owner.auth).send({ pageName: 'Renamed Everywhere', timeZone: 'Asia/Tokyo' });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => (await request(second.server).get('/')).text, { timeout: 5000, interval: 100 })
      .toContain('<title>Renamed Everywhere</title>');
    expect((await request(second.server).get('/api/v2/summary.json')).body.page).toMatchObject({ name: 'Renamed Everywhere', time_zone: 'Asia/Tokyo' });
    expect(second.site.pageName).toBe('Renamed Everywhere');
  });
});
