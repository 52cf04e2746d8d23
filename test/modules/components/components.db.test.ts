import { randomUUID } from 'node:crypto';
import { asc, count, desc, eq } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditLog, components, componentStatusChanges } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { makeComponent, makeGroup, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const api = () => request(t.app.server);
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const ownerOnly = (role: string) => ({ error: 'HG_FORBIDDEN', message: `This needs the owner role; you are ${role}` });
const ATTRIBUTES_FORBIDDEN = { error: 'HG_FORBIDDEN', message: 'Only an owner may change a component other than its status' };

async function getComponent(id: string) {
  const res = await api().get('/api/admin/components').set(viewer.auth);
  expect(res.status).toBe(200);
  return res.body.find((c: { id: string }) => c.id === id);
}

async function getGroup(id: string) {
  const res = await api().get('/api/admin/component-groups').set(viewer.auth);
  expect(res.status).toBe(200);
  return res.body.find((g: { id: string }) => g.id === id);
}

function history(componentId: string) {
  return t.app.db
    .select()
    .from(componentStatusChanges)
    .where(eq(componentStatusChanges.componentId, componentId))
    .orderBy(asc(componentStatusChanges.changedAt), asc(componentStatusChanges.id));
}

/** Row counts of everything a component write touches: a rejected write must leave them all. */
async function counts() {
  const n = async (table: typeof components | typeof componentStatusChanges | typeof auditLog) =>
    (await t.app.db.select({ n: count() }).from(table))[0]!.n;
  return { components: await n(components), history: await n(componentStatusChanges), audit: await n(auditLog) };
}

async function lastAudit() {
  const [row] = await t.app.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return row;
}

describe('authentication and roles on every route', () => {
  const routes: [string, (id: string) => request.Test][] = [
    ['GET /components', () => api().get('/api/admin/components')],
    ['POST /components', () => api().post('/api/admin/components').send({ name: 'X' })],
    ['PATCH /components/:id', (id) => api().patch(`/api/admin/components/${id}`).send({ status: 'major_outage' })],
    ['DELETE /components/:id', (id) => api().delete(`/api/admin/components/${id}`)],
    ['GET /component-groups', () => api().get('/api/admin/component-groups')],
    ['POST /component-groups', () => api().post('/api/admin/component-groups').send({ name: 'X' })],
    ['PATCH /component-groups/:id', (id) => api().patch(`/api/admin/component-groups/${id}`).send({ name: 'Y' })],
    ['DELETE /component-groups/:id', (id) => api().delete(`/api/admin/component-groups/${id}`)],
  ];

  async function target(route: string) {
    return route.includes('group') ? (await makeGroup(t.app, owner.actor)).id : (await makeComponent(t.app, owner.actor)).id;
  }

  it.each(routes)('%s answers 401 without a token and writes nothing', async (route, call) => {
    const id = await target(route);
    const before = await counts();
    const res = await call(id);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'HG_UNAUTHORIZED', message: 'Missing bearer token' });
    expect(await counts()).toEqual(before);
  });

  it.each(routes.filter(([route]) => !route.startsWith('GET')))('%s answers 403 to a viewer and writes nothing', async (route, call) => {
    const id = await target(route);
    const before = await counts();
    const res = await call(id).set(viewer.auth);
    expect(res.status).toBe(403);
    const minRole = route === 'PATCH /components/:id' ? 'responder' : 'owner';
    expect(res.body).toEqual({ error: 'HG_FORBIDDEN', message: `This needs the ${minRole} role; you are viewer` });
    expect(await counts()).toEqual(before);
  });

  it.each(routes.filter(([route]) => !route.startsWith('GET') && route !== 'PATCH /components/:id'))(
    '%s answers 403 to a responder and writes nothing',
    async (route, call) => {
      const id = await target(route);
      const before = await counts();
      const res = await call(id).set(responder.auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(ownerOnly('responder'));
      expect(await counts()).toEqual(before);
    },
  );

  it.each(routes.filter(([route]) => route.startsWith('GET')))('%s is open to a viewer', async (_route, call) => {
    const res = await call('').set(viewer.auth);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });
});

describe('components', () => {
  it('POST creates a component with defaults, its first history row and an audit row', async () => {
    const res = await api().post('/api/admin/components').set(owner.auth).send({ name: 'Website' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: UUID,
      name: 'Website',
      description: '',
      groupId: null,
      position: 0,
      status: 'operational',
      showcase: true,
      createdAt: ISO,
      updatedAt: ISO,
    });
    expect(await lastAudit()).toMatchObject({
      action: 'component.create',
      actorId: owner.actor.id,
      targetType: 'component',
      targetId: res.body.id,
      after: { id: res.body.id, name: 'Website' },
    });
    expect((await history(res.body.id)).map((r) => [r.fromStatus, r.toStatus])).toEqual([[null, 'operational']]);
  });

  it('POST takes every field, and GET lists the component as created', async () => {
    const group = await makeGroup(t.app, owner.actor);
    const body = { name: 'API', description: 'Public REST API', groupId: group.id, position: 3, status: 'degraded_performance', showcase: false };
    const res = await api().post('/api/admin/components').set(owner.auth).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: UUID, ...body, createdAt: ISO, updatedAt: ISO });
    expect(await getComponent(res.body.id)).toEqual(res.body);
  });

  it('PATCH by an owner changes every attribute and answers with the component', async () => {
    const c = await makeComponent(t.app, owner.actor, { name: 'Before' });
    const group = await makeGroup(t.app, owner.actor);
    const changes = { name: 'After', description: 'Now described', groupId: group.id, position: 7, showcase: false, status: 'partial_outage' };
    const res = await api().patch(`/api/admin/components/${c.id}`).set(owner.auth).send(changes);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...c, ...changes, updatedAt: ISO });
    expect(await getComponent(c.id)).toEqual(res.body);
    expect(await lastAudit()).toMatchObject({
      action: 'component.update',
      actorId: owner.actor.id,
      targetId: c.id,
      before: { name: 'Before', status: 'operational' },
      after: { name: 'After', status: 'partial_outage' },
    });

    // groupId null takes a component out of its group.
    const ungrouped = await api().patch(`/api/admin/components/${c.id}`).set(owner.auth).send({ groupId: null });
    expect(ungrouped.status).toBe(200);
    expect(ungrouped.body.groupId).toBeNull();
  });

  it('DELETE removes the component and its history, with an audit row', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const res = await api().delete(`/api/admin/components/${c.id}`).set(owner.auth);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await getComponent(c.id)).toBeUndefined();
    expect(await history(c.id)).toEqual([]);
    expect(await lastAudit()).toMatchObject({ action: 'component.delete', actorId: owner.actor.id, targetId: c.id, before: { name: c.name } });
  });

  it('a responder may change the status alone', async () => {
    const c = await makeComponent(t.app, owner.actor);
    const res = await api().patch(`/api/admin/components/${c.id}`).set(responder.auth).send({ status: 'major_outage' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...c, status: 'major_outage', updatedAt: ISO });
  });

  it.each([
    ['name', { name: 'Renamed' }],
    ['description', { description: 'Changed' }],
    ['groupId', { groupId: null }],
    ['position', { position: 9 }],
    ['showcase', { showcase: false }],
    ['status with a name', { status: 'major_outage', name: 'Renamed' }],
  ])('a responder gets 403 for %s, and nothing changes', async (_field, body) => {
    const c = await makeComponent(t.app, owner.actor);
    const before = await counts();
    const res = await api().patch(`/api/admin/components/${c.id}`).set(responder.auth).send(body);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(ATTRIBUTES_FORBIDDEN);
    expect(await getComponent(c.id)).toEqual(c);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['an unknown status', { name: 'X', status: 'broken' }],
    ['an extra property', { name: 'X', color: 'red' }],
    ['a negative position', { name: 'X', position: -1 }],
    ['a groupId that is not a uuid', { name: 'X', groupId: 'group-1' }],
  ])('POST rejects %s with 400 and writes nothing', async (_name, body) => {
    const before = await counts();
    const res = await api().post('/api/admin/components').set(owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid body: /) });
    expect(await counts()).toEqual(before);
  });

  it('POST rejects an unknown groupId with 400 and writes nothing', async () => {
    const groupId = randomUUID();
    const before = await counts();
    const res = await api().post('/api/admin/components').set(owner.auth).send({ name: 'Orphan', groupId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: `Unknown component group ${groupId}` });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['an empty body', {}],
    ['an empty name', { name: '' }],
    ['an unknown status', { status: 'down' }],
    ['an extra property', { status: 'operational', id: randomUUID() }],
  ])('PATCH rejects %s with 400 and changes nothing', async (_name, body) => {
    const c = await makeComponent(t.app, owner.actor);
    const before = await counts();
    const res = await api().patch(`/api/admin/components/${c.id}`).set(owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid body: /) });
    expect(await getComponent(c.id)).toEqual(c);
    expect(await counts()).toEqual(before);
  });

  it('answers 404 for an unknown id and 400 for one that is not a uuid', async () => {
    const id = randomUUID();
    const before = await counts();
    const patch = await api().patch(`/api/admin/components/${id}`).set(owner.auth).send({ status: 'major_outage' });
    const del = await api().delete(`/api/admin/components/${id}`).set(owner.auth);
    for (const res of [patch, del]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'HG_NOT_FOUND', message: `Component ${id} not found` });
    }
    const badPatch = await api().patch('/api/admin/components/42').set(owner.auth).send({ status: 'major_outage' });
    const badDelete = await api().delete('/api/admin/components/42').set(owner.auth);
    for (const res of [badPatch, badDelete]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid params: /) });
    }
    expect(await counts()).toEqual(before);
  });
});

describe('status history', () => {
  it('records the initial status and every real change, in order, with who made it', async () => {
    const created = await api().post('/api/admin/components').set(owner.auth).send({ name: 'Checkout' });
    const id = created.body.id as string;
    const patch = (status: string, user: TestUser) => api().patch(`/api/admin/components/${id}`).set(user.auth).send({ status });

    expect((await patch('degraded_performance', responder)).status).toBe(200);
    expect((await patch('major_outage', owner)).status).toBe(200);
    const rows = await history(id);
    expect(rows.map((r) => [r.fromStatus, r.toStatus, r.actorId, r.incidentId])).toEqual([
      [null, 'operational', owner.actor.id, null],
      ['operational', 'degraded_performance', responder.actor.id, null],
      ['degraded_performance', 'major_outage', owner.actor.id, null],
    ]);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.changedAt.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.changedAt.getTime());
    }

    // The same status again is not a change: 200, and no new row.
    const again = await patch('major_outage', responder);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('major_outage');
    expect(await history(id)).toHaveLength(3);
  });

  it('starts the history at the status a component is created with', async () => {
    const res = await api().post('/api/admin/components').set(owner.auth).send({ name: 'Search', status: 'under_maintenance' });
    expect(res.status).toBe(201);
    expect((await history(res.body.id)).map((r) => [r.fromStatus, r.toStatus, r.actorId])).toEqual([[null, 'under_maintenance', owner.actor.id]]);
  });

  it('a rejected write changes nothing: a valid status with an unknown groupId', async () => {
    // The status change must be rolled back with the rest, not left half-applied.
    const c = await makeComponent(t.app, owner.actor);
    const groupId = randomUUID();
    const before = await counts();
    const res = await api().patch(`/api/admin/components/${c.id}`).set(owner.auth).send({ status: 'major_outage', groupId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: `Unknown component group ${groupId}` });
    expect(await getComponent(c.id)).toEqual(c);
    expect(await history(c.id)).toHaveLength(1);
    expect(await counts()).toEqual(before);
  });
});

describe('component groups', () => {
  it('POST creates an empty, operational group', async () => {
    const res = await api().post('/api/admin/component-groups').set(owner.auth).send({ name: 'Core', position: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: UUID, name: 'Core', position: 2, status: 'operational', componentIds: [], createdAt: ISO, updatedAt: ISO });
    expect(await getGroup(res.body.id)).toEqual(res.body);
    expect(await lastAudit()).toMatchObject({ action: 'group.create', actorId: owner.actor.id, targetType: 'component_group', targetId: res.body.id });
  });

  it("GET gives a group the worst of its members' statuses", async () => {
    const group = await makeGroup(t.app, owner.actor);
    expect((await getGroup(group.id)).status).toBe('operational');

    const members = [
      await makeComponent(t.app, owner.actor, { groupId: group.id, status: 'degraded_performance' }),
      await makeComponent(t.app, owner.actor, { groupId: group.id, status: 'operational' }),
      await makeComponent(t.app, owner.actor, { groupId: group.id, status: 'under_maintenance' }),
    ];
    // A component outside the group does not count, however bad.
    await makeComponent(t.app, owner.actor, { status: 'major_outage' });

    let view = await getGroup(group.id);
    expect(view.status).toBe('degraded_performance');
    expect([...view.componentIds].sort()).toEqual(members.map((c) => c.id).sort());

    await api().patch(`/api/admin/components/${members[1]!.id}`).set(responder.auth).send({ status: 'partial_outage' }).expect(200);
    view = await getGroup(group.id);
    expect(view.status).toBe('partial_outage');
  });

  it('PATCH renames and reorders a group, keeping its members', async () => {
    const group = await makeGroup(t.app, owner.actor, 'Old name');
    const member = await makeComponent(t.app, owner.actor, { groupId: group.id, status: 'major_outage' });
    const res = await api().patch(`/api/admin/component-groups/${group.id}`).set(owner.auth).send({ name: 'New name', position: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...group, name: 'New name', position: 5, status: 'major_outage', componentIds: [member.id], updatedAt: ISO });
    expect(await lastAudit()).toMatchObject({ action: 'group.update', targetId: group.id, before: { name: 'Old name' }, after: { name: 'New name' } });
  });

  it('DELETE removes the group and keeps its components, now ungrouped', async () => {
    const group = await makeGroup(t.app, owner.actor);
    const member = await makeComponent(t.app, owner.actor, { groupId: group.id, status: 'partial_outage' });
    const res = await api().delete(`/api/admin/component-groups/${group.id}`).set(owner.auth);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await getGroup(group.id)).toBeUndefined();
    expect(await getComponent(member.id)).toEqual({ ...member, groupId: null, updatedAt: expect.any(String) });
    expect(await history(member.id)).toHaveLength(1);
    expect(await lastAudit()).toMatchObject({ action: 'group.delete', actorId: owner.actor.id, targetId: group.id });
  });

  it.each([
    ['POST', 'no name', {}],
    ['POST', 'an empty name', { name: '' }],
    ['POST', 'an extra property', { name: 'G', status: 'major_outage' }],
    ['PATCH', 'an empty body', {}],
    ['PATCH', 'an empty name', { name: '' }],
    ['PATCH', 'an extra property', { componentIds: [] }],
  ])('%s rejects %s with 400 and writes nothing', async (method, _name, body) => {
    const group = await makeGroup(t.app, owner.actor, 'Stable');
    const before = await counts();
    const req =
      method === 'POST'
        ? api().post('/api/admin/component-groups')
        : api().patch(`/api/admin/component-groups/${group.id}`);
    const res = await req.set(owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid body: /) });
    expect(await counts()).toEqual(before);
    expect((await getGroup(group.id)).name).toBe('Stable');
  });

  it('answers 404 for an unknown id and 400 for one that is not a uuid', async () => {
    const id = randomUUID();
    const before = await counts();
    const patch = await api().patch(`/api/admin/component-groups/${id}`).set(owner.auth).send({ name: 'Ghost' });
    const del = await api().delete(`/api/admin/component-groups/${id}`).set(owner.auth);
    for (const res of [patch, del]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'HG_NOT_FOUND', message: `Component group ${id} not found` });
    }
    const bad = await api().delete('/api/admin/component-groups/not-a-uuid').set(owner.auth);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'HG_INVALID', message: expect.stringMatching(/^Invalid params: /) });
    expect(await counts()).toEqual(before);
  });
});

describe('the public page after an admin write', () => {
  // The page is served from a render cache: every write must reach the very next request.
  const page = async () => {
    const res = await api().get('/');
    expect(res.status).toBe(200);
    return res.text;
  };
  /** The markup from a component's name to the end of its row. */
  const rowOf = (html: string, escapedName: string) => {
    const start = html.indexOf(escapedName);
    expect(start, `${escapedName} on the page`).toBeGreaterThanOrEqual(0);
    return html.slice(start, html.indexOf('</li>', start));
  };

  it('shows a created component at once, with its name escaped', async () => {
    const suffix = randomUUID().slice(0, 6);
    const raw = `Edge <b>& ${suffix}`;
    const escaped = `Edge &lt;b&gt;&amp; ${suffix}`;
    expect(await page()).not.toContain(escaped);

    const res = await api().post('/api/admin/components').set(owner.auth).send({ name: raw });
    expect(res.status).toBe(201);
    const html = await page();
    expect(html).toContain(escaped);
    expect(html).not.toContain(raw);
  });

  it('shows a status change, a rename and a deletion on the next request', async () => {
    // Created through the API, not a factory: factories write behind the cache's back.
    const name = `Ledger ${randomUUID().slice(0, 6)}`;
    const c = (await api().post('/api/admin/components').set(owner.auth).send({ name }).expect(201)).body;
    expect(rowOf(await page(), name)).toContain('Operational');

    await api().patch(`/api/admin/components/${c.id}`).set(responder.auth).send({ status: 'major_outage' }).expect(200);
    expect(rowOf(await page(), name)).toContain('Major outage');

    const renamed = `${name} renamed`;
    await api().patch(`/api/admin/components/${c.id}`).set(owner.auth).send({ name: renamed }).expect(200);
    expect(await page()).toContain(renamed);

    await api().delete(`/api/admin/components/${c.id}`).set(owner.auth).expect(204);
    expect(await page()).not.toContain(name);
  });

  it("shows a group's new name on the next request", async () => {
    const group = (await api().post('/api/admin/component-groups').set(owner.auth).send({ name: `Region ${randomUUID().slice(0, 6)}` }).expect(201)).body;
    await api().post('/api/admin/components').set(owner.auth).send({ name: 'Member', groupId: group.id }).expect(201);
    expect(await page()).toContain(group.name);

    const renamed = `Zone ${randomUUID().slice(0, 6)}`;
    await api().patch(`/api/admin/component-groups/${group.id}`).set(owner.auth).send({ name: renamed }).expect(200);
    const html = await page();
    expect(html).toContain(renamed);
    expect(html).not.toContain(group.name);
  });
});
