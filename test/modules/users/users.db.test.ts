import { createHmac, randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../../src/db/schema/index.js';
import { TEST_SECRET, type TestApp } from '../../helpers/app.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

// Every login in this file counts against one client's budget (supertest always comes from the
// same address), so the limit is small but leaves room for the login tests before the last one.
const LOGIN_LIMIT = 20;
const BODY_LIMIT = 8 * 1024;

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', {
  // An hour's window: on a loaded machine this file can outlast a minute, and a window that
  // resets midway would let the last attempt through.
  config: { loginRateLimit: LOGIN_LIMIT, loginRateWindowSeconds: 3600, bodyLimitBytes: BODY_LIMIT },
});
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const api = () => request(t.app.server);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const login = (body: object) => api().post('/api/admin/login').send(body);

const UNAUTHORIZED = { error: 'HG_UNAUTHORIZED', message: 'Wrong email or password' };
const REVOKED = { error: 'HG_UNAUTHORIZED', message: 'Token revoked' };
const INVALID_TOKEN = { error: 'HG_UNAUTHORIZED', message: 'Invalid or expired token' };
const USER_KEYS = ['createdAt', 'email', 'id', 'name', 'role'];

/** A JWT built by hand, so a test can forge exactly the defect it is about. */
function forgeJwt(payload: object, options: { secret?: string; alg?: 'HS256' | 'HS512' | 'none' } = {}) {
  const alg = options.alg ?? 'HS256';
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(payload)}`;
  if (alg === 'none') return `${unsigned}.`;
  const hash = alg === 'HS256' ? 'sha256' : 'sha512';
  return `${unsigned}.${createHmac(hash, options.secret ?? TEST_SECRET).update(unsigned).digest('base64url')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function auditRows() {
  return t.app.db.select().from(auditLog).orderBy(auditLog.id);
}

async function counts() {
  const [u] = await t.app.db.select({ n: count() }).from(users);
  const [a] = await t.app.db.select({ n: count() }).from(auditLog);
  return { users: u!.n, audit: a!.n };
}

async function me(headers: Record<string, string>) {
  return api().get('/api/admin/me').set(headers);
}

describe('POST /api/admin/login', () => {
  it('returns a token, its expiry and the user, and nothing secret', async () => {
    const user = await makeUser(t.app, 'viewer', 'Vera');
    const before = Date.now();
    const res = await login({ email: user.actor.email, password: user.password });

    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'token', 'user']);
    expect(res.body.user).toEqual({
      id: user.actor.id,
      email: user.actor.email,
      name: 'Vera',
      role: 'viewer',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // The default lifetime is 12 hours.
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 12 * 3600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 12 * 3600_000);
    for (const secret of ['passwordHash', 'password_hash', 'tokenVersion', 'token_version', 'scrypt$', user.password]) {
      expect(res.text).not.toContain(secret);
    }

    const whoAmI = await me(bearer(res.body.token));
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.body).toEqual(res.body.user);
  });

  it('matches the email whatever its case', async () => {
    const user = await makeUser(t.app, 'responder');
    const res = await login({ email: user.actor.email.toUpperCase(), password: user.password });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.actor.id);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    // Different answers would tell an attacker which addresses have accounts.
    const user = await makeUser(t.app, 'viewer');
    const wrongPassword = await login({ email: user.actor.email, password: `${user.password}x` });
    const unknownEmail = await login({ email: `nobody-${randomUUID()}@example.test`, password: user.password });

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(UNAUTHORIZED);
    expect(unknownEmail.body).toEqual(UNAUTHORIZED);
    expect(wrongPassword.headers['content-type']).toMatch(/^application\/json/);
  });

  it.each([
    ['no password', (email: string) => ({ email })],
    ['no email', () => ({ password: 'whatever-password' })],
    ['an empty password', (email: string) => ({ email, password: '' })],
    ['an extra field', (email: string) => ({ email, password: 'whatever-password', role: 'owner' })],
  ])('rejects a body with %s as 400', async (_name, body) => {
    const res = await login(body(viewer.actor.email));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid body: /) });
  });
});

describe('bearer tokens', () => {
  it('accepts a well-formed token signed with the secret (the forger below is sound)', async () => {
    const token = forgeJwt({ sub: viewer.actor.id, tv: 0, iat: nowSeconds(), exp: nowSeconds() + 60 });
    const res = await me(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(viewer.actor.id);
  });

  const refused: [string, () => Record<string, string>, object][] = [
    ['no Authorization header', () => ({}), { error: 'HG_UNAUTHORIZED', message: 'Missing bearer token' }],
    ['a Basic scheme', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }), INVALID_TOKEN],
    ['a bare "Bearer"', () => ({ authorization: 'Bearer' }), INVALID_TOKEN],
    ['a token that is not a JWT', () => bearer('not-a-jwt'), INVALID_TOKEN],
    ['a token signed with another secret', () => bearer(forgeJwt(claims(), { secret: `${TEST_SECRET}-other` })), INVALID_TOKEN],
    ['an expired token', () => bearer(forgeJwt({ ...claims(), iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })), INVALID_TOKEN],
    ['an alg "none" token', () => bearer(forgeJwt(claims(), { alg: 'none' })), INVALID_TOKEN],
    // The algorithm is pinned: the right secret under another HMAC is still refused.
    ['an HS512 token with the right secret', () => bearer(forgeJwt(claims(), { alg: 'HS512' })), INVALID_TOKEN],
    ['a token whose payload was changed after signing', () => bearer(tamper(viewer.token, { sub: owner.actor.id })), INVALID_TOKEN],
    // Validly signed but naming no possible user: must not reach the database as a bad uuid (a 500).
    ['a signed token whose subject is not a uuid', () => bearer(forgeJwt({ ...claims(), sub: 'not-a-uuid' })), REVOKED],
  ];

  function claims() {
    return { sub: viewer.actor.id, tv: 0, iat: nowSeconds(), exp: nowSeconds() + 600 };
  }

  function tamper(token: string, changes: object) {
    const [header, payload, signature] = token.split('.');
    const claimsIn = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claimsIn, ...changes })).toString('base64url');
    return `${header}.${forged}.${signature}`;
  }

  it.each(refused)('refuses %s with 401', async (_name, headers, body) => {
    const res = await me(headers());
    expect(res.status).toBe(401);
    expect(res.body).toEqual(body);
  });

  it("refuses a deleted user's token", async () => {
    const gone = await makeUser(t.app, 'responder');
    expect((await me(gone.auth)).status).toBe(200);
    expect((await api().delete(`/api/admin/users/${gone.actor.id}`).set(owner.auth)).status).toBe(204);

    const res = await me(gone.auth);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(REVOKED);
  });
});

describe('revoking tokens', () => {
  it('logout answers 204 and kills every token the caller holds', async () => {
    const user = await makeUser(t.app, 'viewer');
    const viaLogin = (await login({ email: user.actor.email, password: user.password })).body.token as string;
    const auditBefore = (await counts()).audit;

    const res = await api().post('/api/admin/logout').set(user.auth);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    for (const token of [user.token, viaLogin]) {
      const after = await me(bearer(token));
      expect(after.status).toBe(401);
      expect(after.body).toEqual(REVOKED);
    }
    const rows = await auditRows();
    expect(rows).toHaveLength(auditBefore + 1);
    expect(rows.at(-1)).toMatchObject({ action: 'user.logout', actorId: user.actor.id, targetType: 'user', targetId: user.actor.id });

    // Logging in again gives a working token.
    const again = await login({ email: user.actor.email, password: user.password });
    expect((await me(bearer(again.body.token))).status).toBe(200);
  });

  it("a new password set by an owner ends the user's sessions and the old password", async () => {
    const user = await makeUser(t.app, 'responder');
    const newPassword = `new-${randomUUID()}`;

    const res = await api().patch(`/api/admin/users/${user.actor.id}`).set(owner.auth).send({ password: newPassword });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);

    expect((await me(user.auth)).body).toEqual(REVOKED);
    expect((await login({ email: user.actor.email, password: user.password })).status).toBe(401);
    const fresh = await login({ email: user.actor.email, password: newPassword });
    expect(fresh.status).toBe(200);
    expect((await me(bearer(fresh.body.token))).status).toBe(200);
    // The owner's own session is untouched.
    expect((await me(owner.auth)).status).toBe(200);

    const audit = (await auditRows()).at(-1)!;
    expect(audit).toMatchObject({ action: 'user.update+password', actorId: owner.actor.id, targetId: user.actor.id });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|passwordHash|new-/);
  });

  it('a change of name leaves existing tokens alive', async () => {
    const user = await makeUser(t.app, 'viewer');
    const res = await api().patch(`/api/admin/users/${user.actor.id}`).set(owner.auth).send({ name: 'Renamed' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Renamed');

    const whoAmI = await me(user.auth);
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.body.name).toBe('Renamed');
  });
});

describe('users (owner only)', () => {
  it('GET /users lists every user without secrets', async () => {
    const res = await api().get('/api/admin/users').set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: owner.actor.id, role: 'owner' })]));
    expect(res.body.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([responder.actor.id, viewer.actor.id]));
    for (const user of res.body) expect(Object.keys(user).sort()).toEqual(USER_KEYS);
  });

  it('POST /users creates a user who can log in, with an audit row', async () => {
    const email = `new-${randomUUID().slice(0, 8)}@example.test`;
    const password = 'a-long-enough-password';
    const res = await api().post('/api/admin/users').set(owner.auth).send({ email, name: 'Nia', password, role: 'responder' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email, name: 'Nia', role: 'responder', createdAt: expect.any(String) });

    const [row] = await t.app.db.select().from(users).where(eq(users.id, res.body.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    expect(row!.passwordHash).not.toContain(password);

    const audit = (await auditRows()).at(-1)!;
    expect(audit).toMatchObject({
      action: 'user.create',
      actorId: owner.actor.id,
      targetType: 'user',
      targetId: res.body.id,
      before: null,
      after: { id: res.body.id, email, name: 'Nia', role: 'responder' },
    });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|passwordHash/);

    expect((await login({ email, password })).status).toBe(200);
  });

  it('PATCH /users/:id changes name and role, with the before and after in the audit log', async () => {
    const user = await makeUser(t.app, 'viewer', 'Val');
    const res = await api().patch(`/api/admin/users/${user.actor.id}`).set(owner.auth).send({ name: 'Valerie', role: 'responder' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: user.actor.id, email: user.actor.email, name: 'Valerie', role: 'responder', createdAt: expect.any(String) });
    expect((await auditRows()).at(-1)).toMatchObject({
      action: 'user.update',
      actorId: owner.actor.id,
      targetId: user.actor.id,
      before: { name: 'Val', role: 'viewer' },
      after: { name: 'Valerie', role: 'responder' },
    });
  });

  it('DELETE /users/:id removes the user, with an audit row', async () => {
    const user = await makeUser(t.app, 'viewer');
    const res = await api().delete(`/api/admin/users/${user.actor.id}`).set(owner.auth);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await t.app.db.select().from(users).where(eq(users.id, user.actor.id))).toEqual([]);
    expect((await auditRows()).at(-1)).toMatchObject({
      action: 'user.delete',
      actorId: owner.actor.id,
      targetId: user.actor.id,
      before: { id: user.actor.id, email: user.actor.email },
      after: null,
    });
    const list = await api().get('/api/admin/users').set(owner.auth);
    expect(list.body.map((u: { id: string }) => u.id)).not.toContain(user.actor.id);
  });

  describe.each(['responder', 'viewer'] as const)('a %s', (role) => {
    const caller = () => (role === 'responder' ? responder : viewer);
    const forbidden = { error: 'HG_FORBIDDEN', message: `This needs the owner role; you are ${role}` };

    const routes: [string, (id: string) => request.Test][] = [
      ['GET /users', () => api().get('/api/admin/users')],
      [
        'POST /users',
        () => api().post('/api/admin/users').send({ email: `x-${randomUUID()}@example.test`, name: 'X', password: 'a-long-enough-password', role: 'owner' }),
      ],
      ['PATCH /users/:id', (id) => api().patch(`/api/admin/users/${id}`).send({ role: 'owner' })],
      ['DELETE /users/:id', (id) => api().delete(`/api/admin/users/${id}`)],
    ];

    it.each(routes)('gets 403 on %s and changes nothing', async (_route, call) => {
      const target = await makeUser(t.app, 'viewer');
      const before = await counts();
      const res = await call(target.actor.id).set(caller().auth);

      expect(res.status).toBe(403);
      expect(res.body).toEqual(forbidden);
      expect(await counts()).toEqual(before);
      const [row] = await t.app.db.select().from(users).where(eq(users.id, target.actor.id));
      expect(row!.role).toBe('viewer');
    });
  });

  it('refuses a duplicate email, whatever its case, with 409 and writes nothing', async () => {
    const existing = await makeUser(t.app, 'viewer');
    const before = await counts();
    const email = existing.actor.email.toUpperCase();
    const res = await api().post('/api/admin/users').set(owner.auth).send({ email, name: 'Dup', password: 'a-long-enough-password', role: 'viewer' });

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'HG_CONFLICT', message: `A user with email ${email} exists` });
    expect(await counts()).toEqual(before);
  });

  it('answers 409, not 500, when the same email is created several times at once', async () => {
    // Regression: on PostgreSQL now and then two requests both passed the "exists?" check and the
    // later insert hit the unique index, a 500. Rare, hence a few rounds.
    for (let round = 0; round < 4; round++) {
      const email = `twice-${randomUUID().slice(0, 8)}@example.test`;
      const body = { email, name: 'Twice', password: 'a-long-enough-password', role: 'viewer' };
      const before = await counts();
      const results = await Promise.all(
        [email, email.toUpperCase(), email].map((e) => api().post('/api/admin/users').set(owner.auth).send({ ...body, email: e })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      for (const conflict of results.filter((r) => r.status === 409)) {
        expect(conflict.body).toEqual({ error: 'HG_CONFLICT', message: expect.stringMatching(/^A user with email \S+ exists$/) });
      }
      expect(await counts()).toEqual({ users: before.users + 1, audit: before.audit + 1 });
    }
  });

  const valid = { email: 'valid@example.test', name: 'Valid', password: 'a-long-enough-password', role: 'viewer' };
  it.each([
    ['an invalid email', { ...valid, email: 'not-an-email' }],
    ['a password under 12 characters', { ...valid, password: 'elevenchars' }],
    ['an unknown role', { ...valid, role: 'admin' }],
    ['an extra property', { ...valid, tokenVersion: 7 }],
    ['no name', { email: valid.email, password: valid.password, role: valid.role }],
    ['an empty name', { ...valid, name: '' }],
  ])('POST /users rejects %s with 400 and writes nothing', async (_name, body) => {
    const before = await counts();
    const res = await api().post('/api/admin/users').set(owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid body: /) });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['an empty body', {}],
    ['a password under 12 characters', { password: 'short' }],
    ['an unknown role', { role: 'superuser' }],
    ['an extra property', { name: 'Ok', email: 'changed@example.test' }],
  ])('PATCH /users/:id rejects %s with 400 and writes nothing', async (_name, body) => {
    const user = await makeUser(t.app, 'viewer', 'Unchanged');
    const before = await counts();
    const res = await api().patch(`/api/admin/users/${user.actor.id}`).set(owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid body: /) });
    expect(await counts()).toEqual(before);
    expect((await me(user.auth)).body).toMatchObject({ name: 'Unchanged', email: user.actor.email, role: 'viewer' });
  });

  it('answers 404 for an unknown id and 400 for one that is not a uuid', async () => {
    const unknown = randomUUID();
    const before = await counts();
    const patch = await api().patch(`/api/admin/users/${unknown}`).set(owner.auth).send({ name: 'Ghost' });
    const del = await api().delete(`/api/admin/users/${unknown}`).set(owner.auth);
    for (const res of [patch, del]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'HG_NOT_FOUND', message: `User ${unknown} not found` });
    }

    const badPatch = await api().patch('/api/admin/users/not-a-uuid').set(owner.auth).send({ name: 'Ghost' });
    const badDelete = await api().delete('/api/admin/users/not-a-uuid').set(owner.auth);
    for (const res of [badPatch, badDelete]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid params: /) });
    }
    expect(await counts()).toEqual(before);
  });

  it('keeps at least one owner: the last cannot be demoted or deleted', async () => {
    // Reduce the owners to two: `owner` and one more.
    const second = await makeUser(t.app, 'owner');
    const owners = await t.app.db.select().from(users).where(eq(users.role, 'owner'));
    for (const other of owners.filter((u) => u.id !== owner.actor.id && u.id !== second.actor.id)) {
      expect((await api().delete(`/api/admin/users/${other.id}`).set(owner.auth)).status).toBe(204);
    }

    // With two owners one may step down…
    const demoted = await api().patch(`/api/admin/users/${second.actor.id}`).set(owner.auth).send({ role: 'responder' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('responder');

    // …but the one left may neither step down nor leave.
    const before = await counts();
    const demote = await api().patch(`/api/admin/users/${owner.actor.id}`).set(owner.auth).send({ role: 'viewer' });
    expect(demote.status).toBe(409);
    expect(demote.body).toEqual({ error: 'HG_CONFLICT', message: 'The last owner cannot be demoted' });
    const remove = await api().delete(`/api/admin/users/${owner.actor.id}`).set(owner.auth);
    expect(remove.status).toBe(409);
    expect(remove.body).toEqual({ error: 'HG_CONFLICT', message: 'The last owner cannot be deleted' });
    expect(await counts()).toEqual(before);
    expect((await me(owner.auth)).body.role).toBe('owner');

    // A last owner may still change their own name.
    const rename = await api().patch(`/api/admin/users/${owner.actor.id}`).set(owner.auth).send({ name: 'Still owner', role: 'owner' });
    expect(rename.status).toBe(200);
  });

  it('keeps at least one owner when the last two are demoted at the same time', async () => {
    // Regression: each transaction counted two owners before the other committed, so on
    // PostgreSQL both demotions went through and left no owner about half the time.
    for (let round = 0; round < 5; round++) {
      const a = await makeUser(t.app, 'owner');
      const b = await makeUser(t.app, 'owner');
      for (const other of await t.app.db.select().from(users).where(eq(users.role, 'owner'))) {
        if (other.id !== a.actor.id && other.id !== b.actor.id) {
          expect((await api().patch(`/api/admin/users/${other.id}`).set(a.auth).send({ role: 'responder' })).status).toBe(200);
        }
      }

      const results = await Promise.all([
        api().patch(`/api/admin/users/${a.actor.id}`).set(a.auth).send({ role: 'viewer' }),
        api().patch(`/api/admin/users/${b.actor.id}`).set(a.auth).send({ role: 'viewer' }),
      ]);
      // Whichever went first succeeded; the other found a last owner (409), or a caller who no
      // longer was an owner (403) when the two did not overlap.
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 403 || s === 409)).toHaveLength(1);
      expect(await t.app.db.select().from(users).where(eq(users.role, 'owner'))).toHaveLength(1);
    }
  });

  it('keeps at least one owner when one is demoted and the other deleted at the same time', async () => {
    const a = await makeUser(t.app, 'owner');
    const b = await makeUser(t.app, 'owner');
    for (const other of await t.app.db.select().from(users).where(eq(users.role, 'owner'))) {
      if (other.id !== a.actor.id && other.id !== b.actor.id) {
        expect((await api().patch(`/api/admin/users/${other.id}`).set(a.auth).send({ role: 'responder' })).status).toBe(200);
      }
    }
    const [demote, remove] = await Promise.all([
      api().patch(`/api/admin/users/${a.actor.id}`).set(a.auth).send({ role: 'viewer' }),
      api().delete(`/api/admin/users/${b.actor.id}`).set(a.auth),
    ]);
    // Whichever went first succeeded; the other found a last owner (409), or a caller who no
    // longer was an owner (403) when the two did not overlap.
    const succeeded = [demote, remove].filter((r) => r.status < 300);
    const refused = [demote, remove].filter((r) => r.status >= 300);
    expect(succeeded).toHaveLength(1);
    expect([403, 409]).toContain(refused[0]!.status);
    expect(await t.app.db.select().from(users).where(eq(users.role, 'owner'))).toHaveLength(1);
  });

  it('lets an owner delete themselves while another owner remains, and keeps the audit row', async () => {
    // Regression: the audit row named the user the same transaction had just deleted, so the
    // foreign key failed and the request answered 500.
    const leaving = await makeUser(t.app, 'owner');
    const res = await api().delete(`/api/admin/users/${leaving.actor.id}`).set(leaving.auth);
    expect(res.status).toBe(204);
    expect(await t.app.db.select().from(users).where(eq(users.id, leaving.actor.id))).toEqual([]);
    expect((await auditRows()).at(-1)).toMatchObject({
      action: 'user.delete',
      // Every audit row of a deleted user loses its actor (ON DELETE SET NULL); the target says who.
      actorId: null,
      targetId: leaving.actor.id,
      before: { id: leaving.actor.id, email: leaving.actor.email, role: 'owner' },
    });
    expect((await me(leaving.auth)).status).toBe(401);
  });

  afterAll(async () => {
    // Give the file's owner back the role the concurrency tests above may have taken.
    await t.app.db.update(users).set({ role: 'owner' }).where(eq(users.id, owner.actor.id));
  });
});

describe('request bodies', () => {
  it.each([
    ['text/plain', 'email=x'],
    ['application/x-www-form-urlencoded', 'email=x%40example.test&name=X&password=a-long-enough-password&role=viewer'],
  ])('the admin API refuses a %s body with 415 and writes nothing', async (type, body) => {
    const before = await counts();
    const res = await api().post('/api/admin/users').set(owner.auth).set('content-type', type).send(body);
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'Unsupported Media Type' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a body over the configured limit with 413 and writes nothing', async () => {
    const before = await counts();
    const body = (size: number) => {
      const skeleton = JSON.stringify({ email: 'big@example.test', name: '', password: 'a-long-enough-password', role: 'viewer' });
      return JSON.stringify({ email: 'big@example.test', name: 'n'.repeat(size - skeleton.length), password: 'a-long-enough-password', role: 'viewer' });
    };
    // At the limit the body is read (and refused for its over-long name); one byte more is not read at all.
    const atLimit = await api().post('/api/admin/users').set(owner.auth).set('content-type', 'application/json').send(body(BODY_LIMIT));
    expect(atLimit.status).toBe(400);
    const over = await api().post('/api/admin/users').set(owner.auth).set('content-type', 'application/json').send(body(BODY_LIMIT + 1));
    expect(over.status).toBe(413);
    expect(over.body).toEqual({ error: 'FST_ERR_CTP_BODY_TOO_LARGE', message: expect.any(String) });
    expect(await counts()).toEqual(before);
  });
});

// Last in the file: it spends the rest of this client's login budget for the window.
describe('login rate limit', () => {
  it(`allows ${LOGIN_LIMIT} attempts a window, then answers 429 even to the right password`, async () => {
    const user = await makeUser(t.app, 'viewer');
    const credentials = { email: user.actor.email, password: user.password };
    const first = await login(credentials);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe(String(LOGIN_LIMIT));
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    // The earlier tests in this file spent some of the budget; spend the rest with wrong passwords.
    for (let i = 0; i < remaining; i++) {
      expect((await login({ ...credentials, password: 'wrong-password' })).status).toBe(401);
    }

    const limited = await login(credentials);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(limited.body).toEqual({ error: 'HG_RATE_LIMITED', message: expect.stringMatching(/retry in/i) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).not.toContain('token');

    // Only login is limited: a token still works.
    expect((await me(owner.auth)).status).toBe(200);
  });
});
