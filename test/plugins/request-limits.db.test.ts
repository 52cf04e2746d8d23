import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeComponent, makeUser, type TestUser } from '../helpers/factories.js';

/** The defaults: MAX_URL_LENGTH 2048, MAX_JSON_DEPTH 32. */
let t: TestApp;
let owner: TestUser;
let ingestToken: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await makeUser(t.app, 'owner');
  const res = await api().post('/api/admin/tokens').set(owner.auth).send({ name: 'alertmanager', scopes: ['ingest'] });
  expect(res.status).toBe(201);
  ingestToken = res.body.token;
});
afterAll(() => t.close());

const api = () => request(t.app.server);
const expectError = (res: request.Response, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: code, message: expect.any(String) });
};
/** `path` with a query string that makes the whole URL `length` bytes long. */
const urlOf = (path: string, length: number) => `${path}?q=${'a'.repeat(length - path.length - 3)}`;

describe('the URL length limit', () => {
  it('answers a URL longer than the limit with 414, wherever it points', async () => {
    for (const path of ['/livez', '/api/v2/summary.json', '/api/admin/incidents', '/api/ingest/alertmanager', '/no/such/page']) {
      expectError(await api().get(urlOf(path, 2049)).set('accept', 'application/json'), 414, 'HG_URL_TOO_LONG');
    }
    // Before authentication: nobody needs a token to be told the URL is too long.
    expectError(await api().get(urlOf('/api/admin/incidents', 2049)).set(owner.auth), 414, 'HG_URL_TOO_LONG');
  });

  it('lets a URL of exactly the limit through', async () => {
    expect((await api().get(urlOf('/livez', 2048))).status).toBe(200);
  });

  // The router answers these before any hook runs; they once came in Fastify's own shape.
  it('answers a path parameter longer than 100 characters with 414, in our shape, not to be cached', async () => {
    for (const path of [`/incidents/${'a'.repeat(101)}`, `/api/admin/incidents/${'a'.repeat(101)}`]) {
      const res = await api().get(path).set('accept', 'application/json');
      expectError(res, 414, 'HG_URL_TOO_LONG');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect((await api().get(`/incidents/${'a'.repeat(100)}`).set('accept', 'application/json')).status).toBe(404);
  });

  it('answers a percent-encoding that decodes to nothing with 400, in our shape', async () => {
    for (const path of ['/incidents/%E0%A4%A', '/api/admin/incidents/%zz']) {
      const res = await api().get(path).set('accept', 'application/json');
      expectError(res, 400, 'HG_INVALID');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // A browser gets the error page, as for every other error.
    const page = await api().get('/incidents/%E0%A4%A').set('accept', 'text/html');
    expect(page.status).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('the JSON nesting limit', () => {
  const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const inBody = (depth: number) => `{"name":"c","description":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  it('answers a body nested deeper than 32 levels with 400 on the admin API', async () => {
    const deep = await api().post('/api/admin/components').set(owner.auth).set('content-type', 'application/json').send(inBody(33));
    expectError(deep, 400, 'HG_INVALID');
    expect(deep.body.message).toMatch(/more than 32 levels/);
    // 32 levels pass the parser and reach validation, which refuses them for what they are.
    const allowed = await api().post('/api/admin/components').set(owner.auth).set('content-type', 'application/json').send(inBody(32));
    expectError(allowed, 400, 'HG_INVALID');
    expect(allowed.body.message).not.toMatch(/levels/);
  });

  // Regression: 5 000 levels overflowed the stack of the NUL check and answered 500.
  it.each([5_000, 200_000])('answers %i levels with 400, never a 500, on every JSON parser', async (depth) => {
    const c = await makeComponent(t.app, owner.actor);
    const body = arrays(depth);
    const send = (req: request.Test) => req.set('content-type', 'application/json').send(body);
    expectError(await send(api().post('/api/admin/components').set(owner.auth)), 400, 'HG_INVALID');
    expectError(await send(api().patch(`/api/admin/components/${c.id}`).set(owner.auth)), 400, 'HG_INVALID');
    expectError(await send(api().post('/api/admin/login')), 400, 'HG_INVALID');
    expectError(await send(api().post('/api/ingest/alertmanager').set('authorization', `Bearer ${ingestToken}`)), 400, 'HG_INVALID');
    expectError(await send(api().post('/subscribe').set('accept', 'application/json')), 400, 'HG_INVALID');
  });

  it('does not count brackets inside strings', async () => {
    const res = await api()
      .post('/api/admin/components')
      .set(owner.auth)
      .send({ name: `Brackets ${'['.repeat(40)}`, description: '{'.repeat(100) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
