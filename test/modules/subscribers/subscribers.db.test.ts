import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import type { SmtpSink } from '../../helpers/smtp.js';
import { test } from '../../helpers/fixtures.js';

test.override('appOptions', ({ smtp }) => ({ config: { smtpUrl: smtp.url, subscribeRateLimit: 3 } }));

describe('subscriber administration', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let owner: TestUser;
  let responder: TestUser;
  let api: { id: string };

  test.beforeAll(async ({ testApp, smtp: sink, owner: o, responder: r }) => {
    t = testApp;
    smtp = sink;
    owner = o;
    responder = r;
    api = await makeComponent(t.app, owner.actor, { name: 'API' });
  });

  const importList = (body: object, auth = owner.auth) => request(t.app.server).post('/api/admin/subscribers/import').set(auth).send(body);

  it('imports a list in one call: invalid addresses reported and skipped, known ones skipped', async () => {
    const res = await importList({
      subscribers: [
        { email: 'one@example.org' },
        { email: 'two@example.org', componentIds: [api.id] },
        { email: 'ONE@example.org' },
        { email: 'bad address@example.org' },
        { email: '"quoted"@example.org' },
      ],
      confirmed: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.skipped).toBe(3);
    expect(res.body.invalid.map((i: { index: number }) => i.index)).toEqual([3, 4]);
    const again = await importList({ subscribers: [{ email: 'one@example.org' }, { email: 'three@example.org' }], confirmed: true });
    expect(again.body).toMatchObject({ imported: 1, skipped: 1, invalid: [] });
    // Confirmed imports get no confirmation mail.
    expect(await t.app.notifications.worker.drain()).toBe(0);
  });

  it('mails a confirmation to each new address of an unconfirmed import', async () => {
    const res = await importList({ subscribers: [{ email: 'p1@example.org' }, { email: 'p2@example.org' }, { email: 'one@example.org' }], confirmed: false });
    expect(res.body).toMatchObject({ imported: 2, skipped: 1 });
    await t.app.notifications.worker.drain();
    expect(smtp.messages.map((m) => m.subject)).toEqual(Array(2).fill('Confirm your subscription to Example Status'));
  });

  it('refuses an unknown component or a list over 10,000 with 400, importing nothing', async () => {
    const unknown = await importList({ subscribers: [{ email: 'x@example.org', componentIds: ['00000000-0000-4000-8000-000000000000'] }], confirmed: true });
    expect(unknown.status).toBe(400);
    const tooMany = await importList({ subscribers: Array.from({ length: 10_001 }, (_, i) => ({ email: `u${i}@example.org` })), confirmed: true });
    expect(tooMany.status).toBe(400);
    const list = await request(t.app.server).get('/api/admin/subscribers?limit=1000').set(owner.auth).expect(200);
    expect(list.body.map((s: { email: string }) => s.email).sort()).toEqual(['one@example.org', 'p1@example.org', 'p2@example.org', 'three@example.org', 'two@example.org']);
  });

  it('lists, exports as CSV and deletes', async () => {
    const list = await request(t.app.server).get('/api/admin/subscribers').set(owner.auth).expect(200);
    const two = list.body.find((s: { email: string }) => s.email === 'two@example.org');
    expect(two).toMatchObject({ status: 'confirmed', componentIds: [api.id] });
    expect(list.body.find((s: { email: string }) => s.email === 'p1@example.org').status).toBe('pending');
    const found = await request(t.app.server).get('/api/admin/subscribers?search=P1@').set(owner.auth).expect(200);
    expect(found.body.map((s: { email: string }) => s.email)).toEqual(['p1@example.org']);
    // `%` and `_` are text, not wildcards.
    expect((await request(t.app.server).get('/api/admin/subscribers?search=%25').set(owner.auth).expect(200)).body).toEqual([]);
    const page = await request(t.app.server).get('/api/admin/subscribers?limit=2&offset=1').set(owner.auth).expect(200);
    expect(page.body.map((s: { id: string }) => s.id)).toEqual(list.body.slice(1, 3).map((s: { id: string }) => s.id));

    const csv = await request(t.app.server).get('/api/admin/subscribers/export').set(owner.auth).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('email,status,component_ids,confirmed_at,created_at');
    expect(lines).toHaveLength(6);
    expect(lines.find((l) => l.startsWith('two@'))).toContain(`,confirmed,${api.id},`);

    await request(t.app.server).delete(`/api/admin/subscribers/${two.id}`).set(owner.auth).expect(204);
    await request(t.app.server).delete(`/api/admin/subscribers/${two.id}`).set(owner.auth).expect(404);
  });

  it('answers 401 without a token, 403 to a responder, 400 for bad input', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['get', '/api/admin/subscribers'],
      ['get', '/api/admin/subscribers/export'],
      ['post', '/api/admin/subscribers/import'],
      ['delete', `/api/admin/subscribers/${id}`],
    ] as const) {
      await request(t.app.server)[method](path).expect(401);
      await request(t.app.server)[method](path).set(responder.auth).send({ subscribers: [], confirmed: true }).expect(403);
    }
    await request(t.app.server).get('/api/admin/subscribers?limit=0').set(owner.auth).expect(400);
    expect((await importList({ subscribers: [{ email: 'a@b.org' }] })).status).toBe(400);
    await request(t.app.server).delete('/api/admin/subscribers/not-a-uuid').set(owner.auth).expect(400);
  });

  it('rate limits subscription requests per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await request(t.app.server).post('/subscribe').send({ email: `rl${i}@example.org` })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('makes unguessable links: the database holds no usable token', async () => {
    // What is stored about a subscriber cannot be replayed as a link: it is a hash and a nonce.
    const [row] = await t.app.db.query.subscribers.findMany({ limit: 1 });
    const token = row!.unsubscribeTokenHash;
    await request(t.app.server).get(`/unsubscribe/${token}`).expect(404);
    await request(t.app.server).get(`/unsubscribe/${row!.unsubscribeNonce}`).expect(404);
  });
});
