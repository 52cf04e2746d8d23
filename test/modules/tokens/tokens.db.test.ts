import request from 'supertest';
import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiTokens, auditLog, idempotencyKeys } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, makeUser, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { now: clock.now });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const api = () => request(t.app.server);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createToken(scopes: string[], name = `token ${scopes.join('+')}`, by: TestUser = owner) {
  const res = await api().post('/api/admin/tokens').set(by.auth).send({ name, scopes });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; token: string; prefix: string; scopes: string[] };
}

const incidentBody = { title: 'Opened by automation', severity: 'P3', status: 'investigating', message: 'Automated check failed.' };

describe('creating and listing tokens', () => {
  it('shows the token once, stores only its hash, lists it without the secret', async () => {
    const created = await createToken(['read'], 'CI reader');
    expect(created.token).toMatch(/^hg_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 11));
    expect(created).toMatchObject({ name: 'CI reader', scopes: ['read'], createdBy: owner.actor.id, createdAt: '2026-11-24T10:00:00.000Z', lastUsedAt: null, revokedAt: null });

    const [row] = await t.app.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = await api().get('/api/admin/tokens').set(owner.auth);
    expect(list.status).toBe(200);
    const listed = list.body.find((x: { id: string }) => x.id === created.id);
    expect(listed).toMatchObject({ name: 'CI reader', prefix: created.prefix });
    expect(listed.token).toBeUndefined();
    expect(JSON.stringify(list.body)).not.toContain(created.token);
  });

  it('refuses bad input with a 400', async () => {
    for (const body of [{}, { name: 'x' }, { name: 'x', scopes: [] }, { name: 'x', scopes: ['admin'] }, { name: '', scopes: ['read'] }, { name: 'x', scopes: ['read', 'read'] }, { name: 'x', scopes: ['read'], extra: 1 }]) {
      const res = await api().post('/api/admin/tokens').set(owner.auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
  });
});

describe('what each scope allows', () => {
  it('read: every GET a viewer may make, no writes', async () => {
    const { token } = await createToken(['read']);
    expect((await api().get('/api/admin/incidents').set(bearer(token))).status).toBe(200);
    expect((await api().get('/api/admin/components').set(bearer(token))).status).toBe(200);
    expect((await api().get('/api/admin/me').set(bearer(token))).body.id).toBe(owner.actor.id);
    const write = await api().post('/api/admin/incidents').set(bearer(token)).send(incidentBody);
    expect(write.status).toBe(403);
    expect(write.body.error).toBe('HG_FORBIDDEN');
  });

  it('write: what a responder may do, and read; the audit log names the token', async () => {
    const { token, id } = await createToken(['write'], 'deploy bot');
    const c = await makeComponent(t.app, owner.actor, { name: 'Token component' });
    const opened = await api().post('/api/admin/incidents').set(bearer(token)).send({ ...incidentBody, componentStatuses: { [c.id]: 'degraded_performance' } });
    expect(opened.status).toBe(201);
    // The token acts for the owner who created it: updates and notes carry the owner's id.
    expect(opened.body.updates[0].authorId).toBe(owner.actor.id);
    const note = await api().post(`/api/admin/incidents/${opened.body.id}/notes`).set(bearer(token)).send({ text: 'from the bot' });
    expect(note.status).toBe(201);
    expect(note.body.authorId).toBe(owner.actor.id);
    expect((await api().patch(`/api/admin/components/${c.id}`).set(bearer(token)).send({ status: 'operational' })).status).toBe(200);
    expect((await api().get(`/api/admin/incidents/${opened.body.id}`).set(bearer(token))).status).toBe(200);

    const rows = await t.app.db.select().from(auditLog).where(eq(auditLog.tokenId, id));
    expect(rows.map((r) => r.action).sort()).toEqual(['component.update', 'incident.create', 'incident.note'].sort());
    expect(rows.every((r) => r.actorId === owner.actor.id)).toBe(true);
    // A session's writes name no token.
    await api().post('/api/admin/incidents').set(owner.auth).send(incidentBody).expect(201);
    const [sessionRow] = await t.app.db.select().from(auditLog).where(eq(auditLog.action, 'incident.create')).orderBy(desc(auditLog.id)).limit(1);
    expect(sessionRow!.tokenId).toBeNull();
  });

  it('write is no owner: components, groups and users stay out of reach', async () => {
    const { token } = await createToken(['write', 'read', 'ingest']);
    expect((await api().post('/api/admin/components').set(bearer(token)).send({ name: 'Nope' })).status).toBe(403);
    expect((await api().post('/api/admin/component-groups').set(bearer(token)).send({ name: 'Nope' })).status).toBe(403);
    expect((await api().get('/api/admin/users').set(bearer(token))).status).toBe(403);
    expect((await api().post('/api/admin/users').set(bearer(token)).send({ email: 'x@example.test', name: 'x', password: 'p'.repeat(12), role: 'owner' })).status).toBe(403);
  });

  it('ingest: nothing on the admin API', async () => {
    const { token } = await createToken(['ingest']);
    expect((await api().get('/api/admin/incidents').set(bearer(token))).status).toBe(403);
    expect((await api().post('/api/admin/incidents').set(bearer(token)).send(incidentBody)).status).toBe(403);
  });

  it('no token may manage tokens or users, or log its owner out', async () => {
    const { token } = await createToken(['write', 'read', 'ingest']);
    const before = (await api().get('/api/admin/tokens').set(owner.auth)).body.length;
    for (const [method, path, body] of [
      ['get', '/api/admin/tokens', undefined],
      ['post', '/api/admin/tokens', { name: 'minted', scopes: ['write'] }],
      ['delete', `/api/admin/tokens/00000000-0000-4000-8000-000000000000`, undefined],
      ['post', '/api/admin/logout', undefined],
    ] as const) {
      const res = await api()[method](path).set(bearer(token)).send(body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await api().get('/api/admin/tokens').set(owner.auth)).body.length).toBe(before);
    // The owner's session survived the refused logout.
    expect((await api().get('/api/admin/me').set(owner.auth)).status).toBe(200);
  });

  it('never acts with more than its creator has now', async () => {
    const maker = await makeUser(t.app, 'owner', 'demoted');
    const { token } = await createToken(['write'], 'outlived its role', maker);
    expect((await api().post('/api/admin/incidents').set(bearer(token)).send(incidentBody)).status).toBe(201);
    await api().patch(`/api/admin/users/${maker.actor.id}`).set(owner.auth).send({ role: 'viewer' }).expect(200);
    expect((await api().post('/api/admin/incidents').set(bearer(token)).send(incidentBody)).status).toBe(403);
    expect((await api().get('/api/admin/incidents').set(bearer(token))).status).toBe(200);
    // Deleting the creator kills the token.
    await api().delete(`/api/admin/users/${maker.actor.id}`).set(owner.auth).expect(204);
    expect((await api().get('/api/admin/incidents').set(bearer(token))).status).toBe(401);
  });
});

describe('revoking', () => {
  it('a revoked token is a 401 at once; revoking twice is harmless; the row stays for the audit log', async () => {
    const { token, id } = await createToken(['read']);
    expect((await api().get('/api/admin/incidents').set(bearer(token))).status).toBe(200);
    expect((await api().delete(`/api/admin/tokens/${id}`).set(owner.auth)).status).toBe(204);
    const refused = await api().get('/api/admin/incidents').set(bearer(token));
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('HG_UNAUTHORIZED');
    expect((await api().delete(`/api/admin/tokens/${id}`).set(owner.auth)).status).toBe(204);
    const listed = (await api().get('/api/admin/tokens').set(owner.auth)).body.find((x: { id: string }) => x.id === id);
    expect(listed.revokedAt).toBe('2026-11-24T10:00:00.000Z');
    const revocations = await t.app.db.select().from(auditLog).where(eq(auditLog.action, 'token.revoke'));
    expect(revocations.filter((r) => r.targetId === id)).toHaveLength(1);
  });

  it('an unknown or malformed hg_ token is a 401, like a bad JWT', async () => {
    for (const auth of ['Bearer hg_unknown', 'Bearer hg_', `Bearer hg_${'A'.repeat(43)}`]) {
      const res = await api().get('/api/admin/incidents').set({ authorization: auth });
      expect(res.status, auth).toBe(401);
    }
  });
});

describe('lastUsedAt', () => {
  it('is stamped on use, at most once a minute', async () => {
    const { token, id } = await createToken(['read']);
    const lastUsed = async () => (await t.app.db.select().from(apiTokens).where(eq(apiTokens.id, id)))[0]!.lastUsedAt?.toISOString();
    expect(await lastUsed()).toBeUndefined();
    clock.set('2026-11-24T10:01:00Z');
    await api().get('/api/admin/incidents').set(bearer(token)).expect(200);
    expect(await lastUsed()).toBe('2026-11-24T10:01:00.000Z');
    clock.set('2026-11-24T10:01:30Z');
    await api().get('/api/admin/incidents').set(bearer(token)).expect(200);
    expect(await lastUsed()).toBe('2026-11-24T10:01:00.000Z');
    clock.set('2026-11-24T10:02:30Z');
    await api().get('/api/admin/incidents').set(bearer(token)).expect(200);
    expect(await lastUsed()).toBe('2026-11-24T10:02:30.000Z');
    clock.set('2026-11-24T10:00:00Z');
  });
});

describe('Idempotency-Key', () => {
  it('a token has its own keys, apart from the owner it acts for', async () => {
    const { token } = await createToken(['write']);
    const first = await api().post('/api/admin/incidents').set(owner.auth).set('idempotency-key', 'same-key').send(incidentBody);
    const second = await api().post('/api/admin/incidents').set(bearer(token)).set('idempotency-key', 'same-key').send(incidentBody);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.id).not.toBe(first.body.id);
  });
});

describe('Idempotency-Key on token creation', () => {
  it('is refused, so the secret is never kept as a replayable answer', async () => {
    const res = await api().post('/api/admin/tokens').set(owner.auth).set('idempotency-key', 'mint-1').send({ name: 'keyed', scopes: ['read'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('HG_INVALID');
    expect((await t.app.db.select().from(idempotencyKeys)).some((k) => k.key === 'mint-1')).toBe(false);
  });
});

describe('every token route refuses', () => {
  const someId = '00000000-0000-4000-8000-000000000000';
  const routes = [
    { method: 'get' as const, path: '/api/admin/tokens' },
    { method: 'post' as const, path: '/api/admin/tokens', body: { name: 'x', scopes: ['read'] } },
    { method: 'delete' as const, path: `/api/admin/tokens/${someId}` },
  ];

  it.each(routes)('401 without a valid token: $method $path', async ({ method, path, body }) => {
    for (const auth of [{}, { authorization: 'Bearer not.a.token' }]) {
      const res = await api()[method](path).set(auth).send(body);
      expect(res.status).toBe(401);
    }
  });

  it.each(routes)('403 for a responder and a viewer: $method $path', async ({ method, path, body }) => {
    for (const user of [responder, viewer]) {
      const res = await api()[method](path).set(user.auth).send(body);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('HG_FORBIDDEN');
    }
  });

  it('400 for a malformed id, 404 for an unknown one', async () => {
    expect((await api().delete('/api/admin/tokens/not-a-uuid').set(owner.auth)).status).toBe(400);
    const unknown = await api().delete(`/api/admin/tokens/${someId}`).set(owner.auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('HG_NOT_FOUND');
  });
});
