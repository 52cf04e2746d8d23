import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

let t: TestApp;
let owner: TestUser;
let component: { id: string };

test.beforeAll(async ({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
  component = await makeComponent(t.app, owner.actor, { name: 'Search & <Index>' });
});

const api = () => request(t.app.server);
/** SVG is not text/* to supertest: collect the body as a string. */
const get = (path: string) => api().get(path).buffer(true).parse((res, cb) => {
  let data = '';
  res.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
  res.on('end', () => cb(null, data));
});

describe('GET /badge.svg', () => {
  it('is the overall status as an SVG, cached with an ETag', async () => {
    const res = await get('/badge.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(String(res.body)).toContain('status: operational');
    const again = await api().get('/badge.svg').set('if-none-match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('follows a status change at once', async () => {
    const patch = await api().patch(`/api/admin/components/${component.id}`).set(owner.auth).send({ status: 'major_outage' });
    expect(patch.status).toBe(200);
    expect(String((await get('/badge.svg')).body)).toContain('status: major outage');
  });
});

describe('GET /components/:id/badge.svg', () => {
  it("is one component's status, its name escaped", async () => {
    const res = await get(`/components/${component.id.toUpperCase()}/badge.svg`);
    expect(res.status).toBe(200);
    const svg = String(res.body);
    expect(svg).toContain('Search &amp; &lt;Index&gt;: major outage');
    expect(svg).not.toContain('<Index>');
  });

  it.each(['not-a-uuid', randomUUID()])('answers 404 for an unknown component (%s), as an uncached badge', async (id) => {
    const res = await get(`/components/${id}/badge.svg`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.body)).toContain('status: unknown');
  });

  it('stops showing a deleted component', async () => {
    const doomed = await makeComponent(t.app, owner.actor, { name: 'Doomed' });
    expect((await get(`/components/${doomed.id}/badge.svg`)).status).toBe(200);
    expect((await api().delete(`/api/admin/components/${doomed.id}`).set(owner.auth)).status).toBe(204);
    expect((await get(`/components/${doomed.id}/badge.svg`)).status).toBe(404);
  });
});
