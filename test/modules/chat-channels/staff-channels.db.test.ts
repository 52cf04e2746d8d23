import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { testConfig, type TestApp } from '../../helpers/app.js';
import { startChatReceiver, type ChatPost } from '../../helpers/chat-platforms.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { alertmanagerPost } from '../../fixtures/alertmanager.js';

const clock = new TestClock('2026-12-07T10:00:00Z');
// The receivers listen on 127.0.0.1: this install may post to private addresses.
test.override('appOptions', { now: clock.now, config: { webhookAllowPrivate: true } });

describe('staff chat channels', () => {
  let t: TestApp;
  let owner: TestUser;
  let receiver: Awaited<ReturnType<typeof startChatReceiver>>;
  /** A second server process on the same database: the digest round must go out once between them. */
  let other: FastifyInstance;

  test.beforeAll(async ({ testApp, owner: o }) => {
    t = testApp;
    owner = o;
    receiver = await startChatReceiver();
    other = await buildApp({ config: testConfig({ webhookAllowPrivate: true }), database: t.database, now: clock.now, logger: false });
    await other.ready();
    const channel = (platform: string, path: string, body: object) =>
      request(t.app.server).post('/api/admin/chat-channels').set(owner.auth).send({ platform, url: `http://127.0.0.1:${receiver.port}/${platform}/${path}`, name: path, ...body }).expect(201);
    await channel('slack', 'oncall', { audience: 'staff', staffEvents: ['reminder', 'ack_overdue', 'draft_opened', 'postmortem_overdue'] });
    await channel('teams', 'leadership', { audience: 'staff', staffEvents: ['digest'], digestMinutes: 15 });
    await channel('google_chat', 'success', { audience: 'staff', staffEvents: ['digest'] });
    await channel('discord', 'public', { audience: 'subscriber' });
  });
  afterAll(async () => {
    await other.close();
    await receiver.close();
  });

  const drain = () => t.app.notifications.worker.drain();
  const at = (path: string) => receiver.posts.filter((p) => p.path.endsWith(`/${path}`));
  const text = (posts: ChatPost[]) => posts.map((p) => JSON.stringify(p.body)).join('\n');

  it('sends no digest while no incident is open', async () => {
    expect(await t.app.staffDigest.tick()).toEqual({ digests: 0, postmortemsOverdue: 0 });
    const listed = (await request(t.app.server).get('/api/admin/chat-channels').set(owner.auth).expect(200)).body;
    expect(listed.map((c: { lastDigestAt: string | null }) => c.lastDigestAt)).toEqual([null, null, null, null]);
  });

  it('tells the on-call channel of reminders and an overdue acknowledgement, with a link to the incident; subscriber channels hear none', async () => {
    const { body: incident } = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Search is slow', severity: 'P1', status: 'investigating', message: 'Looking.', notify: false })
      .expect(201);
    clock.set('2026-12-07T10:14:00Z');
    expect((await t.app.reminders.tick()).length).toBeGreaterThan(0);
    await drain();
    const due = at('oncall');
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((p) => p.problems.length === 0)).toBe(true);
    expect(text(due)).toContain('Search is slow');
    expect(text(due)).toContain(`https://status.example.test/admin/incidents/${incident.id}`);

    clock.set('2026-12-07T10:16:00Z');
    await t.app.reminders.tick();
    await drain();
    expect(text(at('oncall'))).toContain('Acknowledgement overdue');
    expect(at('public')).toEqual([]);
    expect(at('leadership')).toEqual([]);
  });

  it('tells the on-call channel of a draft Alertmanager opened, with the page that publishes it', async () => {
    const { body: token } = await request(t.app.server).post('/api/admin/tokens').set(owner.auth).send({ name: 'am', scopes: ['ingest'] }).expect(201);
    const res = await request(t.app.server)
      .post('/api/ingest/alertmanager')
      .set({ authorization: `Bearer ${token.token}` })
      .send(alertmanagerPost('firing'))
      .expect(200);
    expect(res.body.action).toBe('opened');
    await drain();
    const draft = at('oncall').find((p) => JSON.stringify(p.body).includes('Draft incident'));
    expect(draft?.problems).toEqual([]);
    const blocks = JSON.stringify(draft!.body.blocks);
    expect(blocks).toContain('Review and publish');
    expect(blocks).toContain(`https://status.example.test/admin/incidents/${res.body.incidentId}`);
    expect(at('public')).toEqual([]);
  });

  it('sends each digest round once however many processes claim it, each channel on its own rhythm', async () => {
    const [a, b] = await Promise.all([t.app.staffDigest.tick(), other.staffDigest.tick()]);
    expect(a.digests + b.digests).toBe(2);
    await drain();
    const leadership = at('leadership');
    expect(leadership).toHaveLength(1);
    expect(at('success')).toHaveLength(1);
    expect(leadership[0]!.problems).toEqual([]);
    expect(at('success')[0]!.problems).toEqual([]);
    const digest = JSON.stringify(leadership[0]!.body);
    // Each open incident: its state, last public and internal entries, and clocks.
    expect(digest).toContain('2 open incidents');
    expect(digest).toContain('Search is slow');
    expect(digest).toContain('Last public update');
    expect(digest).toContain('Last internal note');
    expect(digest).toContain('Next public update');
    expect(digest).toContain('draft, not public');

    clock.advance(16 * 60_000);
    expect((await Promise.all([t.app.staffDigest.tick(), other.staffDigest.tick()])).reduce((n, p) => n + p.digests, 0)).toBe(1);
    clock.advance(15 * 60_000);
    await t.app.staffDigest.tick();
    await drain();
    expect(at('leadership')).toHaveLength(3);
    expect(at('success')).toHaveLength(2);
  });

  it('tells the on-call channel once of a postmortem past due', async () => {
    const { body: incident } = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Login failures', severity: 'P2', status: 'investigating', message: 'Looking.' })
      .expect(201);
    const due = new Date(clock.now().getTime() + 3_600_000).toISOString();
    await request(t.app.server)
      .post(`/api/admin/incidents/${incident.id}/resolve`)
      .set(owner.auth)
      .send({ message: 'Fixed.', summary: 'A bad deploy.', postmortemDueAt: due })
      .expect(200);
    expect((await t.app.staffDigest.tick()).postmortemsOverdue).toBe(0);
    clock.advance(2 * 3_600_000);
    expect((await Promise.all([t.app.staffDigest.tick(), other.staffDigest.tick()])).reduce((n, p) => n + p.postmortemsOverdue, 0)).toBe(1);
    expect((await t.app.staffDigest.tick()).postmortemsOverdue).toBe(0);
    await drain();
    const overdue = at('oncall').filter((p) => JSON.stringify(p.body).includes('Postmortem overdue'));
    expect(overdue).toHaveLength(1);
    expect(JSON.stringify(overdue[0]!.body)).toContain(`/admin/incidents/${incident.id}/postmortem`);
  });
});
