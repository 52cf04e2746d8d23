import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeComponent, type TestUser } from '../../helpers/factories.js';
import type { SmtpSink } from '../../helpers/smtp.js';
import { test } from '../../helpers/fixtures.js';

const linkIn = (mail: ParsedMail, path: string) => {
  const match = new RegExp(`https://status\\.example\\.test(/${path}/[A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1]!;
};
const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;

const clock = new TestClock();
test.override('appOptions', ({ smtp }) => ({ now: clock.now, config: { smtpUrl: smtp.url, subscribeRateLimit: 1000 } }));

describe('email subscriptions', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let owner: TestUser;
  let api: { id: string };
  let web: { id: string };

  test.beforeAll(async ({ testApp, smtp: sink, owner: o }) => {
    t = testApp;
    smtp = sink;
    owner = o;
    api = await makeComponent(t.app, owner.actor, { name: 'API' });
    web = await makeComponent(t.app, owner.actor, { name: 'Website' });
  });

  const drain = () => t.app.notifications.worker.drain();
  const subscribe = (body: object) => request(t.app.server).post('/subscribe').send(body);

  async function confirmAddress(email: string, componentIds?: string[]) {
    const before = smtp.messages.length;
    expect((await subscribe({ email, componentIds })).status).toBe(202);
    await drain();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(to(mail!)).toBe(email);
    const res = await request(t.app.server).get(linkIn(mail!, 'subscribe/confirm'));
    expect(res.status).toBe(200);
    return mail!;
  }

  it('sends a confirmation mail with a single-use link; the answer never tells who is subscribed', async () => {
    const first = await subscribe({ email: 'ana@example.org' });
    expect(first.status).toBe(202);
    await drain();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Confirm your subscription to Example Status');
    const link = linkIn(mail!, 'subscribe/confirm');
    const confirmed = await request(t.app.server).get(link);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers['referrer-policy']).toBe('no-referrer');
    expect(confirmed.text).toContain('Subscription confirmed');
    // Single use.
    expect((await request(t.app.server).get(link)).status).toBe(404);
    // Confirmed, pending or new: the same answer, and no new mail for the confirmed one.
    const again = await subscribe({ email: 'ana@example.org' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    await drain();
    expect(smtp.messages).toHaveLength(1);
  });

  it('sends at most one confirmation per address per hour, and links expire after 24 hours', async () => {
    const before = smtp.messages.length;
    await subscribe({ email: 'bo@example.org' });
    await subscribe({ email: 'bo@example.org' });
    await drain();
    await smtp.waitFor(before + 1);
    expect(smtp.messages.length).toBe(before + 1);
    clock.advance(25 * 3_600_000);
    const stale = linkIn(smtp.messages.at(-1)!, 'subscribe/confirm');
    expect((await request(t.app.server).get(stale)).status).toBe(404);
    await subscribe({ email: 'bo@example.org' });
    await drain();
    await smtp.waitFor(before + 2);
    expect((await request(t.app.server).get(linkIn(smtp.messages.at(-1)!, 'subscribe/confirm'))).status).toBe(200);
  });

  it('refuses addresses that could inject headers or are not strict addresses, queueing nothing', async () => {
    const before = smtp.messages.length;
    for (const email of ['a@b.org\r\nBcc: x@y.org', '"quoted"@example.org', 'a(comment)@example.org', 'sp ace@example.org', `${'a'.repeat(250)}@b.org`, 'no-at-sign']) {
      const res = await subscribe({ email });
      expect(res.status, email).toBe(400);
      expect(res.body.error).toBe('HG_INVALID');
    }
    expect((await subscribe({ email: 'x@example.org', componentIds: ['00000000-0000-4000-8000-000000000000'] })).status).toBe(400);
    expect(await drain()).toBe(0);
    expect(smtp.messages.length).toBe(before);
  });

  it('accepts the HTML form without JavaScript and answers with the check-your-inbox page', async () => {
    const res = await request(t.app.server)
      .post('/subscribe')
      .set('accept', 'text/html')
      .type('form')
      .send(`email=form%40example.org&componentIds=${api.id}`);
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('Check your inbox');
    const page = await request(t.app.server).get('/');
    expect(page.text).toContain('action="/subscribe"');
    expect(page.text).toContain(`value="${api.id}"`);
    expect((await request(t.app.server).get('/subscribe')).headers.location).toBe('/#subscribe');
    await drain();
  });

  it('notifies confirmed subscribers of an incident, filtered by component, with one-click unsubscribe', async () => {
    await confirmAddress('all@example.org');
    await confirmAddress('api-only@example.org', [api.id]);
    await confirmAddress('web-only@example.org', [web.id]);
    await subscribe({ email: 'never-confirmed@example.org' });
    await drain();
    const before = smtp.messages.length;

    const created = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'API errors', severity: 'P1', status: 'investigating', message: 'Requests **fail**.', componentStatuses: { [api.id]: 'partial_outage' } });
    expect(created.status).toBe(201);
    // ana@ and bo@ subscribed to everything earlier, all@ too; api-only@ matches; web-only@ does not.
    expect(created.body.updates[0].deliveries).toEqual({ pending: 4, sent: 0, failed: 0, dead: 0 });
    await drain();
    const all = smtp.messages.slice(before);
    expect(all.map(to).sort()).toEqual(['all@example.org', 'ana@example.org', 'api-only@example.org', 'bo@example.org']);
    const mail = all.find((m) => to(m) === 'api-only@example.org')!;
    expect(mail.subject).toBe('[P1 · Investigating] API errors');
    expect(mail.text).toContain('Requests **fail**.');
    expect(mail.text).toContain('Affected: API (Partial outage)');
    expect(mail.text).toContain(`https://status.example.test/incidents/${created.body.id}`);
    expect(mail.html).toContain('<strong>fail</strong>');
    expect(mail.messageId).toMatch(/@status\.example\.test>?$/);
    const raw = (name: string) => mail.headerLines.find((h) => h.key === name)?.line;
    expect(raw('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const listUnsubscribe = raw('list-unsubscribe')!.replace(/\s+/g, ' ');
    const unsubscribe = linkIn(mail, 'unsubscribe');
    expect(listUnsubscribe).toBe(`List-Unsubscribe: <https://status.example.test${unsubscribe}>`);

    const detail = await request(t.app.server).get(`/api/admin/incidents/${created.body.id}`).set(owner.auth);
    expect(detail.body.updates[0].deliveries).toEqual({ pending: 0, sent: 4, failed: 0, dead: 0 });

    // GET changes nothing (mail scanners prefetch links); POST unsubscribes.
    const ask = await request(t.app.server).get(unsubscribe);
    expect(ask.status).toBe(200);
    expect(ask.headers['referrer-policy']).toBe('no-referrer');
    expect(ask.text).toContain('api-only@example.org');
    expect((await request(t.app.server).get(unsubscribe)).status).toBe(200);
    // RFC 8058 prefers multipart/form-data for the one-click POST.
    const done = await request(t.app.server).post(unsubscribe).field('List-Unsubscribe', 'One-Click');
    expect(done.status).toBe(200);
    expect((await request(t.app.server).get(unsubscribe)).status).toBe(404);

    // An update with notify false mails nobody; the resolution mails those still subscribed.
    const count = smtp.messages.length;
    await request(t.app.server).post(`/api/admin/incidents/${created.body.id}/updates`).set(owner.auth).send({ status: 'identified', message: 'quiet', notify: false }).expect(201);
    expect(await drain()).toBe(0);
    await request(t.app.server)
      .post(`/api/admin/incidents/${created.body.id}/resolve`)
      .set(owner.auth)
      .send({ message: 'Fixed.', summary: 'A bad deploy.', postmortemDueAt: '2026-12-01T00:00:00Z' })
      .expect(200);
    await drain();
    const resolved = (await smtp.waitFor(count + 3)).slice(count);
    expect(resolved.map(to).sort()).toEqual(['all@example.org', 'ana@example.org', 'bo@example.org']);
    expect(resolved[0]!.subject).toBe('[P1 · Resolved] API errors');
  });

  it('sends one notification when a draft is published, none while it is a draft', async () => {
    const draft = await request(t.app.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Slow pages', severity: 'P2', status: 'investigating', message: 'first', draft: true, componentStatuses: { [web.id]: 'degraded_performance' } });
    await request(t.app.server).post(`/api/admin/incidents/${draft.body.id}/updates`).set(owner.auth).send({ status: 'identified', message: 'second' }).expect(201);
    expect(await drain()).toBe(0);
    const before = smtp.messages.length;
    await request(t.app.server).post(`/api/admin/incidents/${draft.body.id}/publish`).set(owner.auth).send({}).expect(200);
    await drain();
    // all@, ana@, bo@ and web-only@.
    const mails = (await smtp.waitFor(before + 4)).slice(before);
    expect(mails.map((m) => m.subject)).toEqual(Array(4).fill('[P2 · Identified] Slow pages'));
    expect(mails.map(to)).toContain('web-only@example.org');
  });
});
