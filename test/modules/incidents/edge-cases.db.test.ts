import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, makeUser, type TestUser } from '../../helpers/factories.js';

/**
 * Regressions: input and states that once broke the feed, blocked a resolution
 * or answered 500. Each test states the behaviour the contract asks for.
 */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now });
  owner = await makeUser(t.app, 'owner');
  responder = await makeUser(t.app, 'responder');
});
afterAll(() => t.close());

const api = () => request(t.app.server);
const open = (body: Record<string, unknown>) =>
  api()
    .post('/api/admin/incidents')
    .set(responder.auth)
    .send({ title: 'API errors', severity: 'P3', status: 'investigating', message: 'Looking.', ...body });

// Characters XML 1.0 forbids (the same set src/text/markdown.ts strips).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

describe('feed well-formedness', () => {
  it('keeps /feed.rss well-formed when a body holds a numeric character reference to a control character', async () => {
    clock.advance(60_000);
    const res = await open({ message: 'Errors &#1; and &#xFFFF; here' });
    expect(res.status).toBe(201);
    const feed = await api().get('/feed.rss');
    expect(feed.status).toBe(200);
    // sanitize-html decodes "&#1;" and writes U+0001 back out raw, inside the CDATA section.
    expect(XML_INVALID.test(feed.text)).toBe(false);
  });
});

describe('a deleted component', () => {
  it('does not make an incident that touched it impossible to resolve', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const created = await open({ componentStatuses: { [c.id]: 'major_outage' } });
    expect(created.status).toBe(201);
    expect((await api().delete(`/api/admin/components/${c.id}`).set(owner.auth)).status).toBe(204);
    const res = await api()
      .post(`/api/admin/incidents/${created.body.id}/resolve`)
      .set(responder.auth)
      .send({ message: 'Fixed.', summary: 'It is fixed.' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('does not make a draft that named it impossible to publish', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const created = await open({ draft: true, componentStatuses: { [c.id]: 'partial_outage' } });
    expect(created.status).toBe(201);
    expect((await api().delete(`/api/admin/components/${c.id}`).set(owner.auth)).status).toBe(204);
    const res = await api().post(`/api/admin/incidents/${created.body.id}/publish`).set(responder.auth).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe('mitigatedAt at the first monitoring update', () => {
  it('is stamped when a draft is published with status monitoring', async () => {
    const created = await open({ draft: true });
    clock.advance(60_000);
    const res = await api()
      .post(`/api/admin/incidents/${created.body.id}/publish`)
      .set(responder.auth)
      .send({ status: 'monitoring', message: 'Fix deployed; watching.' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('monitoring');
    expect(res.body.mitigatedAt).not.toBeNull();
  });
});

describe('input that passes the schema but is not usable is a 400, never a 500', () => {
  it('a leap-second detectedAt (valid RFC 3339, an Invalid Date in JavaScript)', async () => {
    const res = await open({ detectedAt: '2016-12-31T23:59:60Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('an offset without minutes, "+01" (accepted by the date-time format)', async () => {
    const res = await open({ startedAt: '2026-11-24T10:00:00+01' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('a year before 1000, which the database would hand back as another year', async () => {
    // PostgreSQL writes year 1 as "0001-…", which Date reads as 2001: stored one thing, served another.
    const res = await open({ startedAt: '0001-01-01T00:00:00Z', detectedAt: '0001-01-01T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('a "urn:uuid:" id (accepted by the uuid format, refused by PostgreSQL)', async () => {
    const res = await api().get('/api/admin/incidents/urn:uuid:00000000-0000-4000-8000-000000000000').set(owner.auth);
    expect([400, 404]).toContain(res.status);
  });

  it('a "urn:uuid:" key in componentStatuses', async () => {
    const res = await open({ componentStatuses: { 'urn:uuid:00000000-0000-4000-8000-000000000000': 'major_outage' } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('an upper-case component id names the existing component', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const res = await open({ componentStatuses: { [c.id.toUpperCase()]: 'degraded_performance' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
