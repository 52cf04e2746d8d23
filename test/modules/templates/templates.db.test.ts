import request from 'supertest';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../../src/db/schema/index.js';
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
let seq = 0;

async function createTemplate(body: Record<string, unknown> = {}, user = responder) {
  seq += 1;
  const res = await api()
    .post('/api/admin/incident-templates')
    .set(user.auth)
    .send({ name: `Template ${seq}`, title: '{{component}} degraded', severity: 'P2', status: 'investigating', message: 'We are looking into {{component}}.', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('managing templates', () => {
  it('a responder creates, reads, updates and deletes one; every write is audited', async () => {
    const c = await makeComponent(t.app, owner.actor, { name: 'Search' });
    const created = await createTemplate({ name: 'Search slow', componentStatuses: { [c.id.toUpperCase()]: 'degraded_performance' } });
    expect(created).toMatchObject({ name: 'Search slow', severity: 'P2', status: 'investigating', componentStatuses: { [c.id]: 'degraded_performance' } });
    expect((await api().get(`/api/admin/incident-templates/${created.id}`).set(viewer.auth)).body.name).toBe('Search slow');
    expect((await api().get('/api/admin/incident-templates').set(viewer.auth)).body.some((x: { id: string }) => x.id === created.id)).toBe(true);

    const patched = await api().patch(`/api/admin/incident-templates/${created.id}`).set(responder.auth).send({ severity: 'P1', title: 'Search is slow' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ severity: 'P1', title: 'Search is slow', message: 'We are looking into {{component}}.' });

    expect((await api().delete(`/api/admin/incident-templates/${created.id}`).set(responder.auth)).status).toBe(204);
    expect((await api().get(`/api/admin/incident-templates/${created.id}`).set(viewer.auth)).status).toBe(404);
    const actions = (await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, created.id))).map((r) => r.action);
    expect(actions).toEqual(['template.create', 'template.update', 'template.delete']);
  });

  it('names are unique in any case; unknown components are refused', async () => {
    await createTemplate({ name: 'Unique name' });
    const dup = await api().post('/api/admin/incident-templates').set(responder.auth).send({ name: 'UNIQUE NAME', title: 't', severity: 'P3', status: 'investigating', message: 'm' });
    expect(dup.status).toBe(409);
    const other = await createTemplate({ name: 'Other name' });
    expect((await api().patch(`/api/admin/incident-templates/${other.id}`).set(responder.auth).send({ name: 'unique name' })).status).toBe(409);
    const unknown = await api()
      .post('/api/admin/incident-templates')
      .set(responder.auth)
      .send({ name: 'Ghost', title: 't', severity: 'P3', status: 'investigating', message: 'm', componentStatuses: { '00000000-0000-4000-8000-000000000000': 'major_outage' } });
    expect(unknown.status).toBe(400);
  });
});

describe('opening an incident from a template', () => {
  it('fills {{component}} with the names of the incident components, in one call', async () => {
    const api1 = await makeComponent(t.app, owner.actor, { name: 'API' });
    const web = await makeComponent(t.app, owner.actor, { name: 'Web' });
    const template = await createTemplate({
      title: '{{component}} unavailable',
      severity: 'P1',
      message: 'We are investigating errors on {{component}} ({{severity}}) in {{region}}.',
      componentStatuses: { [api1.id]: 'major_outage', [web.id]: 'partial_outage' },
    });
    const res = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, variables: { region: 'eu-west-1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      title: 'API and Web unavailable',
      severity: 'P1',
      status: 'investigating',
      draft: false,
      components: { [api1.id]: 'major_outage', [web.id]: 'partial_outage' },
    });
    expect(res.body.updates[0].body).toBe('We are investigating errors on API and Web (P1) in eu-west-1.');
    const audit = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, res.body.id));
    expect(audit.map((r) => r.action).sort()).toEqual(['incident.create', 'template.use']);
  });

  it('the body wins over the template; unknown placeholders stay literal; deleted components drop out', async () => {
    const gone = await makeComponent(t.app, owner.actor, { name: 'Soon deleted' });
    const kept = await makeComponent(t.app, owner.actor, { name: 'Kept' });
    const template = await createTemplate({ message: 'Trouble with {{component}} near {{datacenter}}.', componentStatuses: { [gone.id]: 'major_outage', [kept.id]: 'degraded_performance' } });
    await api().delete(`/api/admin/components/${gone.id}`).set(owner.auth).expect(204);
    const res = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, severity: 'P3', draft: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ severity: 'P3', draft: true, title: 'Kept degraded', components: { [kept.id]: 'degraded_performance' } });
    expect(res.body.updates[0].body).toBe('Trouble with Kept near {{datacenter}}.');

    const own = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, title: 'My own {{component}} title', componentStatuses: {} });
    expect(own.body.title).toBe('My own {{component}} title');
    expect(own.body.updates[0].body).toBe('Trouble with our services near {{datacenter}}.');
  });

  // Templates are data, never code: what eta, JavaScript template literals or Handlebars would
  // evaluate must reach the API and the public page exactly as typed (escaped on the page).
  it('renders <%= %>, ${…} and {{constructor}} literally, through the API and on the public page', async () => {
    const c = await makeComponent(t.app, owner.actor, { name: 'Checkout' });
    const template = await createTemplate({
      title: 'TPL-TITLE <%= 7*7 %> ${6*7} {{constructor}} {{component}}',
      message: 'TPL-BODY <%= it.pageName %> and ${process.env.HOME} and {{constructor}} and {{__proto__}} on {{component}}',
      componentStatuses: { [c.id]: 'degraded_performance' },
    });
    const res = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('TPL-TITLE <%= 7*7 %> ${6*7} {{constructor}} Checkout');
    expect(res.body.updates[0].body).toBe('TPL-BODY <%= it.pageName %> and ${process.env.HOME} and {{constructor}} and {{__proto__}} on Checkout');

    for (const path of ['/', `/incidents/${res.body.id}`]) {
      const page = (await api().get(path)).text;
      expect(page, path).toContain('TPL-TITLE &lt;%= 7*7 %&gt; ${6*7} {{constructor}} Checkout');
      // (`__proto__` is Markdown for bold: the body is Markdown, rendered and sanitised.)
      expect(page, path).toContain('TPL-BODY &lt;%= it.pageName %&gt; and ${process.env.HOME} and {{constructor}} and {{<strong>proto</strong>}} on Checkout');
      expect(page, path).not.toContain('TPL-TITLE 49');
      expect(page, path).not.toContain('TPL-TITLE <%');
    }
    const feed = (await api().get('/feed.rss')).text;
    expect(feed).toContain('{{constructor}} Checkout');
  });

  it('an unknown template is a 400 and writes nothing; a viewer may not use one', async () => {
    const res = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(400);
    const template = await createTemplate();
    expect((await api().post('/api/admin/incidents').set(viewer.auth).send({ templateId: template.id })).status).toBe(403);
    const bad = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, variables: { 'not a name': 'x' } });
    expect(bad.status).toBe(400);
  });

  // Regression: the message limit was checked on the template, not on the filled text, so
  // variables could publish an update hundreds of times longer than the API allows.
  it('a filled message over the incident message limit is a 400 and opens nothing', async () => {
    const template = await createTemplate({ message: '{{v}}'.repeat(4_000) });
    const before = (await api().get('/api/admin/incidents?state=all').set(responder.auth)).body.length;
    const res = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, variables: { v: 'y'.repeat(500) } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('HG_INVALID');
    expect((await api().get('/api/admin/incidents?state=all').set(responder.auth)).body).toHaveLength(before);
    const fits = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, variables: { v: 'y' } });
    expect(fits.status).toBe(201);
  });

  it('takes every field of a plain create, each optional, and nothing else', async () => {
    const template = await createTemplate();
    const unknown = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, bogus: 1 });
    expect(unknown.status).toBe(400);
    const wrong = await api().post('/api/admin/incidents').set(responder.auth).send({ templateId: template.id, severity: 'P9' });
    expect(wrong.status).toBe(400);
    const res = await api()
      .post('/api/admin/incidents')
      .set(responder.auth)
      .send({ templateId: template.id, detectedAt: '2026-11-24T09:55:00Z', impactOverride: 'none', draft: true, notify: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ draft: true, impactOverride: 'none', detectedAt: '2026-11-24T09:55:00.000Z' });
  });
});

describe('every template route refuses', () => {
  const someId = '00000000-0000-4000-8000-000000000000';
  const body = { name: 'x', title: 't', severity: 'P3', status: 'investigating', message: 'm' };
  const routes = [
    { method: 'get' as const, path: '/api/admin/incident-templates', write: false },
    { method: 'get' as const, path: `/api/admin/incident-templates/${someId}`, write: false },
    { method: 'post' as const, path: '/api/admin/incident-templates', body, write: true },
    { method: 'patch' as const, path: `/api/admin/incident-templates/${someId}`, body: { title: 'y' }, write: true },
    { method: 'delete' as const, path: `/api/admin/incident-templates/${someId}`, write: true },
  ];

  it.each(routes)('401 without a valid token: $method $path', async ({ method, path, body }) => {
    for (const auth of [{}, { authorization: 'Bearer not.a.token' }]) {
      expect((await api()[method](path).set(auth).send(body)).status).toBe(401);
    }
  });

  it.each(routes.filter((r) => r.write))('403 for a viewer: $method $path', async ({ method, path, body }) => {
    const res = await api()[method](path).set(viewer.auth).send(body);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('HG_FORBIDDEN');
  });

  it('400 for bad input, 404 for an unknown id', async () => {
    for (const bad of [{}, { ...body, severity: 'P9' }, { ...body, status: 'resolved' }, { ...body, extra: true }, { ...body, name: '' }]) {
      expect((await api().post('/api/admin/incident-templates').set(responder.auth).send(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api().patch(`/api/admin/incident-templates/${someId}`).set(responder.auth).send({})).status).toBe(400);
    expect((await api().get('/api/admin/incident-templates/not-a-uuid').set(viewer.auth)).status).toBe(400);
    for (const [method, b] of [['get', undefined], ['patch', { title: 'y' }], ['delete', undefined]] as const) {
      const res = await api()[method](`/api/admin/incident-templates/${someId}`).set(responder.auth).send(b);
      expect(res.status, method).toBe(404);
    }
  });
});
