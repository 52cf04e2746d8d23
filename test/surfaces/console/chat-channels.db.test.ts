import { count, desc, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
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
let viewer: TestUser;

test.override('appOptions', { resolver, config: { loginRateLimit: 100, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
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

describe('editing a chat channel', () => {
  const add = async (values: Record<string, string | string[]>) => {
    const visitor = await signedInVisitor(t.app, owner);
    await visitor.get('/admin/chat-channels');
    expect((await visitor.post('/admin/chat-channels', { platform: 'slack', url: 'https://hooks.example.test/services/T1/B2/edit', ...values })).statusCode).toBe(303);
    const [row] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.name, values.name as string));
    return { visitor, channel: row! };
  };
  const version = (page: string) => /name="version" value="([^"]+)"/.exec(page)![1]!;

  test('a responder and a viewer get 403 on the page and its form, and nothing changes', async () => {
    const { channel } = await add({ name: 'Read only', audience: 'subscriber' });
    for (const user of [responder, viewer]) {
      const visitor = await signedInVisitor(t.app, user);
      expect((await visitor.get(`/admin/chat-channels/${channel.id}/edit`)).statusCode).toBe(403);
      expect((await visitor.post(`/admin/chat-channels/${channel.id}/edit`, { name: 'Taken over' })).statusCode).toBe(403);
    }
    const [after] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel.id));
    expect(after!.name).toBe('Read only');
  });

  test('an owner renames a subscriber channel and narrows it to a component, through the verb the API uses', async () => {
    const web = await makeComponent(t.app, owner.actor, { name: 'Website' });
    const { visitor, channel } = await add({ name: 'Customers', audience: 'subscriber' });
    expect((await visitor.get('/admin/chat-channels')).body).toContain(`href="/admin/chat-channels/${channel.id}/edit"`);
    const page = await visitor.get(`/admin/chat-channels/${channel.id}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('https://hooks.example.test/…edit');
    expect(page.body).not.toContain('name="url"');
    // A subscriber channel has no staff events to choose.
    expect(page.body).not.toContain('name="staffEvents"');
    const saved = await visitor.post(`/admin/chat-channels/${channel.id}/edit`, { name: ' Customers (web) ', componentIds: web.id, version: version(page.body) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/chat-channels?done=saved');
    const [row] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel.id));
    expect(row).toMatchObject({ name: 'Customers (web)', componentIds: [web.id], audience: 'subscriber', url: channel.url });
    const [audit] = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, channel.id)).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ action: 'chat_channel.update', before: { name: 'Customers', componentIds: [] }, after: { name: 'Customers (web)', componentIds: [web.id] } });
  });

  test('a staff channel: a bad interval and an empty name are said beside their fields, with what was typed kept', async () => {
    const { visitor, channel } = await add({ name: 'Leads', audience: 'staff', staffEvents: ['digest', 'reminder'], digestMinutes: '30' });
    const page = await visitor.get(`/admin/chat-channels/${channel.id}/edit`);
    expect(page.body).not.toContain('name="componentIds"');
    const refused = await visitor.post(`/admin/chat-channels/${channel.id}/edit`, { name: '', staffEvents: ['digest', 'ack_overdue'], digestMinutes: '90', version: version(page.body) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Name is required, at most 100 characters.');
    expect(refused.body).toContain('Every 15 to 30 minutes.');
    expect(refused.body).toContain('value="90"');
    expect(refused.body).toMatch(/id="event-ack_overdue"[^>]*checked/);
    expect(refused.body).not.toMatch(/id="event-reminder"[^>]*checked/);
    const [row] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel.id));
    expect(row).toMatchObject({ name: 'Leads', staffEvents: ['digest', 'reminder'], digestMinutes: 30 });

    expect((await visitor.post(`/admin/chat-channels/${channel.id}/edit`, { name: 'Leads', staffEvents: 'digest', digestMinutes: '15', version: version(page.body) })).statusCode).toBe(303);
    const [after] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel.id));
    expect(after).toMatchObject({ staffEvents: ['digest'], digestMinutes: 15 });
  });

  // Two owners open the form; the second save would silently undo the first without the version.
  test("a save on a stale form is refused with the person's input kept, and a second save replaces knowingly", async () => {
    const { visitor, channel } = await add({ name: 'Ops', audience: 'staff', staffEvents: 'digest', digestMinutes: '30' });
    const opened = version((await visitor.get(`/admin/chat-channels/${channel.id}/edit`)).body);
    const other = await t.app.inject({ method: 'PATCH', url: `/api/admin/chat-channels/${channel.id}`, headers: owner.auth, payload: { name: 'Ops (renamed)' } });
    expect(other.statusCode).toBe(200);
    const stale = await visitor.post(`/admin/chat-channels/${channel.id}/edit`, { name: 'Ops mine', staffEvents: ['digest', 'reminder'], digestMinutes: '20', version: opened });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this chat channel after you opened it (it is now named “Ops (renamed)”)');
    expect(stale.body).toContain('value="Ops mine"');
    expect(stale.body).toContain('value="20"');
    expect(stale.body).toMatch(/id="event-reminder"[^>]*checked/);
    const [row] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel.id));
    expect(row!.name).toBe('Ops (renamed)');

    expect((await visitor.post(`/admin/chat-channels/${channel.id}/edit`, { name: 'Ops mine', staffEvents: ['digest', 'reminder'], digestMinutes: '20', version: version(stale.body) })).statusCode).toBe(303);
    const [after] = await t.app.db.select().from(chatChannels).where(eq(chatChannels.id, channel.id));
    expect(after).toMatchObject({ name: 'Ops mine', staffEvents: ['digest', 'reminder'], digestMinutes: 20 });
  });

  test('an unknown channel is a 404', async () => {
    const visitor = await signedInVisitor(t.app, owner);
    expect((await visitor.get('/admin/chat-channels/00000000-0000-4000-8000-000000000000/edit')).statusCode).toBe(404);
  });
});
