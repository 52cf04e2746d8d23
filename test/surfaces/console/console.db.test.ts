import { count, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, incidents } from '../../../src/db/schema/index.js';
import { createIncident } from '../../../src/modules/incidents/index.js';
import type { TestApp } from '../../helpers/app.js';
import { ConsoleVisitor, signedInVisitor } from '../../helpers/console-session.js';
import { actingAs } from '../../helpers/context.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

let t: TestApp;
let owner: TestUser;
let responder: TestUser;
let viewer: TestUser;

test.override('appOptions', { config: { loginRateLimit: 50, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp, owner: o, responder: r, viewer: v }) => {
  t = testApp;
  owner = o;
  responder = r;
  viewer = v;
});

const signedIn = (user: TestUser) => signedInVisitor(t.app, user);

const incidentCount = async () => (await t.app.db.select({ n: count() }).from(incidents))[0]!.n;

describe('signing in', () => {
  test('shows the sign-in page at /admin, signed out, uncached', async () => {
    const res = await new ConsoleVisitor(t.app).get('/admin');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<label for="email">Email</label>');
    expect(res.body).toContain('<label for="password">Password</label>');
    expect(res.body).toContain('>Sign in</button>');
  });

  test('sets an HTTP-only, SameSite=Lax, Secure session cookie (PUBLIC_URL is https)', async () => {
    const visitor = new ConsoleVisitor(t.app);
    await visitor.get('/admin');
    const res = await visitor.post('/admin/sign-in', { email: responder.actor.email, password: responder.password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const session = res.cookies.find((c) => c.name === 'hg_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/admin' });
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());
    const board = await visitor.get('/admin');
    expect(board.body).toContain('<h1>Now</h1>');
    expect(board.headers['cache-control']).toBe('no-store');
  });

  test('a wrong password re-renders the form with a message and the email kept', async () => {
    const visitor = new ConsoleVisitor(t.app);
    await visitor.get('/admin');
    const res = await visitor.post('/admin/sign-in', { email: viewer.actor.email, password: 'wrong-password' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Wrong email or password.');
    expect(res.body).toContain(`value="${viewer.actor.email}"`);
    expect(res.cookies.find((c) => c.name === 'hg_session')).toBeUndefined();
  });

  test('sign-in without its CSRF token is a 403', async () => {
    const visitor = new ConsoleVisitor(t.app);
    await visitor.get('/admin');
    const res = await visitor.post('/admin/sign-in', { _csrf: null, email: viewer.actor.email, password: viewer.password });
    expect(res.statusCode).toBe(403);
  });

  test('signing out ends that session only', async () => {
    const phone = await signedIn(viewer);
    const laptop = await signedIn(viewer);
    expect((await phone.post('/admin/sign-out')).statusCode).toBe(303);
    expect((await phone.get('/admin')).body).toContain('>Sign in</button>');
    expect((await laptop.get('/admin')).body).toContain('<h1>Now</h1>');
  });

  test('other screens send a signed-out visitor to the sign-in page', async () => {
    const res = await new ConsoleVisitor(t.app).get('/admin/incidents/new');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
  });
});

describe('declaring an incident', () => {
  test('publishes through the same verb as the API: audit row, and on / at the next load', async () => {
    const api = await makeComponent(t.app, owner.actor, { name: 'Checkout API' });
    const visitor = await signedIn(responder);
    await t.app.inject({ url: '/' }); // the public page is now in the render cache
    const form = await visitor.get('/admin/incidents/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`<label for="component-${api.id}">Checkout API</label>`);
    expect(form.body).toMatch(/Notify subscribers \(\d+ emails?, \d+ webhooks?\)/);

    const res = await visitor.post('/admin/incidents/new', {
      title: 'Checkout errors',
      severity: 'P1',
      status: 'investigating',
      message: 'We are looking into **failed payments**.',
      [`component-${api.id}`]: 'major_outage',
      notify: 'on',
      action: 'publish',
    });
    expect(res.statusCode).toBe(303);
    const id = /\/admin\/incidents\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    const [audit] = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(audit).toMatchObject({ action: 'incident.create', actorId: responder.actor.id });

    const page = await t.app.inject({ url: '/' });
    expect(page.body).toContain('Checkout errors');
    const view = await visitor.get(`/admin/incidents/${id}`);
    expect(view.body).toContain('<strong>failed payments</strong>');
    expect(view.body).toContain(`https://status.example.test/incidents/${id}`);
  });

  test('bad input re-renders with the message by the field and the text kept; nothing written', async () => {
    const visitor = await signedIn(responder);
    await visitor.get('/admin/incidents/new');
    const before = await incidentCount();
    const res = await visitor.post('/admin/incidents/new', { title: '', severity: 'P2', status: 'investigating', message: 'Kept text', action: 'publish' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="title-error">Title is required.</p>');
    expect(res.body).toContain('>Kept text</textarea>');
    expect(await incidentCount()).toBe(before);
  });

  test('a missing or wrong CSRF token is a 403 and writes nothing', async () => {
    const visitor = await signedIn(responder);
    await visitor.get('/admin/incidents/new');
    const before = await incidentCount();
    const fields = { title: 'Forged', severity: 'P2', status: 'investigating', message: 'x', action: 'publish' };
    expect((await visitor.post('/admin/incidents/new', { ...fields, _csrf: null })).statusCode).toBe(403);
    expect((await visitor.post('/admin/incidents/new', { ...fields, _csrf: 'not-the-token' })).statusCode).toBe(403);
    expect(await incidentCount()).toBe(before);
  });

  test('a viewer sees no "Declare incident" and gets 403 posting the form', async () => {
    const visitor = await signedIn(viewer);
    const board = await visitor.get('/admin');
    expect(board.body).not.toContain('Declare incident');
    const before = await incidentCount();
    const res = await visitor.post('/admin/incidents/new', { title: 'Nope', severity: 'P2', status: 'investigating', message: 'x', action: 'publish' });
    expect(res.statusCode).toBe(403);
    expect(await incidentCount()).toBe(before);
  });
});

describe('the incident view', () => {
  async function declared(visitor: ConsoleVisitor, severity = 'P2') {
    await visitor.get('/admin/incidents/new');
    const res = await visitor.post('/admin/incidents/new', { title: `Incident ${severity}`, severity, status: 'investigating', message: 'First', action: 'publish' });
    return /([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
  }

  test('posts an update, preselecting the next stage', async () => {
    const visitor = await signedIn(responder);
    const id = await declared(visitor);
    const page = await visitor.get(`/admin/incidents/${id}`);
    expect(page.body).toContain('<option value="identified" selected>');
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const res = await visitor.post(`/admin/incidents/${id}/updates`, { version, status: 'identified', message: 'Found it', notify: 'on' });
    expect(res.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/incidents/${id}` })).body).toContain('Found it');
  });

  test('a stale form says so and writes nothing', async () => {
    const visitor = await signedIn(responder);
    const id = await declared(visitor);
    const page = await visitor.get(`/admin/incidents/${id}`);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    expect((await visitor.post(`/admin/incidents/${id}/updates`, { version, status: 'identified', message: 'One' })).statusCode).toBe(303);
    const res = await visitor.post(`/admin/incidents/${id}/updates`, { version, status: 'monitoring', message: 'Two, from an old form' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('changed since you opened it');
    expect(res.body).toContain('Two, from an old form</textarea>');
    expect((await t.app.inject({ url: `/incidents/${id}` })).body).not.toContain('Two, from an old form');
  });

  test('resolving a P2 needs a postmortem due date, then resolves', async () => {
    const visitor = await signedIn(responder);
    const id = await declared(visitor, 'P2');
    const form = await visitor.get(`/admin/incidents/${id}/resolve`);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const missing = await visitor.post(`/admin/incidents/${id}/resolve`, { version, message: 'Fixed', summary: 'A bad deploy' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('needs a postmortem due date');
    const res = await visitor.post(`/admin/incidents/${id}/resolve`, { version, message: 'Fixed', summary: 'A bad deploy', postmortemDueAt: '2030-01-10', notify: 'on' });
    expect(res.statusCode).toBe(303);
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, id));
    expect(row).toMatchObject({ status: 'resolved', postmortemDueAt: new Date('2030-01-10T23:59:59Z') });
  });

  test('publishes a draft (an Alertmanager draft, say) in one action', async () => {
    const draft = await createIncident(actingAs(t.app, responder.actor), { title: 'Draft from an alert', severity: 'P1', status: 'investigating', message: 'Alert fired', draft: true });
    const visitor = await signedIn(responder);
    const board = await visitor.get('/admin');
    expect(board.body).toContain('Draft from an alert');
    expect((await t.app.inject({ url: '/' })).body).not.toContain('Draft from an alert');
    await visitor.get(`/admin/incidents/${draft.id}`);
    expect((await visitor.post(`/admin/incidents/${draft.id}/publish`)).statusCode).toBe(303);
    expect((await t.app.inject({ url: '/' })).body).toContain('Draft from an alert');
  });

  test('acknowledges', async () => {
    const visitor = await signedIn(responder);
    const id = await declared(visitor);
    await visitor.get(`/admin/incidents/${id}`);
    expect((await visitor.post(`/admin/incidents/${id}/acknowledge`)).statusCode).toBe(303);
    expect((await visitor.get(`/admin/incidents/${id}`)).body).not.toContain('>Acknowledge</button>');
  });

  test('the board JSON carries the board and a sentence to announce', async () => {
    const visitor = await signedIn(viewer);
    const res = await visitor.get('/admin/board.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({ html: expect.stringContaining('Open incidents'), summary: expect.stringMatching(/open incident/) });
  });
});
