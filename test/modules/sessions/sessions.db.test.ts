import { eq } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect } from 'vitest';
import { auditLog, sessions } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

// Each sign-in is its own session (issue 14): signing out ends that one, "everywhere" ends all,
// a password change ends all but the one that changed it, and an expired session is refused.
const clock = new TestClock('2026-12-07T10:00:00Z');
let t: TestApp;
let owner: TestUser;

test.override('appOptions', { now: clock.now, config: { loginRateLimit: 100, loginRateWindowSeconds: 3600, jwtExpiresIn: '2h' } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

const api = () => request(t.app.server);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => api().get('/api/admin/me').set(bearer(token));

async function signIn(user: TestUser): Promise<{ token: string; expiresAt: string }> {
  const res = await api().post('/api/admin/login').send({ email: user.actor.email, password: user.password });
  expect(res.status).toBe(200);
  return res.body;
}

describe('sessions', () => {
  test('each login is a session row with the token’s expiry, named by the token', async () => {
    const user = await makeUser(t.app, 'viewer');
    const { token, expiresAt } = await signIn(user);
    const claims = t.app.jwt.decode<{ sid: string; iat: number; exp: number }>(token)!;
    const [row] = await t.app.db.select().from(sessions).where(eq(sessions.id, claims.sid));
    expect(row).toMatchObject({ userId: user.actor.id, createdAt: clock.now(), revokedAt: null });
    // The row counts on the app's clock, and the answer's expiry is the row's; the token's own
    // expiry counts on the machine's: both last 2 h.
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(2 * 3600_000);
    expect(new Date(expiresAt).getTime()).toBe(row!.expiresAt.getTime());
    expect(claims.exp - claims.iat).toBe(2 * 3600);
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
  });

  test('logout ends only the calling session', async () => {
    const user = await makeUser(t.app, 'viewer');
    const phone = (await signIn(user)).token;
    const laptop = (await signIn(user)).token;

    expect((await api().post('/api/admin/logout').set(bearer(phone))).status).toBe(204);

    expect((await me(phone)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
    const [audit] = await t.app.db.select().from(auditLog).where(eq(auditLog.actorId, user.actor.id));
    expect(audit).toMatchObject({ action: 'user.logout' });
  });

  test('logout-everywhere ends every session, and tokens without a session too', async () => {
    const user = await makeUser(t.app, 'responder');
    const phone = (await signIn(user)).token;
    const laptop = (await signIn(user)).token;

    expect((await api().post('/api/admin/logout-everywhere').set(bearer(phone))).status).toBe(204);

    for (const token of [phone, laptop, user.token]) expect((await me(token)).status).toBe(401);
    expect((await me((await signIn(user)).token)).status).toBe(200);
  });

  test('logout-everywhere needs a signed-in caller', async () => {
    expect((await api().post('/api/admin/logout-everywhere')).status).toBe(401);
  });

  test('a password change ends the other sessions, not the one that made it', async () => {
    const self = await signIn(owner);
    const other = await signIn(owner);

    const res = await api().patch(`/api/admin/users/${owner.actor.id}`).set(bearer(self.token)).send({ password: 'a-new-long-password-1' });
    expect(res.status).toBe(200);

    expect((await me(self.token)).status).toBe(200);
    expect((await me(other.token)).status).toBe(401);
    owner.password = 'a-new-long-password-1';
  });

  test("an owner changing someone's password ends all their sessions", async () => {
    const user = await makeUser(t.app, 'viewer');
    const session = (await signIn(user)).token;
    const self = (await signIn(owner)).token;
    expect((await api().patch(`/api/admin/users/${user.actor.id}`).set(bearer(self)).send({ password: 'another-long-password' })).status).toBe(200);
    expect((await me(session)).status).toBe(401);
  });

  test('an expired session is refused', async () => {
    const user = await makeUser(t.app, 'viewer');
    const { token } = await signIn(user);
    expect((await me(token)).status).toBe(200);
    clock.advance(2 * 3600_000);
    try {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'HG_UNAUTHORIZED', message: 'Token revoked' });
    } finally {
      clock.advance(-2 * 3600_000);
    }
  });

  test('a token naming an unknown session is refused', async () => {
    const forged = t.app.signSessionToken({ sub: owner.actor.id, tv: 0, sid: '00000000-0000-4000-8000-000000000000' }).token;
    expect((await me(forged)).status).toBe(401);
  });
});
