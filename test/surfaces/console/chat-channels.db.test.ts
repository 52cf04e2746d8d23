import { count, desc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditLog, chatChannels, notificationDeliveries } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { signedInVisitor } from '../../helpers/console-session.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** No DNS in tests: one public name for chat webhooks. */
const resolver = async (host: string) => {
  if (host === 'hooks.example.test') return [{ address: '93.184.216.34', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

let t: TestApp;
let owner: TestUser;
let responder: TestUser;

test.override('appOptions', { resolver, config: { loginRateLimit: 100, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r }) => {
  t = testApp;
  owner = o;
  responder = r;
});

const channels = async () => (await t.app.db.select({ n: count() }).from(chatChannels))[0]!.n;

test('an owner has the link; a responder gets 403 on the screen and its forms, and nothing is written', async () => {
  expect((await (await signedInVisitor(t.app, owner)).get('/admin')).body).toContain('<a href="/admin/chat-channels">Chat channels</a>');
  const visitor = await signedInVisitor(t.app, responder);
  expect((await visitor.get('/admin')).body).not.toContain('Chat channels');
  expect((await visitor.get('/admin/chat-channels')).statusCode).toBe(403);
  expect((await visitor.post('/admin/chat-channels', { platform: 'slack', name: 'x', url: 'https://hooks.example.test/x', audience: 'staff' })).statusCode).toBe(403);
  expect(await channels()).toBe(0);
});

test('adds a subscriber channel narrowed to a component, lists it masked, and re-renders the form with the reason it refuses', async () => {
  const api = await makeComponent(t.app, owner.actor, { name: 'API' });
  const visitor = await signedInVisitor(t.app, owner);
  await visitor.get('/admin/chat-channels');
  const added = await visitor.post('/admin/chat-channels', { platform: 'discord', name: '#status', url: 'https://hooks.example.test/api/webhooks/1/SECRETtoken', audience: 'subscriber', componentIds: api.id });
  expect(added.statusCode).toBe(303);
  const page = await visitor.get('/admin/chat-channels?done=added');
  expect(page.body).toContain('The chat channel was added.');
  expect(page.body).toContain('#status');
  expect(page.body).toContain('Public events of API');
  expect(page.body).not.toContain('SECRET');

  const refused = await visitor.post('/admin/chat-channels', { platform: 'slack', name: 'Ops', url: 'http://127.0.0.1/hook', audience: 'staff', staffEvents: ['digest', 'reminder'], digestMinutes: '20' });
  expect(refused.statusCode).toBe(400);
  expect(refused.body).toContain('loopback, private or link-local');
  // What was typed comes back, ticks included.
  expect(refused.body).toContain('value="Ops"');
  expect(refused.body).toMatch(/id="event-digest"[^>]*checked/);
  expect((await visitor.post('/admin/chat-channels', { platform: 'slack', name: 'Ops', url: 'https://hooks.example.test/x', audience: 'staff', digestMinutes: '5' })).body).toContain('Every 15 to 30 minutes.');
  expect(await channels()).toBe(1);
});

test('sends a test message through the outbox, and deletes after a confirmation, each audited', async () => {
  const visitor = await signedInVisitor(t.app, owner);
  await visitor.get('/admin/chat-channels');
  expect((await visitor.post('/admin/chat-channels', { platform: 'teams', name: 'Leadership', url: 'https://hooks.example.test/teams', audience: 'staff', staffEvents: 'digest', digestMinutes: '15' })).statusCode).toBe(303);
  const [channel] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.name, 'Leadership'));
  expect(channel).toMatchObject({ audience: 'staff', staffEvents: ['digest'], digestMinutes: 15, componentIds: [] });
  await visitor.get('/admin/chat-channels');
  expect((await visitor.post(`/admin/chat-channels/${channel!.id}/test`)).statusCode).toBe(303);
  expect(await t.app.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.chatChannelId, channel!.id))).toHaveLength(1);
  const confirm = await visitor.get(`/admin/chat-channels/${channel!.id}/delete`);
  expect(confirm.body).toContain('Delete the Microsoft Teams channel “Leadership”?');
  expect((await visitor.post(`/admin/chat-channels/${channel!.id}/delete`)).statusCode).toBe(303);
  expect(await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel!.id))).toEqual([]);
  const actions = (await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, channel!.id)).orderBy(desc(auditLog.id))).map((a) => a.action);
  expect(actions).toEqual(['chat_channel.delete', 'chat_channel.test', 'chat_channel.create']);
});
