import { and, count, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, componentGroups, components, incidentTemplates, maintenances } from '../../../src/db/schema/index.js';
import { createMaintenance } from '../../../src/modules/maintenance/index.js';
import { createTemplate } from '../../../src/modules/templates/index.js';
import type { TestApp } from '../../helpers/app.js';
import { signedInVisitor } from '../../helpers/console-session.js';
import { actingAs } from '../../helpers/context.js';
import { makeComponent, makeGroup, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * The console's Components, Maintenance and Templates screens (issue 14): each action goes
 * through the admin API's verb (same audit row, same role rule), refuses a post without its
 * CSRF token, and re-renders a mistake with the text kept and nothing written.
 */

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { config: { loginRateLimit: 100, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const signedIn = (user: TestUser) => signedInVisitor(t.app, user);

/** The audit rows written about one object, as the API writes them. */
const auditOf = (targetId: string) => t.app.db.select().from(auditLog).where(eq(auditLog.targetId, targetId));
const componentNamed = async (name: string) => (await t.app.db.select().from(components).where(eq(components.name, name)))[0];
const rows = async (table: typeof components | typeof maintenances | typeof incidentTemplates | typeof componentGroups) =>
  (await t.app.db.select({ n: count() }).from(table))[0]!.n;
/** `YYYY-MM-DDTHH:mm` as a `datetime-local` field sends it, `days` from now, in UTC (the test page's zone). */
const local = (days: number, hour: number) => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString().slice(0, 16);
};

describe('the Components screen', () => {
  test('an owner adds a group and a component in it: the API audit rows, and on the page', async () => {
    const visitor = await signedIn(owner);
    const page = await visitor.get('/admin/components');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<a href="/admin/components" aria-current="page">Components</a>');

    expect((await visitor.post('/admin/components/groups', { groupName: 'Payments' })).statusCode).toBe(303);
    const [group] = await t.app.db.select().from(componentGroups).where(eq(componentGroups.name, 'Payments'));
    expect(await auditOf(group!.id)).toMatchObject([{ action: 'group.create', actorId: owner.actor.id }]);

    await visitor.get('/admin/components');
    const res = await visitor.post('/admin/components', { name: 'Card API', description: 'Takes cards', groupId: group!.id });
    expect(res.statusCode).toBe(303);
    const card = await componentNamed('Card API');
    expect(card).toMatchObject({ groupId: group!.id, description: 'Takes cards', status: 'operational' });
    expect(await auditOf(card!.id)).toMatchObject([{ action: 'component.create', actorId: owner.actor.id }]);
    expect((await t.app.inject({ url: '/' })).body).toContain('<span class="name">Card API</span>');
  });

  test('a responder sets a status (the API verb, the public page refreshed) and may do nothing else', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'Status API' });
    await t.app.inject({ url: '/' }); // the public page is now in the render cache
    const visitor = await signedIn(responder);
    const page = await visitor.get('/admin/components');
    expect(page.body).toContain(`<label for="component-${api.id}">Status API</label>`);
    expect(page.body).toContain('<option value="major_outage">');
    expect(page.body).not.toContain('Add component');

    const res = await visitor.post(`/admin/components/${api.id}/status`, { [`component-${api.id}`]: 'major_outage' });
    expect(res.statusCode).toBe(303);
    expect((await componentNamed('Status API'))!.status).toBe('major_outage');
    expect(await auditOf(api.id)).toContainEqual(expect.objectContaining({ action: 'component.update', actorId: responder.actor.id }));
    expect((await t.app.inject({ url: '/' })).body).toMatch(/Status API<\/span>[\s\S]{0,400}status-major_outage/);

    const before = await rows(components);
    expect((await visitor.post('/admin/components', { name: 'Not mine to add' })).statusCode).toBe(403);
    expect((await visitor.post(`/admin/components/${api.id}/edit`, { name: 'Renamed' })).statusCode).toBe(403);
    expect((await visitor.post(`/admin/components/${api.id}/move`, { direction: 'up' })).statusCode).toBe(403);
    expect((await visitor.post(`/admin/components/${api.id}/delete`)).statusCode).toBe(403);
    expect((await visitor.get(`/admin/components/${api.id}/delete`)).statusCode).toBe(403);
    expect(await rows(components)).toBe(before);
    expect((await componentNamed('Status API'))!.name).toBe('Status API');
  });

  test('a viewer reads the list without a form, and gets 403 setting a status', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'Viewer API' });
    const visitor = await signedIn(viewer);
    const page = await visitor.get('/admin/components');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>Viewer API</strong>');
    expect(page.body).not.toContain('/status"');
    const res = await visitor.post(`/admin/components/${api.id}/status`, { [`component-${api.id}`]: 'major_outage' });
    expect(res.statusCode).toBe(403);
    expect((await componentNamed('Viewer API'))!.status).toBe('operational');
  });

  test('an owner renames, moves to another group, reorders and deletes (after a confirm page)', async () => {
    const from = await makeGroup(t.app, owner.actor, 'Edge');
    const to = await makeGroup(t.app, owner.actor, 'Core');
    const a = await makeComponent(t.app, owner.actor, { name: 'Edge A', groupId: from.id });
    await makeComponent(t.app, owner.actor, { name: 'Edge B', groupId: from.id });
    const visitor = await signedIn(owner);

    const edit = await visitor.get(`/admin/components/${a.id}/edit`);
    expect(edit.body).toContain('value="Edge A"');
    expect((await visitor.post(`/admin/components/${a.id}/edit`, { name: 'Core A', description: '', groupId: to.id })).statusCode).toBe(303);
    expect(await componentNamed('Core A')).toMatchObject({ id: a.id, groupId: to.id });

    // Edge B is alone in Edge now; Core gets a second one, and Core A moves below it.
    const c = await makeComponent(t.app, owner.actor, { name: 'Core C', groupId: to.id, position: 5 });
    await visitor.get('/admin/components');
    expect((await visitor.post(`/admin/components/${c.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    const order = (await t.app.db.select().from(components).where(eq(components.groupId, to.id))).sort((x, y) => x.position - y.position).map((x) => x.name);
    expect(order).toEqual(['Core C', 'Core A']);
    expect(await auditOf(c.id)).toContainEqual(expect.objectContaining({ action: 'component.update', actorId: owner.actor.id }));

    // Groups move too: Core comes first by name (positions tie at 0); Edge goes above it.
    expect((await visitor.post(`/admin/components/groups/${from.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    const groups = await t.app.db.select().from(componentGroups);
    expect(groups.find((g) => g.id === from.id)!.position).toBeLessThan(groups.find((g) => g.id === to.id)!.position);

    expect((await visitor.post(`/admin/components/groups/${to.id}/edit`, { groupName: 'Core services' })).statusCode).toBe(303);
    expect(await auditOf(to.id)).toContainEqual(expect.objectContaining({ action: 'group.update' }));

    const confirm = await visitor.get(`/admin/components/${a.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`action="/admin/components/${a.id}/delete"`);
    expect(confirm.body).toContain('>Delete component</button>');
    expect(await componentNamed('Core A')).toBeDefined();
    expect((await visitor.post(`/admin/components/${a.id}/delete`)).statusCode).toBe(303);
    expect(await componentNamed('Core A')).toBeUndefined();
    expect(await auditOf(a.id)).toContainEqual(expect.objectContaining({ action: 'component.delete', actorId: owner.actor.id }));

    await visitor.get(`/admin/components/groups/${from.id}/delete`);
    expect((await visitor.post(`/admin/components/groups/${from.id}/delete`)).statusCode).toBe(303);
    expect(await componentNamed('Edge B')).toMatchObject({ groupId: null });
  });

  test('an edit from a form opened before someone else renamed it saves nothing, keeps the text, and says so', async () => {
    const group = await makeGroup(t.app, owner.actor, 'Payments');
    const c = await makeComponent(t.app, owner.actor, { name: 'Card API', groupId: group.id });
    const ann = await signedIn(owner);
    const bob = await signedIn(owner);
    const annForm = await ann.get(`/admin/components/${c.id}/edit`);
    const annVersion = /name="version" value="([^"]+)"/.exec(annForm.body)![1]!;
    const bobForm = await bob.get(`/admin/components/${c.id}/edit`);
    const bobVersion = /name="version" value="([^"]+)"/.exec(bobForm.body)![1]!;
    expect(bobVersion).toBe(annVersion);
    // A status change (an incident, a followed page) is not what the form edits: it is no conflict.
    await bob.get('/admin/components');
    expect((await bob.post(`/admin/components/${c.id}/status`, { [`component-${c.id}`]: 'degraded_performance' })).statusCode).toBe(303);
    await bob.get(`/admin/components/${c.id}/edit`);
    expect((await bob.post(`/admin/components/${c.id}/edit`, { version: bobVersion, name: 'Card API v2', description: 'Bob’s', groupId: group.id })).statusCode).toBe(303);

    const stale = await ann.post(`/admin/components/${c.id}/edit`, { version: annVersion, name: 'Cards', description: 'Ann’s words', groupId: group.id });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this component after you opened it (it is now “Card API v2” in Payments)');
    expect(stale.body).toContain('value="Ann’s words"');
    expect(await componentNamed('Card API v2')).toMatchObject({ id: c.id, description: 'Bob’s', status: 'degraded_performance' });
    // The form now carries the saved version: saving again replaces Bob's change knowingly.
    const newer = /name="version" value="([^"]+)"/.exec(stale.body)![1]!;
    expect(newer).not.toBe(annVersion);
    expect((await ann.post(`/admin/components/${c.id}/edit`, { version: newer, name: 'Cards', description: 'Ann’s words', groupId: group.id })).statusCode).toBe(303);
    expect(await componentNamed('Cards')).toMatchObject({ id: c.id, description: 'Ann’s words' });

    const groupForm = await ann.get(`/admin/components/groups/${group.id}/edit`);
    const groupVersion = /name="version" value="([^"]+)"/.exec(groupForm.body)![1]!;
    await bob.get(`/admin/components/groups/${group.id}/edit`);
    expect((await bob.post(`/admin/components/groups/${group.id}/edit`, { version: groupVersion, groupName: 'Billing' })).statusCode).toBe(303);
    const staleGroup = await ann.post(`/admin/components/groups/${group.id}/edit`, { version: groupVersion, groupName: 'Money' });
    expect(staleGroup.statusCode).toBe(409);
    expect(staleGroup.body).toContain('Someone else changed this group after you opened it (it is now named “Billing”)');
    expect(staleGroup.body).toContain('value="Money"');
    expect((await t.app.db.select().from(componentGroups).where(eq(componentGroups.id, group.id)))[0]!.name).toBe('Billing');
  });

  test('a mistake re-renders with the message beside the field and the text kept; nothing written', async () => {
    const visitor = await signedIn(owner);
    await visitor.get('/admin/components');
    const before = await rows(components);
    const res = await visitor.post('/admin/components', { name: '   ', description: 'Kept description', groupId: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="name-error">Name is required.</p>');
    expect(res.body).toContain('value="Kept description"');
    const long = await visitor.post('/admin/components/groups', { groupName: 'x'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('id="groupName-error"');
    expect(await rows(components)).toBe(before);
  });

  test('a post without its CSRF token is a 403 and writes nothing', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'CSRF API' });
    const visitor = await signedIn(owner);
    await visitor.get('/admin/components');
    const before = await rows(components);
    expect((await visitor.post('/admin/components', { _csrf: null, name: 'Forged' })).statusCode).toBe(403);
    expect((await visitor.post(`/admin/components/${api.id}/status`, { _csrf: null, [`component-${api.id}`]: 'major_outage' })).statusCode).toBe(403);
    expect((await visitor.post(`/admin/components/${api.id}/delete`, { _csrf: null })).statusCode).toBe(403);
    expect(await rows(components)).toBe(before);
    expect((await componentNamed('CSRF API'))!.status).toBe('operational');
  });
});

describe('the Maintenance screen', () => {
  test('a responder schedules, starts and completes: the API audit rows, and on the public page', async () => {
    const db = await makeComponent(t.app, owner.actor, { name: 'Primary DB' });
    await t.app.inject({ url: '/' });
    const visitor = await signedIn(responder);
    const form = await visitor.get('/admin/maintenance/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label for="message">Message</label>');
    const res = await visitor.post('/admin/maintenance/new', {
      title: 'Database upgrade',
      message: 'We upgrade **the database**.',
      scheduledFor: local(2, 10),
      scheduledUntil: local(2, 12),
      componentIds: db.id,
      autoStart: 'on',
      autoComplete: 'on',
    });
    expect(res.statusCode).toBe(303);
    const [row] = await t.app.db.select().from(maintenances).where(eq(maintenances.title, 'Database upgrade'));
    expect(row).toMatchObject({ status: 'scheduled', body: 'We upgrade **the database**.', scheduledFor: new Date(`${local(2, 10)}:00Z`) });
    expect(await auditOf(row!.id)).toMatchObject([{ action: 'maintenance.create', actorId: responder.actor.id }]);
    expect((await t.app.inject({ url: '/' })).body).toContain('Database upgrade');
    const list = await visitor.get('/admin/maintenance');
    expect(list.body).toMatch(/Scheduled<\/h2>[\s\S]*Database upgrade[\s\S]*Components: Primary DB/);

    expect((await visitor.post(`/admin/maintenance/${row!.id}/start`)).statusCode).toBe(303);
    expect((await componentNamed('Primary DB'))!.status).toBe('under_maintenance');
    expect((await visitor.post(`/admin/maintenance/${row!.id}/complete`)).statusCode).toBe(303);
    const [done] = await t.app.db.select().from(maintenances).where(eq(maintenances.id, row!.id));
    expect(done!.status).toBe('completed');
    expect((await componentNamed('Primary DB'))!.status).toBe('operational');
    const patches = await t.app.db.select().from(auditLog).where(and(eq(auditLog.targetId, row!.id), eq(auditLog.action, 'maintenance.patch')));
    expect(patches).toHaveLength(2);

    // Starting what is completed: the verb refuses, the list says why.
    const late = await visitor.post(`/admin/maintenance/${row!.id}/start`);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('class="form-error"');
  });

  test('cancelling asks first, then deletes while scheduled (the API rule)', async () => {
    const m = await createMaintenance(actingAs(t.app, responder.actor), {
      title: 'Network work',
      body: 'Switches',
      scheduledFor: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      scheduledUntil: new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString(),
    });
    const visitor = await signedIn(responder);
    const confirm = await visitor.get(`/admin/maintenance/${m.id}/cancel`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('>Cancel maintenance</button>');
    expect((await visitor.post(`/admin/maintenance/${m.id}/cancel`)).statusCode).toBe(303);
    expect(await t.app.db.select().from(maintenances).where(eq(maintenances.id, m.id))).toEqual([]);
    expect(await auditOf(m.id)).toContainEqual(expect.objectContaining({ action: 'maintenance.delete', actorId: responder.actor.id }));
  });

  test('a mistake re-renders with the message beside the field and the text kept; nothing written', async () => {
    const visitor = await signedIn(responder);
    await visitor.get('/admin/maintenance/new');
    const before = await rows(maintenances);
    const empty = await visitor.post('/admin/maintenance/new', { title: '', message: 'Kept words', scheduledFor: local(2, 10), scheduledUntil: local(2, 12) });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<p class="field-error" id="title-error">Title is required.</p>');
    expect(empty.body).toContain('>Kept words</textarea>');
    expect(empty.body).toContain(`value="${local(2, 10)}"`);

    const backwards = await visitor.post('/admin/maintenance/new', { title: 'Backwards', message: 'x', scheduledFor: local(2, 12), scheduledUntil: local(2, 10) });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('<p class="field-error" id="scheduledUntil-error">The start must be before the end.</p>');
    expect(backwards.body).toContain('value="Backwards"');
    const noTime = await visitor.post('/admin/maintenance/new', { title: 'No time', message: 'x', scheduledFor: '', scheduledUntil: local(2, 10) });
    expect(noTime.statusCode).toBe(400);
    expect(noTime.body).toContain('id="scheduledFor-error"');
    expect(await rows(maintenances)).toBe(before);
  });

  test('a responder edits a scheduled maintenance (the API PATCH, its audit row, the public page refreshed)', async () => {
    const db = await makeComponent(t.app, owner.actor, { name: 'Replica DB' });
    const m = await createMaintenance(actingAs(t.app, responder.actor), {
      title: 'Replica work',
      body: 'First words',
      scheduledFor: `${local(4, 10)}:00Z`,
      scheduledUntil: `${local(4, 11)}:00Z`,
    });
    await t.app.inject({ url: '/' });
    const visitor = await signedIn(responder);
    expect((await visitor.get('/admin/maintenance')).body).toContain(`href="/admin/maintenance/${m.id}/edit"`);
    const form = await visitor.get(`/admin/maintenance/${m.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>Edit Replica work</h1>');
    expect(form.body).toContain(`value="${local(4, 10)}"`);
    expect(form.body).toContain('>First words</textarea>');
    const version = /name="version" value="([^"]+)"/.exec(form.body)![1]!;

    const fields = { version, title: 'Replica upgrade', message: 'New words', scheduledFor: local(5, 9), scheduledUntil: local(5, 12), componentIds: db.id, autoStart: 'on' };
    expect((await visitor.post(`/admin/maintenance/${m.id}/edit`, fields)).statusCode).toBe(303);
    const [row] = await t.app.db.select().from(maintenances).where(eq(maintenances.id, m.id));
    expect(row).toMatchObject({ title: 'Replica upgrade', body: 'New words', status: 'scheduled', autoStart: true, autoComplete: false, scheduledFor: new Date(`${local(5, 9)}:00Z`) });
    expect(await auditOf(m.id)).toContainEqual(expect.objectContaining({ action: 'maintenance.patch', actorId: responder.actor.id }));
    expect((await t.app.inject({ url: '/' })).body).toContain('Replica upgrade');
    expect((await visitor.get('/admin/maintenance')).body).toMatch(/Replica upgrade[\s\S]*Components: Replica DB/);

    // The same form again, opened before that save: refused, the text kept, nothing written.
    const stale = await visitor.post(`/admin/maintenance/${m.id}/edit`, { ...fields, title: 'Overwrite' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This maintenance changed since you opened it');
    expect(stale.body).toContain('value="Overwrite"');
    // A window the verb refuses is said beside Ends at, in the form's words.
    const fresh = /name="version" value="([^"]+)"/.exec((await visitor.get(`/admin/maintenance/${m.id}/edit`)).body)![1]!;
    const backwards = await visitor.post(`/admin/maintenance/${m.id}/edit`, { ...fields, version: fresh, scheduledFor: local(5, 12), scheduledUntil: local(5, 9) });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('id="scheduledUntil-error">The start must be before the end.');
    expect((await t.app.db.select().from(maintenances).where(eq(maintenances.id, m.id)))[0]!.title).toBe('Replica upgrade');
  });

  test('a started maintenance is not offered for editing, and an edit posted after it started is refused, text kept', async () => {
    const m = await createMaintenance(actingAs(t.app, responder.actor), {
      title: 'Started work',
      body: 'Body',
      scheduledFor: `${local(6, 10)}:00Z`,
      scheduledUntil: `${local(6, 11)}:00Z`,
    });
    const visitor = await signedIn(responder);
    const form = await visitor.get(`/admin/maintenance/${m.id}/edit`);
    const version = /name="version" value="([^"]+)"/.exec(form.body)![1]!;
    expect((await visitor.post(`/admin/maintenance/${m.id}/start`)).statusCode).toBe(303);
    expect((await visitor.get('/admin/maintenance')).body).not.toContain(`/admin/maintenance/${m.id}/edit`);
    const opened = await visitor.get(`/admin/maintenance/${m.id}/edit`);
    expect(opened.statusCode).toBe(409);
    expect(opened.body).toContain('“Started work” is in progress: only a maintenance that has not started can be edited.');
    const late = await visitor.post(`/admin/maintenance/${m.id}/edit`, { version, title: 'Renamed late', message: 'Body', scheduledFor: local(6, 10), scheduledUntil: local(6, 11) });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('only a maintenance that has not started can be edited');
    expect(late.body).toContain('value="Renamed late"');
    expect((await t.app.db.select().from(maintenances).where(eq(maintenances.id, m.id)))[0]!.title).toBe('Started work');
  });

  test('a viewer gets 403 editing a maintenance; an edit without its CSRF token is a 403', async () => {
    const m = await createMaintenance(actingAs(t.app, responder.actor), {
      title: 'Guarded',
      body: 'Body',
      scheduledFor: `${local(7, 10)}:00Z`,
      scheduledUntil: `${local(7, 11)}:00Z`,
    });
    const viewing = await signedIn(viewer);
    expect((await viewing.get('/admin/maintenance')).body).not.toContain(`/admin/maintenance/${m.id}/edit`);
    expect((await viewing.get(`/admin/maintenance/${m.id}/edit`)).statusCode).toBe(403);
    const fields = { version: m.updatedAt, title: 'Nope', message: 'x', scheduledFor: local(7, 10), scheduledUntil: local(7, 11) };
    expect((await viewing.post(`/admin/maintenance/${m.id}/edit`, fields)).statusCode).toBe(403);
    const responding = await signedIn(responder);
    await responding.get(`/admin/maintenance/${m.id}/edit`);
    expect((await responding.post(`/admin/maintenance/${m.id}/edit`, { ...fields, _csrf: null })).statusCode).toBe(403);
    expect((await t.app.db.select().from(maintenances).where(eq(maintenances.id, m.id)))[0]!.title).toBe('Guarded');
  });

  test('a viewer reads the list and gets 403 scheduling; no CSRF token is a 403; nothing written', async () => {
    const viewing = await signedIn(viewer);
    const list = await viewing.get('/admin/maintenance');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Schedule maintenance</a>');
    const before = await rows(maintenances);
    const fields = { title: 'Nope', message: 'x', scheduledFor: local(2, 10), scheduledUntil: local(2, 12) };
    expect((await viewing.post('/admin/maintenance/new', fields)).statusCode).toBe(403);
    const responding = await signedIn(responder);
    await responding.get('/admin/maintenance/new');
    expect((await responding.post('/admin/maintenance/new', { ...fields, _csrf: null })).statusCode).toBe(403);
    expect(await rows(maintenances)).toBe(before);
  });
});

describe('the Templates screen', () => {
  const fields = (name: string, extra: Record<string, string> = {}) => ({
    name,
    title: '{{component}} down',
    severity: 'P1',
    status: 'identified',
    message: 'We know why **{{component}}** fails.',
    ...extra,
  });

  test('a responder creates a template, the declare form offers it, then edits and deletes it', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'Template API' });
    const visitor = await signedIn(responder);
    const form = await visitor.get('/admin/templates/new');
    expect(form.body).toContain(`<label for="component-${api.id}">Template API</label>`);
    const res = await visitor.post('/admin/templates/new', fields('API outage', { [`component-${api.id}`]: 'major_outage' }));
    expect(res.statusCode).toBe(303);
    const [row] = await t.app.db.select().from(incidentTemplates).where(eq(incidentTemplates.name, 'API outage'));
    expect(row).toMatchObject({ severity: 'P1', status: 'identified', componentStatuses: { [api.id]: 'major_outage' } });
    expect(await auditOf(row!.id)).toMatchObject([{ action: 'template.create', actorId: responder.actor.id }]);
    expect((await visitor.get('/admin/templates')).body).toContain('<strong>API outage</strong>');
    expect((await visitor.get('/admin/incidents/new')).body).toContain(`<option value="${row!.id}">API outage</option>`);

    const edit = await visitor.get(`/admin/templates/${row!.id}`);
    expect(edit.body).toContain('value="API outage"');
    const version = /name="version" value="([^"]+)"/.exec(edit.body)![1]!;
    const saved = await visitor.post(`/admin/templates/${row!.id}`, fields('API outage', { version, severity: 'P0' }));
    expect(saved.statusCode).toBe(303);
    const [after] = await t.app.db.select().from(incidentTemplates).where(eq(incidentTemplates.id, row!.id));
    // Operational means "leave it out", as in the declare form: the component is no longer named.
    expect(after).toMatchObject({ severity: 'P0', componentStatuses: {} });
    expect(await auditOf(row!.id)).toContainEqual(expect.objectContaining({ action: 'template.update', actorId: responder.actor.id }));

    // The same old form once more: the template changed since, so nothing is saved.
    const stale = await visitor.post(`/admin/templates/${row!.id}`, fields('API outage', { version, title: 'From an old form' }));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('changed since you opened it');
    expect(stale.body).toContain('value="From an old form"');
    expect((await t.app.db.select().from(incidentTemplates).where(eq(incidentTemplates.id, row!.id)))[0]!.title).toBe('{{component}} down');

    expect((await visitor.get(`/admin/templates/${row!.id}/delete`)).body).toContain('>Delete template</button>');
    expect((await visitor.post(`/admin/templates/${row!.id}/delete`)).statusCode).toBe(303);
    expect(await auditOf(row!.id)).toContainEqual(expect.objectContaining({ action: 'template.delete', actorId: responder.actor.id }));
    expect((await visitor.get('/admin/incidents/new')).body).not.toContain('API outage');
  });

  test('a mistake or a taken name re-renders with the message beside the field and the text kept', async () => {
    await createTemplate(actingAs(t.app, owner.actor), { name: 'Taken', title: 'T', severity: 'P2', status: 'investigating', message: 'M' });
    const visitor = await signedIn(responder);
    await visitor.get('/admin/templates/new');
    const before = await rows(incidentTemplates);
    const empty = await visitor.post('/admin/templates/new', fields('', { message: 'Kept runbook text' }));
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<p class="field-error" id="name-error">Name is required.</p>');
    expect(empty.body).toContain('>Kept runbook text</textarea>');
    const badSeverity = await visitor.post('/admin/templates/new', fields('Odd', { severity: 'P9' }));
    expect(badSeverity.statusCode).toBe(400);
    expect(badSeverity.body).toContain('id="severity-error"');
    const taken = await visitor.post('/admin/templates/new', fields('taken'));
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('<p class="field-error" id="name-error">A template named taken exists</p>');
    expect(await rows(incidentTemplates)).toBe(before);
  });

  test('a viewer reads the list and gets 403 writing; no CSRF token is a 403; nothing written', async () => {
    const template = await createTemplate(actingAs(t.app, owner.actor), { name: 'Read only', title: 'T', severity: 'P2', status: 'investigating', message: 'M' });
    const viewing = await signedIn(viewer);
    const list = await viewing.get('/admin/templates');
    expect(list.body).toContain('<strong>Read only</strong>');
    expect(list.body).not.toContain('New template');
    const before = await rows(incidentTemplates);
    expect((await viewing.post('/admin/templates/new', fields('Viewer made'))).statusCode).toBe(403);
    expect((await viewing.post(`/admin/templates/${template.id}/delete`)).statusCode).toBe(403);
    const responding = await signedIn(responder);
    await responding.get('/admin/templates/new');
    expect((await responding.post('/admin/templates/new', { ...fields('Forged'), _csrf: null })).statusCode).toBe(403);
    expect((await responding.post(`/admin/templates/${template.id}/delete`, { _csrf: null })).statusCode).toBe(403);
    expect(await rows(incidentTemplates)).toBe(before);
  });
});
