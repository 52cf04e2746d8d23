import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { makeUser } from '../../helpers/factories.js';

/**
 * Regression: on PostgreSQL a write used to render every page twice. The writer invalidated its
 * renders, then its own NOTIFY came back and invalidated them again, so the first render after
 * the write was thrown away (24 writes → 32 renders). A process now ignores its own announcements.
 */
describe('a write renders each page once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('renders / once after a write, not again when the write’s own notification comes back', async () => {
    const owner = await makeUser(t.app, 'owner');
    await request(t.app.server).get('/').expect(200);
    const renders = () => t.app.publicCache.stats().renders;
    for (let i = 0; i < 3; i += 1) {
      const before = renders();
      await request(t.app.server).post('/api/admin/components').set(owner.auth).send({ name: `Component ${i}` }).expect(201);
      const page = await request(t.app.server).get('/').expect(200);
      expect(page.text).toContain(`Component ${i}`);
      expect(renders()).toBe(before + 1);
      // Time for the NOTIFY to travel through PostgreSQL and back (it comes back in milliseconds).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await request(t.app.server).get('/').expect(200);
      expect(renders()).toBe(before + 1);
    }
  });
});
