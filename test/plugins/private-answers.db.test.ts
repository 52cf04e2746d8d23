import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeUser, type TestUser } from '../helpers/factories.js';

/**
 * Admin answers carry tokens, users, drafts and internal notes: none may sit in a shared cache
 * or the browser's history. Every route of the admin API and alert intake, as the OpenAPI
 * document lists them, is called unauthenticated and as an owner, and must say `no-store`
 * whatever it answers.
 */
let t: TestApp;
let owner: TestUser;
let routes: { method: string; path: string }[];

const PRIVATE = /^\/api\/(admin|ingest)(\/|$)/;
const api = () => request(t.app.server);

beforeAll(async () => {
  t = await createTestApp();
  owner = await makeUser(t.app, 'owner');
  const doc = (await api().get('/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths)
    .filter(([path]) => PRIVATE.test(path))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method, path })))
    // Logging out ends the owner's sessions: it goes last.
    .sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
});
afterAll(() => t.close());

/** Calls a documented route with a made-up id and, for writes, an empty object. */
function call(route: { method: string; path: string }, auth?: { authorization: string }) {
  const path = route.path.replace(/\{[^}]+\}/g, randomUUID());
  const req = (api() as unknown as Record<string, (url: string) => request.Test>)[route.method]!(path);
  if (auth) req.set(auth);
  return ['post', 'put', 'patch'].includes(route.method) ? req.send({}) : req;
}

describe('Cache-Control on the admin API and alert intake', () => {
  it('finds the routes to check in the OpenAPI document', () => {
    const listed = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(listed).toEqual(expect.arrayContaining(['POST /api/admin/login', 'GET /api/admin/incidents', 'POST /api/ingest/alertmanager']));
    expect(routes.length).toBeGreaterThan(30);
  });

  it('is no-store on every route, unauthenticated', async () => {
    for (const route of routes) {
      const res = await call(route);
      expect(res.headers['cache-control'], `${route.method} ${route.path} → ${res.status}`).toBe('no-store');
    }
  });

  it('is no-store on every route, as an owner', async () => {
    const statuses = new Set<number>();
    for (const route of routes) {
      const res = await call(route, owner.auth);
      statuses.add(res.status);
      expect(res.headers['cache-control'], `${route.method} ${route.path} → ${res.status}`).toBe('no-store');
    }
    // Successes and refusals alike were seen.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 400, 404]));
  });

  it('is no-store on the login token', async () => {
    const res = await api().post('/api/admin/login').send({ email: owner.actor.email, password: owner.password });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is no-store on what no route answers: unknown paths, bad bodies, long URLs', async () => {
    const answers = [
      await api().get('/api/admin/no-such-thing').set(owner.auth),
      await api().get('/api/admin').set(owner.auth),
      await api().post('/api/admin/incidents').set(owner.auth).set('content-type', 'application/json').send('{"broken'),
      await api().post('/api/admin/incidents').set(owner.auth).set('content-type', 'text/plain').send('hello'),
      await api().get(`/api/admin/incidents?q=${'a'.repeat(3000)}`).set(owner.auth),
      await api().post('/api/ingest/alertmanager').set('content-type', 'application/json').send('[]'),
    ];
    for (const res of answers) expect(res.headers['cache-control'], `${res.status} ${JSON.stringify(res.body)}`).toBe('no-store');
  });

  it('leaves the public answers to their own caching', async () => {
    const res = await api().get('/api/v2/summary.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age/);
    // A path that only starts like an admin one is not under it.
    expect((await api().get('/api/administrator')).headers['cache-control']).not.toBe('no-store');
  });
});
