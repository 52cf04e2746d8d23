import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeComponent, makeUser, type TestUser } from '../helpers/factories.js';

/**
 * Input that once answered 500, and its neighbours: numbers out of range, ids that are not ids,
 * odd JSON. Each must be a 4xx with `{ error, message }` (or a plain success), never a 5xx.
 * The classes behind the 500s: ajv turns "1e309" into Infinity and then skips minimum and
 * maximum for it; a value past a column's range (bigint, year 10000) was refused by the
 * database as an internal error.
 */
let t: TestApp;
let owner: TestUser;
let incidentId: string;
let maintenanceId: string;
let componentId: string;

const api = () => request(t.app.server);

beforeAll(async () => {
  t = await createTestApp();
  owner = await makeUser(t.app, 'owner');
  componentId = (await makeComponent(t.app, owner.actor)).id;
  const incident = await api()
    .post('/api/admin/incidents')
    .set(owner.auth)
    .send({ title: 'Errors', severity: 'P3', status: 'investigating', message: 'Looking.' });
  incidentId = incident.body.id;
  const soon = Date.now() + 86_400_000;
  const maintenance = await api()
    .post('/api/admin/maintenances')
    .set(owner.auth)
    .send({ title: 'Upgrade', body: 'Short.', scheduledFor: new Date(soon).toISOString(), scheduledUntil: new Date(soon + 3_600_000).toISOString() });
  maintenanceId = maintenance.body.id;
  expect([incident.status, maintenance.status]).toEqual([201, 201]);
});
afterAll(() => t.close());

function expectRefused(res: request.Response, status = 400) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.any(String), message: expect.any(String) });
}

describe('numbers out of range in a query string', () => {
  it.each([
    '/history?page=1e309',
    '/history?page=Infinity',
    '/history?page=-Infinity',
    '/history?page=0',
    '/history?page=99999999999999999999',
    '/api/admin/subscribers?limit=-1',
    '/api/admin/subscribers?limit=99999999999999999999',
    '/api/admin/subscribers?limit=1e309',
    '/api/admin/subscribers?offset=1e309',
    '/api/admin/subscribers?offset=99999999999999999999',
    '/api/admin/subscribers?offset=9223372036854775808',
    '/api/admin/subscribers?offset=1e%2B308',
    '/api/admin/reports/response?from=2026-01-01T00:00:00Z&to=9999-12-31T23:59:59-23:59',
  ])('%s is a 400', async (url) => expectRefused(await api().get(url).set(owner.auth).set('accept', 'application/json')));

  // Lenient, as ajv's coercion is: a number in another spelling is that number.
  it.each(['/history?page=0x10', '/history?page=1e0', '/api/admin/subscribers?limit=1e2'])('%s is answered', async (url) => {
    expect((await api().get(url).set(owner.auth)).status).toBe(200);
  });
});

describe('path ids that are not ids', () => {
  it.each(['not-a-uuid', 'urn:uuid:3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60', '3f0e9a5c7b1d4c2e9f4a1b2c3d4e5f60', '%00', '..%2F..%2F', "1'%20or%20'1'='1"])(
    '%s is a 400 on the admin API and a 404 on the public page',
    async (id) => {
      expectRefused(await api().get(`/api/admin/incidents/${id}`).set(owner.auth));
      expectRefused(await api().patch(`/api/admin/components/${id}`).set(owner.auth).send({ name: 'x' }));
      // The public page answers with its own "not found" page.
      expect((await api().get(`/incidents/${id}`)).status).toBe(404);
    },
  );

  it('an id that is well formed but unknown is a 404', async () => {
    expectRefused(await api().get('/api/admin/incidents/00000000-0000-0000-0000-000000000000').set(owner.auth), 404);
  });
});

describe('odd JSON bodies', () => {
  const post = (url: string, raw: string) => api().post(url).set(owner.auth).set('content-type', 'application/json').send(raw);
  const patch = (url: string, raw: string) => api().patch(url).set(owner.auth).set('content-type', 'application/json').send(raw);

  it.each([
    ['a number past the schema maximum', '{"name":"a","position":99999999999999999999}'],
    ['a number past double precision', '{"name":"a","position":1e400}'],
    ['a string that coerces to Infinity', '{"name":"a","position":"1e309"}'],
    ['"Infinity"', '{"name":"a","position":"Infinity"}'],
    ['a negative number', '{"name":"a","position":-1}'],
    ['a fraction for an integer', '{"name":"a","position":0.5}'],
    // Ajv coerces what it can (1 → "1", ["a"] → "a"); what it cannot is refused.
    ['a wrong type', '{"name":{"first":"a"}}'],
    ['a list for a string', '{"name":["a","b"]}'],
    ['a word for a boolean', '{"name":"a","showcase":"maybe"}'],
    ['a top-level array', '[{"name":"a"}]'],
    ['a top-level string', '"a"'],
    ['a top-level null', 'null'],
    ['an empty object where a field is required', '{}'],
    ['a __proto__ key', '{"name":"a","__proto__":{"admin":true}}'],
    ['a constructor.prototype key', '{"name":"a","constructor":{"prototype":{"admin":true}}}'],
    ['an unknown field', '{"name":"a","isAdmin":true}'],
    ['broken JSON', '{"name":"a"'],
  ])('%s is a 400', async (_what, raw) => expectRefused(await post('/api/admin/components', raw)));

  it('takes the last of duplicate keys, as JSON.parse does', async () => {
    const res = await post('/api/admin/components', '{"name":"first","name":"second"}');
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('second');
  });

  it('refuses numbers out of range in a patch too', async () => {
    expectRefused(await patch(`/api/admin/components/${componentId}`, '{"position":"1e309"}'));
    expectRefused(await patch(`/api/admin/components/${componentId}`, '{"position":1e400}'));
  });

  // Year 9999 in its own zone is year 10000 in UTC, past what the database writes.
  it('refuses a date whose UTC year is past 9999', async () => {
    expectRefused(await patch(`/api/admin/maintenances/${maintenanceId}`, '{"scheduledUntil":"9999-12-31T23:59:59-23:59"}'));
  });

  // The audit log keeps the change as JSON, which PostgreSQL refuses with a lone surrogate in it.
  it('refuses text the database cannot store as JSON (a lone surrogate)', async () => {
    expectRefused(await patch(`/api/admin/incidents/${incidentId}`, '{"title":"a\\ud800b"}'));
  });
});

// Found by the route fuzzer: a write refused after validation (a 404, a 409) kept its
// Idempotency-Key, so a refused request wrote a row, and a retry once the refusal no longer
// held was answered with the stale refusal instead of being carried out.
describe('a refused write keeps nothing, its Idempotency-Key included', () => {
  it('a 404 or 409 leaves no key behind, and the key then serves the write that succeeds', async () => {
    const keys = async () => (await t.app.db.select().from(idempotencyKeys)).length;
    const before = await keys();
    const unknown = await api().post('/api/admin/incidents/00000000-0000-4000-8000-000000000000/acknowledge').set(owner.auth).set('idempotency-key', 'refused-1');
    expectRefused(unknown, 404);
    const incident = await api().post('/api/admin/incidents').set(owner.auth).send({ title: 'Keyed', severity: 'P3', status: 'investigating', message: 'm' });
    const resolved = await api().post(`/api/admin/incidents/${incident.body.id}/resolve`).set(owner.auth).send({ message: 'Fixed.', summary: 'A bad deploy.' });
    expect([incident.status, resolved.status]).toEqual([201, 200]);
    const publish = () => api().post(`/api/admin/incidents/${incident.body.id}/postmortem/publish`).set(owner.auth).set('idempotency-key', 'refused-2');
    expectRefused(await publish(), 409);
    expect(await keys()).toBe(before);
    // Once there is a postmortem, the same key carries the publication out instead of replaying the 409.
    expect((await api().put(`/api/admin/incidents/${incident.body.id}/postmortem`).set(owner.auth).send({ summary: 'What happened.', rootCause: 'A bad deploy.' })).status).toBe(200);
    const retried = await publish();
    expect(retried.status, JSON.stringify(retried.body)).toBeLessThan(300);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });
});

// Found by the route fuzzer: a feed for an unknown component answered a bare text/plain line.
describe('errors from the public surfaces', () => {
  it.each(['/feed.rss?component=%00', '/feed.atom?component=00000000-0000-4000-8000-000000000000'])('%s is a 404 with { error, message }', async (url) => {
    expectRefused(await api().get(url), 404);
  });
});
