import type { LookupAddress } from 'node:dns';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../../src/app.js';
import { auditLog, notificationDeliveries } from '../../../src/db/schema/index.js';
import { CHAT_PLATFORMS } from '../../../src/domain/notification-vocabulary.js';
import { testConfig, type TestApp } from '../../helpers/app.js';
import { startChatReceiver } from '../../helpers/chat-platforms.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** No DNS in tests: names resolve wherever a test needs. */
const HOSTS: Record<string, LookupAddress[]> = {
  'hooks.example.test': [{ address: '93.184.216.34', family: 4 }],
  'private.example.test': [{ address: '10.1.2.3', family: 4 }],
  'chat.example.test': [{ address: '127.0.0.1', family: 4 }],
};
const resolver = async (host: string) => {
  const found = HOSTS[host];
  if (!found) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

const clock = new TestClock('2026-12-07T10:00:00Z');
test.override('appOptions', { resolver, now: clock.now });

describe('chat channels', () => {
  let t: TestApp;
  let owner: TestUser;
  let responder: TestUser;
  let receiver: Awaited<ReturnType<typeof startChatReceiver>>;
  /** A second app on the same database that may reach private addresses, to deliver to the local receiver. */
  let internal: FastifyInstance;
  const local = (path: string) => `http://chat.example.test:${receiver.port}${path}`;

  test.beforeAll(async ({ testApp, owner: o, responder: r }) => {
    t = testApp;
    owner = o;
    responder = r;
    receiver = await startChatReceiver({ retryAfter: '120' });
    internal = await buildApp({ config: testConfig({ webhookAllowPrivate: true, logLevel: 'error' }), database: t.database, resolver, now: clock.now, logger: { level: 'error' } });
    await internal.ready();
  });
  afterAll(async () => {
    await internal.close();
    await receiver.close();
  });

  const create = (app: FastifyInstance, body: object, auth = owner.auth) => request(app.server).post('/api/admin/chat-channels').set(auth).send(body);
  const list = async () => (await request(t.app.server).get('/api/admin/chat-channels').set(owner.auth).expect(200)).body as Array<Record<string, unknown>>;
  const drain = () => internal.notifications.worker.drain();
  const openIncident = (body: object) => request(internal.server).post('/api/admin/incidents').set(owner.auth).send({ severity: 'P1', status: 'investigating', message: 'Looking <!channel> @everyone.', ...body }).expect(201);

  it('refuses URLs that are not http(s) or that reach loopback, link-local or private addresses, in any IPv6 spelling', async () => {
    for (const url of [
      'ftp://hooks.example.test/x',
      'http://127.0.0.1/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://[::ffff:127.0.0.1]/x',
      'http://[64:ff9b::a01:203]/x',
      'http://[2002:a01:203::1]/x',
      'http://[::7f00:1]/x',
      'https://private.example.test/x',
      'https://user:pw@hooks.example.test/x',
      'not a url',
    ]) {
      const res = await create(t.app, { platform: 'slack', url, name: 'Ops', audience: 'subscriber' });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
  });

  it('answers 401 without a token, 403 to a responder, 400 for a bad body, 404 for an unknown channel', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    await request(t.app.server).get('/api/admin/chat-channels').expect(401);
    await request(t.app.server).post(`/api/admin/chat-channels/${id}/test`).expect(401);
    await request(t.app.server).get('/api/admin/chat-channels').set(responder.auth).expect(403);
    expect((await create(t.app, { platform: 'slack', url: 'https://hooks.example.test/a', name: 'x', audience: 'staff' }, responder.auth)).status).toBe(403);
    await request(t.app.server).patch(`/api/admin/chat-channels/${id}`).set(responder.auth).send({ name: 'y' }).expect(403);
    await request(t.app.server).delete(`/api/admin/chat-channels/${id}`).set(responder.auth).expect(403);
    for (const body of [
      { platform: 'irc', url: 'https://hooks.example.test/a', name: 'x', audience: 'staff' },
      { platform: 'slack', url: 'https://hooks.example.test/a', name: '', audience: 'staff' },
      { platform: 'slack', url: 'https://hooks.example.test/a', name: 'x', audience: 'staff', digestMinutes: 5 },
      { platform: 'slack', url: 'https://hooks.example.test/a', name: 'x', audience: 'staff', staffEvents: ['gossip'] },
      { platform: 'slack', url: 'https://hooks.example.test/a', name: 'x', audience: 'subscriber', staffEvents: ['digest'] },
      { platform: 'slack', url: 'https://hooks.example.test/a', name: 'x', audience: 'everyone' },
    ]) {
      expect((await create(t.app, body)).status, JSON.stringify(body)).toBe(400);
    }
    await request(t.app.server).patch(`/api/admin/chat-channels/${id}`).set(owner.auth).send({}).expect(400);
    await request(t.app.server).patch(`/api/admin/chat-channels/${id}`).set(owner.auth).send({ name: 'y' }).expect(404);
    await request(t.app.server).delete('/api/admin/chat-channels/nope').set(owner.auth).expect(400);
    await request(t.app.server).post(`/api/admin/chat-channels/${id}/test`).set(owner.auth).expect(404);
  });

  it('keeps the URL secret: listed masked, kept out of the audit log; changes and deletes are audited', async () => {
    const url = 'https://hooks.example.test/services/T000/B000/SECRETsecret1234';
    const res = await create(t.app, { platform: 'slack', url, name: 'Leadership', audience: 'staff', staffEvents: ['digest'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ platform: 'slack', name: 'Leadership', audience: 'staff', staffEvents: ['digest'], digestMinutes: 30, url: 'https://hooks.example.test/…1234' });
    expect(JSON.stringify(await list())).not.toContain('SECRET');
    const patched = await request(t.app.server).patch(`/api/admin/chat-channels/${res.body.id}`).set(owner.auth).send({ digestMinutes: 15, staffEvents: ['digest', 'reminder'] }).expect(200);
    expect(patched.body).toMatchObject({ digestMinutes: 15, staffEvents: ['digest', 'reminder'] });
    await request(t.app.server).delete(`/api/admin/chat-channels/${res.body.id}`).set(owner.auth).expect(204);
    await request(t.app.server).delete(`/api/admin/chat-channels/${res.body.id}`).set(owner.auth).expect(404);
    const audit = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, res.body.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['chat_channel.create', 'chat_channel.delete', 'chat_channel.update']);
    expect(JSON.stringify(audit)).not.toContain('SECRET');
  });

  it('posts a public incident to a subscriber channel on every platform, in each platform’s documented shape', async () => {
    for (const platform of CHAT_PLATFORMS) await create(internal, { platform, url: local(`/${platform}/all`), name: platform, audience: 'subscriber' }).expect(201);
    await create(internal, { platform: 'slack', url: local('/slack/staff-only'), name: 'staff', audience: 'staff' }).expect(201);
    await openIncident({ title: 'Checkout errors' });
    await drain();
    const posts = receiver.posts.filter((p) => p.path.endsWith('/all'));
    expect(posts.map((p) => p.platform).sort()).toEqual([...CHAT_PLATFORMS].sort());
    for (const post of posts) {
      expect(post.problems, post.platform).toEqual([]);
      expect(JSON.stringify(post.body), post.platform).toContain('Checkout errors');
      // The responder's text cannot ping the channel on any platform.
      expect(JSON.stringify(post.body), post.platform).not.toMatch(/<!channel>|[^\\]\[click\]/);
    }
    expect(posts.find((p) => p.platform === 'discord')!.body.allowed_mentions).toEqual({ parse: [] });
    // Staff channels hear staff events, not what the page says.
    expect(receiver.posts.some((p) => p.path === '/slack/staff-only')).toBe(false);
    const listed = (await list()).find((c) => c.name === 'slack' && c.audience === 'subscriber');
    expect(listed).toMatchObject({ deliveries: { sent: 1, pending: 0, failed: 0, dead: 0 }, lastError: null });
  });

  it('narrows a subscriber channel to its components, as webhook subscribers are', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'API' });
    const web = await makeComponent(t.app, owner.actor, { name: 'Web' });
    await create(internal, { platform: 'discord', url: local('/discord/api-only'), name: 'API watchers', audience: 'subscriber', componentIds: [api.id] }).expect(201);
    await openIncident({ title: 'Web is slow', componentStatuses: { [web.id]: 'degraded_performance' } });
    await openIncident({ title: 'API is down', componentStatuses: { [api.id]: 'major_outage' } });
    await drain();
    const titles = receiver.posts.filter((p) => p.path === '/discord/api-only').map((p) => (p.body.embeds as Array<{ title: string }>)[0]!.title);
    // The incident and its component change; nothing of the web's.
    expect(titles.sort()).toEqual(['API is down', 'API: Major outage']);
  });

  it('retries a 429 no sooner than its Retry-After, then delivers', async () => {
    const busy = await create(internal, { platform: 'slack', url: local('/slack/busy'), name: 'busy', audience: 'staff' }).expect(201);
    await request(internal.server).post(`/api/admin/chat-channels/${busy.body.id}/test`).set(owner.auth).expect(202);
    await drain();
    const [row] = await t.app.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.chatChannelId, busy.body.id));
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('HTTP 429') });
    expect(row!.nextAttemptAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(120_000);
    clock.advanceSeconds(60);
    await drain();
    expect(receiver.posts.some((p) => p.path === '/slack/busy')).toBe(false);
    clock.advanceSeconds(61);
    await drain();
    const sent = receiver.posts.filter((p) => p.path === '/slack/busy');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.problems).toEqual([]);
    expect(JSON.stringify(sent[0]!.body)).toContain('Test message from Example Status');
  });
});
