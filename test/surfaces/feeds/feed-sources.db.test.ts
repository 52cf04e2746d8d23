import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidents } from '../../../src/db/schema/index.js';
import { postmortemEntryId } from '../../../src/surfaces/feeds/postmortem-entries.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/** Maintenance and published postmortems are feed entries too, narrowed by component like updates. */
const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let responder: TestUser;
let routers: { id: string };
let payments: { id: string };
let incidentId: string;
let maintenanceId: string;

test.override('appOptions', { now: clock.now });
test.beforeAll(async ({ testApp, owner, responder: r }) => {
  t = testApp;
  responder = r;
  routers = await makeComponent(t.app, owner.actor, { name: 'Routers' });
  payments = await makeComponent(t.app, owner.actor, { name: 'Payments' });
  const api = () => request(t.app.server);

  const opened = await api()
    .post('/api/admin/incidents')
    .set(responder.auth)
    .send({ title: 'Payments outage', severity: 'P1', status: 'investigating', message: 'Card payments fail.', componentStatuses: { [payments.id]: 'major_outage' } })
    .expect(201);
  incidentId = opened.body.id;
  clock.advance(30 * 60_000);
  await api()
    .post(`/api/admin/incidents/${incidentId}/resolve`)
    .set(responder.auth)
    .send({ message: 'Fixed.', summary: 'A bad deploy.', postmortemDueAt: '2026-11-30T10:00:00Z' })
    .expect(200);
  await api()
    .put(`/api/admin/incidents/${incidentId}/postmortem`)
    .set(responder.auth)
    .send({ summary: 'Payments failed for 30 minutes.', rootCause: 'A **pool** limit & a deploy.' })
    .expect(200);
  clock.advance(60 * 60_000);
  await api().post(`/api/admin/incidents/${incidentId}/postmortem/publish`).set(responder.auth).expect(200);

  clock.advance(60 * 60_000);
  const scheduled = await api()
    .post('/api/admin/maintenances')
    .set(responder.auth)
    .send({ title: 'Router upgrade', body: 'New <firmware>.', scheduledFor: '2026-11-28T02:00:00Z', scheduledUntil: '2026-11-28T04:00:00Z', componentIds: [routers.id] })
    .expect(201);
  maintenanceId = scheduled.body.id;
});

const parser = new XMLParser({ ignoreAttributes: false });

async function rssTitles(query = ''): Promise<string[]> {
  const res = await request(t.app.server).get(`/feed.rss${query}`).expect(200);
  const items = parser.parse(res.text).rss.channel.item ?? [];
  return (Array.isArray(items) ? items : [items]).map((i: { title: string }) => i.title);
}

async function atomEntries(query = ''): Promise<Array<{ id: string; title: string; link: { '@_href': string } }>> {
  const res = await request(t.app.server).get(`/feed.atom${query}`).buffer(true).parse((r, cb) => {
    let data = '';
    r.on('data', (c: Buffer) => (data += c.toString('utf8')));
    r.on('end', () => cb(null, data));
  }).expect(200);
  const entries = parser.parse(res.body as string).feed.entry ?? [];
  return (Array.isArray(entries) ? entries : [entries]).map((e: { id: string; title: string | { '#text': string }; link: { '@_href': string } }) => ({
    ...e,
    title: typeof e.title === 'string' ? e.title : e.title['#text'],
  }));
}

describe('feed sources beyond incident updates', () => {
  it('lists the maintenance announcement and the postmortem, newest first, in RSS and Atom alike', async () => {
    const titles = await rssTitles();
    expect(titles[0]).toBe('[Maintenance · Scheduled] Router upgrade');
    expect(titles[1]).toBe('[Postmortem] Payments outage');
    expect(titles).toContain('[Resolved] Payments outage');
    const atom = await atomEntries();
    expect(atom.map((e) => e.title)).toEqual(titles);
  });

  it('gives the postmortem a stable UUID id and links both to their pages', async () => {
    const atom = await atomEntries();
    const postmortem = atom.find((e) => e.title.startsWith('[Postmortem]'))!;
    expect(postmortem.id).toBe(`urn:uuid:${postmortemEntryId(incidentId)}`);
    expect(postmortemEntryId(incidentId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(postmortem.link['@_href']).toContain(`/incidents/${incidentId}#postmortem`);
    const maintenance = atom.find((e) => e.title.startsWith('[Maintenance'))!;
    expect(maintenance.link['@_href']).toContain(`/maintenances/${maintenanceId}#update-`);
  });

  it('narrows by component: maintenance to the components it covers, a postmortem to its incident’s', async () => {
    const forRouters = await rssTitles(`?component=${routers.id}`);
    expect(forRouters).toEqual(['[Maintenance · Scheduled] Router upgrade']);
    const forPayments = await rssTitles(`?component=${payments.id}`);
    expect(forPayments).toContain('[Postmortem] Payments outage');
    expect(forPayments.some((title) => title.startsWith('[Maintenance'))).toBe(false);
  });

  it('shows the maintenance window in UTC and its body sanitised', async () => {
    const res = await request(t.app.server).get('/feed.rss').expect(200);
    expect(res.text).toContain('Nov 28, 2026, 02:00 – 04:00 UTC');
    expect(res.text).not.toContain('<firmware>');
  });
  // The postmortem source follows the one visibility rule of public incidents (isPublicIncident),
  // so an incident taken back to draft takes its published postmortem out of the feeds with it.
  it('leaves out the postmortem of an incident that is a draft', async () => {
    await t.app.db.update(incidents).set({ draft: true }).where(eq(incidents.id, incidentId));
    t.app.publicCache.invalidate();
    try {
      expect((await rssTitles()).filter((title) => title.startsWith('[Postmortem]'))).toEqual([]);
    } finally {
      await t.app.db.update(incidents).set({ draft: false }).where(eq(incidents.id, incidentId));
      t.app.publicCache.invalidate();
    }
  });
});
