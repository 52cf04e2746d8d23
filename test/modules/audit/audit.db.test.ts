import request from 'supertest';
import { describe, expect } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { now: clock.now });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const api = () => request(t.app.server);
interface Item { id: string; at: string; action: string; objectType: string; objectId: string | null; actor: { id: string; email: string } | null; before: unknown; after: unknown }
interface Page { items: Item[]; nextCursor: string | null }

async function audit(query: Record<string, string | number>, by: TestUser = owner): Promise<Page> {
  const res = await api().get('/api/admin/audit').query(query).set(by.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Page;
}

/** Every page, following the cursors. */
async function allPages(query: Record<string, string | number>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await audit(cursor ? { ...query, cursor } : query);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /api/admin/audit', () => {
  test('pages through rows stamped the same instant without losing or repeating one', async () => {
    // The clock stands still: seven rows with one timestamp, only the keyset's id orders them.
    clock.set('2026-11-25T08:00:00Z');
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await makeComponent(t.app, owner.actor, { name: `Same instant ${i}` }));
    const query = { action: 'component.create', since: '2026-11-25T08:00:00Z', until: '2026-11-25T08:00:01Z', limit: 3 };
    const first = await audit(query);
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const items = await allPages(query);
    expect(items.map((i) => i.objectId)).toEqual(made.map((c) => c.id).reverse());
    expect(new Set(items.map((i) => i.id)).size).toBe(7);
    expect(items[0]).toMatchObject({ at: '2026-11-25T08:00:00.000Z', objectType: 'component', actor: { id: owner.actor.id, email: owner.actor.email }, before: null });
    expect(items[0]!.after).toMatchObject({ name: 'Same instant 6' });
  });

  test('filters by actor (id or email), action, object and time', async () => {
    clock.set('2026-11-26T09:00:00Z');
    const mine = await makeComponent(t.app, responder.actor, { name: 'Made by the responder' });
    clock.set('2026-11-26T11:00:00Z');
    const later = await makeComponent(t.app, owner.actor, { name: 'Later' });

    const byId = await audit({ actor: responder.actor.id });
    expect(byId.items.map((i) => i.objectId)).toEqual([mine.id]);
    const byEmail = await audit({ actor: responder.actor.email.toUpperCase() });
    expect(byEmail.items.map((i) => i.objectId)).toEqual([mine.id]);
    expect((await audit({ actor: 'nobody@example.test' })).items).toEqual([]);

    const byObject = await audit({ objectType: 'component', objectId: later.id });
    expect(byObject.items).toHaveLength(1);
    expect(byObject.items[0]!.action).toBe('component.create');
    expect((await audit({ objectType: 'no-such-type' })).items).toEqual([]);

    const window = await audit({ since: '2026-11-26T08:00:00Z', until: '2026-11-26T10:00:00Z', action: 'component.create' });
    expect(window.items.map((i) => i.objectId)).toEqual([mine.id]);
    // Newest first across instants.
    const recent = await audit({ since: '2026-11-26T00:00:00Z', action: 'component.create' });
    expect(recent.items.map((i) => i.objectId)).toEqual([later.id, mine.id]);
    expect(recent.nextCursor).toBeNull();
  });

  test('a cursor it did not give out is a 400 with { error, message }', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('[1,2,3]').toString('base64url'), Buffer.from('["2026-01-01T00:00:00Z",-1]').toString('base64url')]) {
      const res = await api().get('/api/admin/audit').query({ cursor }).set(owner.auth);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringContaining('cursor') });
    }
    const tooMany = await api().get('/api/admin/audit').query({ limit: 201 }).set(owner.auth);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  test('owners only: a responder or viewer gets 403, nobody 401', async () => {
    expect((await api().get('/api/admin/audit').set(responder.auth)).status).toBe(403);
    expect((await api().get('/api/admin/audit').set(viewer.auth)).status).toBe(403);
    expect((await api().get('/api/admin/audit')).status).toBe(401);
  });

  test('defaults to 50 a page', async () => {
    clock.set('2026-11-27T08:00:00Z');
    for (let i = 0; i < 51; i++) await makeComponent(t.app, owner.actor);
    const page = await audit({});
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).not.toBeNull();
  });
});
