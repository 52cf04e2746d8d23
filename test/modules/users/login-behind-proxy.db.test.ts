import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { test } from '../../helpers/fixtures.js';

// The test client connects from loopback, so here "the proxy" is any other address.
test.override('appOptions', { config: { production: true, loginRateLimit: 3, trustProxy: ['192.0.2.1'] } });

/**
 * X-Forwarded-For is believed only from the proxies TRUST_PROXY names. Trusting any peer let a
 * client send a new address with every login attempt and never meet the rate limit.
 */
describe('login rate limit behind a proxy', () => {
  let t: TestApp;
  test.beforeAll(({ testApp }) => {
    t = testApp;
  });

  it('cannot be escaped by sending a different X-Forwarded-For with every attempt', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const res = await request(t.app.server)
        .post('/api/admin/login')
        .set('x-forwarded-for', `203.0.113.${i}`)
        .send({ email: 'admin@example.com', password: `guess-${i}` });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
  });

  it('keys on the forwarded client when the peer is a trusted proxy', async () => {
    const fromProxy = (client: string) =>
      t.app.inject({ method: 'POST', url: '/api/admin/login', remoteAddress: '192.0.2.1', headers: { 'x-forwarded-for': client }, payload: { email: 'a@b.c', password: 'x' } });
    // The loopback peer above used up its own budget, not this client's.
    expect((await fromProxy('198.51.100.7')).statusCode).toBe(401);
    for (let i = 0; i < 3; i += 1) await fromProxy('198.51.100.8');
    expect((await fromProxy('198.51.100.8')).statusCode).toBe(429);
    expect((await fromProxy('198.51.100.9')).statusCode).toBe(401);
  });
});
