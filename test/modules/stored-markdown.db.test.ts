import { eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditLog, incidentNotes, notificationDeliveries, incidents, incidentTemplates, incidentUpdates, maintenances, maintenanceUpdates, postmortems } from '../../src/db/schema/index.js';
import type { TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { makeComponent, type TestUser } from '../helpers/factories.js';
import { test } from '../helpers/fixtures.js';

/**
 * Markdown is rendered once, when written, and stored beside its source: a body the renderer
 * cannot have is refused on every route that takes one, and a stored body that cannot be
 * rendered (kept from before) never takes a page down with it.
 */

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
const warnings: Array<{ entryId?: string; msg?: string }> = [];

// No DNS in tests: every webhook host is a public address.
const resolver = async () => [{ address: '93.184.216.34', family: 4 }];
test.override('appOptions', { now: clock.now, resolver, config: { maintenanceTickSeconds: 0, reminderIntervalSeconds: 0, worker: false } });
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
  const warn = t.app.log.warn.bind(t.app.log);
  // The log is the contract here: what a responder reads to find the entry.
  t.app.log.warn = ((obj: unknown, ...rest: unknown[]) => {
    if (typeof obj === 'object' && obj !== null && 'entryId' in obj) warnings.push({ entryId: String((obj as { entryId: unknown }).entryId), msg: String(rest[0]) });
    return (warn as (...a: unknown[]) => void)(obj, ...rest);
  }) as typeof t.app.log.warn;
});

const api = () => request(t.app.server);

/** Bodies that overflowed the renderer's stack or cost seconds of CPU before the limits. */
const HOSTILE: Record<string, string> = {
  'nested quotes': `${'>'.repeat(5000)} deep`,
  'nested lists': `${'- '.repeat(3000)}deep`,
  'emphasis runs': `${'*'.repeat(5000)}a${'*'.repeat(5000)}`,
  'many underscores': '__a'.repeat(6000),
};

const TABLES = { incidents, incidentUpdates, incidentNotes, maintenances, maintenanceUpdates, postmortems, incidentTemplates, auditLog };

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(TABLES)) {
    const [row] = await t.app.db.select({ n: sql<number>`count(*)::int` }).from(table);
    counts[name] = row!.n;
  }
  return counts;
}

async function openIncident(message = 'Investigating **elevated** errors.') {
  const c = await makeComponent(t.app, owner.actor, { name: `API ${Math.random().toString(36).slice(2, 7)}` });
  const res = await api()
    .post('/api/admin/incidents')
    .set(owner.auth)
    .send({ title: 'API errors', severity: 'P2', status: 'investigating', message, componentStatuses: { [c.id]: 'partial_outage' } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function resolvedIncidentWithPostmortem() {
  const id = await openIncident();
  const res = await api().post(`/api/admin/incidents/${id}/resolve`).set(owner.auth).send({ message: 'Fixed.', summary: 'A bad deploy.', postmortemDueAt: '2026-12-01T10:00:00Z' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return id;
}

describe('a Markdown body over the limits', () => {
  for (const [kind, body] of Object.entries(HOSTILE)) {
    it(`(${kind}) is a 400 naming the field on every route that takes Markdown, and writes nothing`, async () => {
      const incidentId = await openIncident();
      const resolvedId = await resolvedIncidentWithPostmortem();
      const maintenance = await api()
        .post('/api/admin/maintenances')
        .set(owner.auth)
        .send({ title: 'Router swap', body: 'Planned.', scheduledFor: '2026-11-25T10:00:00Z', scheduledUntil: '2026-11-25T11:00:00Z' });
      expect(maintenance.status).toBe(201);
      const template = await api()
        .post('/api/admin/incident-templates')
        .set(owner.auth)
        .send({ name: `T ${kind}`, title: 'Errors', severity: 'P2', status: 'investigating', message: 'We are looking.' });
      expect(template.status).toBe(201);

      // List fields are shorter: a cut of the same body, still over the limits.
      const item = `${body.slice(0, 1990)} x`;
      const attempts: Array<[string, string, Record<string, unknown>, string]> = [
        ['post', '/api/admin/incidents', { title: 'X', severity: 'P2', status: 'investigating', message: body }, 'message'],
        ['post', `/api/admin/incidents/${incidentId}/updates`, { status: 'identified', message: body }, 'message'],
        ['post', `/api/admin/incidents/${incidentId}/resolve`, { message: body, summary: 'Done.', postmortemDueAt: '2026-12-01T10:00:00Z' }, 'message'],
        // A translation of a message is held to the same limits, and named by its language.
        ['post', '/api/admin/incidents', { title: 'X', severity: 'P2', status: 'investigating', message: 'Fine.', messages: { de: body } }, 'messages.de'],
        ['post', `/api/admin/incidents/${incidentId}/updates`, { status: 'identified', message: 'Fine.', messages: { fr: body } }, 'messages.fr'],
        ['post', `/api/admin/incidents/${incidentId}/resolve`, { message: 'Fine.', messages: { ja: body }, summary: 'Done.', postmortemDueAt: '2026-12-01T10:00:00Z' }, 'messages.ja'],
        ['post', `/api/admin/incidents/${incidentId}/notes`, { text: body }, 'text'],
        ['post', '/api/admin/maintenances', { title: 'M', body, scheduledFor: '2026-11-26T10:00:00Z', scheduledUntil: '2026-11-26T11:00:00Z' }, 'body'],
        ['patch', `/api/admin/maintenances/${maintenance.body.id}`, { body }, 'body'],
        ['patch', `/api/admin/maintenances/${maintenance.body.id}`, { message: body }, 'message'],
        ['put', `/api/admin/incidents/${resolvedId}/postmortem`, { summary: body, rootCause: 'Disk.' }, 'summary'],
        ['put', `/api/admin/incidents/${resolvedId}/postmortem`, { summary: 'S.', rootCause: body }, 'rootCause'],
        ['put', `/api/admin/incidents/${resolvedId}/postmortem`, { summary: 'S.', rootCause: 'Disk.', contributingFactors: [item] }, 'postmortem'],
        ['put', `/api/admin/incidents/${resolvedId}/postmortem`, { summary: 'S.', rootCause: 'Disk.', whys: [item] }, 'whys[0]'],
        ['post', '/api/admin/incident-templates', { name: `U ${kind}`, title: 'E', severity: 'P2', status: 'investigating', message: body }, 'message'],
        ['patch', `/api/admin/incident-templates/${template.body.id}`, { message: body }, 'message'],
      ];
      const before = await rowCounts();
      for (const [method, path, payload, field] of attempts) {
        const res = await (api() as unknown as Record<string, (p: string) => request.Test>)[method]!(path).set(owner.auth).send(payload);
        expect(res.status, `${method} ${path} (${field})`).toBe(400);
        expect(res.body.error).toEqual(expect.any(String));
        expect(res.body.message, `${method} ${path}`).toContain(field);
      }
      expect(await rowCounts()).toEqual(before);
    });
  }
});

describe('a body that keeps to the limits', () => {
  it('is stored rendered and sanitised beside its source, and the page serves the stored HTML', async () => {
    const id = await openIncident('We see **errors** <img src=x onerror=alert(1)> on [checkout](https://example.test).');
    const [update] = await t.app.db.select().from(incidentUpdates).where(eq(incidentUpdates.incidentId, id));
    expect(update!.bodyHtml).toContain('<strong>errors</strong>');
    expect(update!.bodyHtml).not.toContain('onerror');
    expect(update!.bodyHtml).toContain('<a href="https://example.test" rel="nofollow noopener noreferrer">checkout</a>');

    // The page reads what was stored: it renders no Markdown itself.
    await t.app.db.update(incidentUpdates).set({ bodyHtml: '<p>STORED-HTML-MARKER</p>' }).where(eq(incidentUpdates.id, update!.id));
    t.app.publicCache.invalidate();
    const page = await api().get(`/incidents/${id}`).expect(200);
    expect(page.text).toContain('STORED-HTML-MARKER');
    expect(page.text).not.toContain('<strong>errors</strong>');
  });

  it('is rendered when a maintenance, its updates and a postmortem are saved', async () => {
    const m = await api()
      .post('/api/admin/maintenances')
      .set(owner.auth)
      .send({ title: 'DB upgrade', body: 'We upgrade **PostgreSQL**.', scheduledFor: '2026-11-25T10:00:00Z', scheduledUntil: '2026-11-25T11:00:00Z' });
    expect(m.status).toBe(201);
    const [row] = await t.app.db.select().from(maintenances).where(eq(maintenances.id, m.body.id));
    expect(row!.bodyHtml).toBe('<p>We upgrade <strong>PostgreSQL</strong>.</p>');
    await api().patch(`/api/admin/maintenances/${m.body.id}`).set(owner.auth).send({ message: 'Half the _nodes_ are done.' }).expect(200);
    const updates = await t.app.db.select().from(maintenanceUpdates).where(eq(maintenanceUpdates.maintenanceId, m.body.id));
    expect(updates.map((u) => u.bodyHtml)).toContain('<p>Half the <em>nodes</em> are done.</p>');

    const id = await resolvedIncidentWithPostmortem();
    await api()
      .put(`/api/admin/incidents/${id}/postmortem`)
      .set(owner.auth)
      .send({ summary: 'A **disk** filled.', rootCause: 'No _alert_.', contributingFactors: ['Quiet night'], actionItems: [{ title: 'Alert on disk' }] })
      .expect(200);
    const [pm] = await t.app.db.select().from(postmortems).where(eq(postmortems.incidentId, id));
    expect(pm!.summaryHtml).toBe('<p>A <strong>disk</strong> filled.</p>');
    expect(pm!.rootCauseHtml).toBe('<p>No <em>alert</em>.</p>');
    expect(pm!.publicHtml).toContain('<li>Quiet night</li>');
    expect(pm!.publicHtml).toContain('<li>Alert on disk</li>');
  });

  it('with notify on, queues its mail and webhook without parsing anything more: the write succeeds', async () => {
    await api().post('/api/admin/webhooks').set(owner.auth).send({ url: 'https://hooks.example.test/status' }).expect(201);
    const id = await openIncident();
    const queued = async () => (await t.app.db.select({ n: sql<number>`count(*)::int` }).from(notificationDeliveries))[0]!.n;
    const before = await queued();
    const res = await api()
      .post(`/api/admin/incidents/${id}/updates`)
      .set(owner.auth)
      .send({ status: 'identified', message: `${'> '.repeat(8)}deep but allowed\n\n${'*a* '.repeat(200)}`, notify: true });
    expect(res.status).toBe(201);
    expect(await queued()).toBeGreaterThan(before);
  });
});

describe('a stored body that cannot be rendered (kept from before bodies were rendered when written)', () => {
  it('shows as escaped plain text, logged once with its id, and the page stays current', async () => {
    const id = await openIncident();
    const hostile = `${'>'.repeat(5000)} <script>alert(1)</script> frozen`;
    const [legacy] = await t.app.db
      .insert(incidentUpdates)
      .values({ incidentId: id, status: 'identified', body: hostile, bodyHtml: null, createdAt: clock.now(), publishedAt: clock.now() })
      .returning();
    t.app.publicCache.invalidate();
    warnings.length = 0;

    for (const path of ['/', `/incidents/${id}`, '/history', '/feed.atom', '/feed.rss']) {
      const res = await api().get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain('<script>alert(1)</script>');
    }
    const page = await api().get(`/incidents/${id}`).expect(200);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; frozen');
    expect(warnings.filter((w) => w.entryId === legacy!.id)).toHaveLength(1);

    // Later updates, and the resolution, still reach the page.
    clock.advance(60_000);
    await api().post(`/api/admin/incidents/${id}/resolve`).set(owner.auth).send({ message: 'All **clear**.', summary: 'Fixed.', postmortemDueAt: '2026-12-01T10:00:00Z' }).expect(200);
    const after = await api().get(`/incidents/${id}`).expect(200);
    expect(after.text).toContain('All <strong>clear</strong>.');
    const [row] = await t.app.db.select().from(incidents).where(eq(incidents.id, id));
    expect(row!.resolvedAt).not.toBeNull();
  });
});
