import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { idempotencyKeys } from '../../../src/db/schema/index.js';
import { enqueueWebhookEvent } from '../../../src/notifications/outbox.js';
import { postWebhook } from '../../../src/notifications/webhook-sender.js';
import { testConfig, type TestApp } from '../../helpers/app.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** A resolver stub: no DNS in tests, and names that resolve wherever a test needs. */
const HOSTS: Record<string, LookupAddress[]> = {
  'public.example.test': [{ address: '93.184.216.34', family: 4 }],
  'private.example.test': [{ address: '10.1.2.3', family: 4 }],
  'mixed.example.test': [{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }],
  'v6-local.example.test': [{ address: 'fd00::1', family: 6 }],
  'receiver.example.test': [{ address: '127.0.0.1', family: 4 }],
};
const resolver = async (host: string) => {
  const found = HOSTS[host];
  if (!found) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

test.override('appOptions', { resolver });

describe('webhook subscribers', () => {
  let t: TestApp;
  let owner: TestUser;
  let responder: TestUser;
  let receiver: http.Server;
  let receiverPort: number;
  const received: Array<{ url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  /** A second app on the same database that may reach private addresses, to deliver to the local receiver. */
  let internal: FastifyInstance;

  test.beforeAll(async ({ testApp, owner: o, responder: r }) => {
    t = testApp;
    owner = o;
    responder = r;
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, body });
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverPort = (receiver.address() as AddressInfo).port;
    internal = await buildApp({ config: testConfig({ webhookAllowPrivate: true }), database: t.database, resolver, logger: false });
    await internal.ready();
  });
  afterAll(async () => {
    await internal.close();
    await new Promise((r) => receiver.close(r));
  });

  const create = (app: FastifyInstance, body: object, auth = owner.auth) => request(app.server).post('/api/admin/webhooks').set(auth).send(body);

  it('refuses URLs that are not http(s) or that resolve to loopback, private or link-local addresses', async () => {
    for (const url of [
      'ftp://public.example.test/hook',
      'http://127.0.0.1/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'https://private.example.test/hook',
      'https://mixed.example.test/hook',
      'https://v6-local.example.test/hook',
      'https://unknown.example.test/hook',
      'https://user:pass@public.example.test/hook',
      'not a url',
    ]) {
      const res = await create(t.app, { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
  });

  it('registers a public URL, shows the generated secret once, lists and deletes', async () => {
    const res = await create(t.app, { url: 'https://public.example.test/hook', description: 'Ops bot' });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = await request(t.app.server).get('/api/admin/webhooks').set(owner.auth).expect(200);
    expect(list.body).toEqual([{ id: res.body.id, url: 'https://public.example.test/hook', description: 'Ops bot', componentIds: [], createdAt: expect.any(String), deliveries: { pending: 0, sent: 0, failed: 0, dead: 0 }, lastError: null }]);
    await request(t.app.server).delete(`/api/admin/webhooks/${res.body.id}`).set(owner.auth).expect(204);
    await request(t.app.server).delete(`/api/admin/webhooks/${res.body.id}`).set(owner.auth).expect(404);
  });

  it('refuses an Idempotency-Key on creation: a replay would show the secret again, and store it', async () => {
    const res = await request(t.app.server)
      .post('/api/admin/webhooks')
      .set(owner.auth)
      .set('idempotency-key', 'hook-1')
      .send({ url: 'https://public.example.test/keyed' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('HG_INVALID');
    expect((await t.app.db.select().from(idempotencyKeys)).some((k) => k.key === 'hook-1')).toBe(false);
    const list = await request(t.app.server).get('/api/admin/webhooks').set(owner.auth).expect(200);
    expect(list.body.some((w: { url: string }) => w.url.endsWith('/keyed'))).toBe(false);
  });

  it('answers 401 without a token, 403 to a responder, 400 for a bad body or id', async () => {
    await request(t.app.server).get('/api/admin/webhooks').expect(401);
    await request(t.app.server).post('/api/admin/webhooks').send({ url: 'https://public.example.test/' }).expect(401);
    await request(t.app.server).delete('/api/admin/webhooks/00000000-0000-4000-8000-000000000000').expect(401);
    await request(t.app.server).get('/api/admin/webhooks').set(responder.auth).expect(403);
    expect((await create(t.app, { url: 'https://public.example.test/' }, responder.auth)).status).toBe(403);
    await request(t.app.server).delete('/api/admin/webhooks/00000000-0000-4000-8000-000000000000').set(responder.auth).expect(403);
    expect((await create(t.app, { url: 'https://public.example.test/', secret: 'short' })).status).toBe(400);
    expect((await create(t.app, { url: 'https://public.example.test/', extra: 1 })).status).toBe(400);
    await request(t.app.server).delete('/api/admin/webhooks/nope').set(owner.auth).expect(400);
  });

  it('POSTs each incident update as a Statuspage-shaped payload signed with the secret', async () => {
    const secret = 'a-secret-of-sufficient-length';
    const hook = await create(internal, { url: `http://receiver.example.test:${receiverPort}/hook`, secret });
    expect(hook.status).toBe(201);
    const api = await makeComponent(t.app, owner.actor, { name: 'API' });
    const incident = await request(internal.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'API errors', severity: 'P1', status: 'investigating', message: 'Errors.', componentStatuses: { [api.id]: 'major_outage' } })
      .expect(201);
    await internal.notifications.worker.drain();
    // The incident, and the component status it changed (its own event, tested in webhook-events).
    expect(received.map((r) => r.headers['x-heliograph-event']).sort()).toEqual(['component.update', 'incident.created']);
    const delivery = received.find((r) => r.headers['x-heliograph-event'] === 'incident.created');
    expect(delivery!.headers['content-type']).toBe('application/json');
    const expected = `sha256=${createHmac('sha256', secret).update(delivery!.body).digest('hex')}`;
    expect(delivery!.headers['x-heliograph-signature']).toBe(expected);
    const payload = JSON.parse(delivery!.body);
    expect(payload.page).toMatchObject({ status_indicator: 'critical', status_description: 'Major System Outage' });
    expect(payload.incident).toMatchObject({ id: incident.body.id, name: 'API errors', status: 'investigating', impact: 'major' });
    expect(payload.incident.incident_updates[0]).toMatchObject({
      status: 'investigating',
      body: 'Errors.',
      affected_components: [{ code: api.id, name: 'API', new_status: 'major_outage' }],
    });
    expect(payload.incident.components).toMatchObject([{ id: api.id, name: 'API', status: 'major_outage', page_id: payload.page.id }]);
  });

  it('sends webhook-only events to webhooks and nobody else; a failing receiver is retried', async () => {
    await create(internal, { url: `http://receiver.example.test:${receiverPort}/fail` }).expect(201);
    const result = await internal.db.transaction((tx) =>
      enqueueWebhookEvent(tx, { kind: 'incident.reminder', webhook: { reminder: true }, dedupeKey: 'r1' }, internal.now()),
    );
    expect(result).toMatchObject({ emails: 0, webhooks: 2 });
    const before = received.length;
    await internal.notifications.worker.drain();
    expect(received.slice(before).map((r) => JSON.parse(r.body))).toEqual([{ reminder: true }, { reminder: true }]);
    // The list tells the owner which webhook fails, and why.
    const listed = await request(t.app.server).get('/api/admin/webhooks').set(owner.auth).expect(200);
    const failing = listed.body.find((w: { url: string }) => w.url.endsWith('/fail'));
    expect(failing).toMatchObject({ deliveries: { pending: 0, sent: 0, failed: 1, dead: 0 }, lastError: expect.stringMatching(/\S/) });
    // The incident and its component_update (the test above), then this event.
    expect(listed.body.find((w: { url: string }) => w.url.endsWith('/hook'))).toMatchObject({ deliveries: { sent: 3, failed: 0 }, lastError: null });
  });

  it('refuses at connect time a host that has come to resolve to a private address', async () => {
    await expect(
      postWebhook(
        { url: `http://receiver.example.test:${receiverPort}/hook`, secret: 's', body: '{}', event: 'e', deliveryId: 'd' },
        { resolver, allowPrivate: false, timeoutMs: 2000 },
      ),
    ).rejects.toThrow(/no public address/);
  });

  it('sends the incident the Statuspage API serves: every update, each with what it changed', async () => {
    await create(internal, { url: `http://receiver.example.test:${receiverPort}/v2-twin` });
    const db = await makeComponent(t.app, owner.actor, { name: 'Database' });
    const web = await makeComponent(t.app, owner.actor, { name: 'Web' });
    const { body: incident } = await request(internal.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Slow queries', severity: 'P2', status: 'investigating', message: 'Slow.', componentStatuses: { [db.id]: 'major_outage', [web.id]: 'degraded_performance' } })
      .expect(201);
    await request(internal.server)
      .post(`/api/admin/incidents/${incident.id}/updates`)
      .set(owner.auth)
      .send({ status: 'identified', message: 'A bad index.', componentStatuses: { [db.id]: 'partial_outage' } })
      .expect(201);
    await internal.notifications.worker.drain();
    const sent = received.filter((r) => r.url === '/v2-twin' && r.headers['x-heliograph-event'] !== 'component.update').map((r) => JSON.parse(r.body));
    const latest = sent.at(-1)!;
    const served = (await request(internal.server).get('/api/v2/incidents.json').expect(200)).body.incidents.find((i: { id: string }) => i.id === incident.id);
    const { incident_updates: servedUpdates, ...servedFields } = served;
    expect(latest.incident).toMatchObject(servedFields);
    expect(latest.incident.incident_updates).toHaveLength(2);
    latest.incident.incident_updates.forEach((u: object, i: number) => expect(u).toMatchObject(servedUpdates[i]));
    expect(latest.incident.incident_updates[0].affected_components).toEqual([{ code: db.id, name: 'Database', old_status: 'major_outage', new_status: 'partial_outage' }]);
    expect(latest.page.id).toBe(served.page_id);
  });
});
