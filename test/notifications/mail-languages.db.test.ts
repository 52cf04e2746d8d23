import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import type { TestUser } from '../helpers/factories.js';
import type { SmtpSink } from '../helpers/smtp.js';
import { test } from '../helpers/fixtures.js';

/** A subscriber's mails come in the language of the page they subscribed from. */

const clock = new TestClock('2026-11-24T10:00:00Z');
test.override('appOptions', ({ smtp }) => ({ now: clock.now, config: { smtpUrl: smtp.url, subscribeRateLimit: 1000 } }));

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;

describe('mail languages', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let owner: TestUser;

  test.beforeAll(async ({ testApp, smtp: sink, owner: o }) => {
    t = testApp;
    smtp = sink;
    owner = o;
  });

  const api = () => request(t.app.server);
  const drain = () => t.app.notifications.worker.drain();

  /** The mails sent by `act`, by recipient. */
  async function mailsOf(act: () => Promise<unknown>, count: number): Promise<Map<string, ParsedMail>> {
    const before = smtp.messages.length;
    await act();
    await drain();
    const sent = (await smtp.waitFor(before + count)).slice(before);
    return new Map(sent.map((m) => [to(m)!, m]));
  }

  async function subscribeAndConfirm(email: string, form: Record<string, string>) {
    const mails = await mailsOf(() => api().post('/subscribe').type('form').send({ email, ...form }), 1);
    const mail = mails.get(email)!;
    const link = /https:\/\/status\.example\.test(\/subscribe\/confirm\/[A-Za-z0-9_-]+(?:\?lang=[a-z]+)?)/.exec(mail.text ?? '')![1]!;
    const confirmed = await api().get(link);
    expect(confirmed.status).toBe(200);
    return { mail, confirmed };
  }

  it('sends the confirmation in the page’s language, and its link keeps it', async () => {
    const { mail, confirmed } = await subscribeAndConfirm('fr@example.org', { lang: 'fr' });
    expect(mail.subject).toBe('Confirmez votre abonnement à Example Status');
    expect(mail.text).toContain('Confirmer l’abonnement');
    expect(mail.html).toContain('<html lang="fr">');
    expect(confirmed.text).toContain('Abonnement confirmé');
    const english = await subscribeAndConfirm('en@example.org', {});
    expect(english.mail.subject).toBe('Confirm your subscription to Example Status');
  });

  it('sends an incident update in the subscriber’s language, with the message’s translation when there is one', async () => {
    const mails = await mailsOf(
      () =>
        api()
          .post('/api/admin/incidents')
          .set(owner.auth)
          .send({ title: 'API errors', severity: 'P2', status: 'investigating', message: 'We are **looking**.', messages: { fr: 'Nous **cherchons**.' } })
          .expect(201),
      2,
    );
    const french = mails.get('fr@example.org')!;
    expect(french.subject).toBe('[P2 · En cours d’analyse] API errors');
    expect(french.text).toContain('Nous **cherchons**.');
    expect(french.text).toContain('impact mineur');
    expect(french.text).toContain('Se désabonner : https://status.example.test/unsubscribe/');
    expect(french.html).toContain('Nous <strong>cherchons</strong>.');
    expect(french.html).not.toContain('looking');
    const english = mails.get('en@example.org')!;
    expect(english.subject).toBe('[P2 · Investigating] API errors');
    expect(english.text).toContain('We are **looking**.');
    expect(english.text).toContain('Unsubscribe: https://status.example.test/unsubscribe/');
  });

  it('sends maintenance in the subscriber’s language', async () => {
    const mails = await mailsOf(
      () =>
        api()
          .post('/api/admin/maintenances')
          .set(owner.auth)
          .send({ title: 'DB upgrade', body: 'Short pause.', scheduledFor: '2026-11-26T22:00:00Z', scheduledUntil: '2026-11-26T23:00:00Z' })
          .expect(201),
      2,
    );
    expect(mails.get('fr@example.org')!.subject).toBe('[Example Status] Maintenance planifiée : DB upgrade');
    expect(mails.get('fr@example.org')!.text).toContain('Quand :');
    expect(mails.get('en@example.org')!.subject).toBe('[Example Status] Scheduled maintenance: DB upgrade');
  });

  it('announces a published postmortem in the subscriber’s language, the team’s own text as written', async () => {
    const incident = await api()
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Checkout errors', severity: 'P2', status: 'investigating', message: 'Looking.', notify: false })
      .expect(201);
    const id = incident.body.id as string;
    await api().post(`/api/admin/incidents/${id}/resolve`).set(owner.auth).send({ message: 'Fixed.', summary: 'A pool ran dry.', postmortemDueAt: '2026-11-30T17:00:00Z', notify: false }).expect(200);
    await drain();
    await api()
      .put(`/api/admin/incidents/${id}/postmortem`)
      .set(owner.auth)
      .send({ summary: 'A pool limit was **lowered**.', rootCause: 'An unchecked change.', contributingFactors: ['No alert'], actionItems: [{ title: 'Alert on the pool', owner: 'Platform', dueDate: '2026-12-05', done: true }] })
      .expect(200);
    const mails = await mailsOf(() => api().post(`/api/admin/incidents/${id}/postmortem/publish`).set(owner.auth).expect(200), 2);
    const french = mails.get('fr@example.org')!;
    expect(french.subject).toBe('[Example Status] Analyse post-incident : Checkout errors');
    expect(french.text).toContain('**Cause première.** An unchecked change.');
    expect(french.text).toContain('**Ce que nous changeons**\n- [fait] Alert on the pool');
    expect(french.text).toContain('À lire sur la page d’état : https://status.example.test/incidents/');
    expect(french.html).toContain('<html lang="fr">');
    expect(french.html).toContain('<strong>Facteurs contributifs</strong>');
    expect(french.html).toContain('A pool limit was <strong>lowered</strong>.');
    const english = mails.get('en@example.org')!;
    expect(english.subject).toBe('[Example Status] Postmortem: Checkout errors');
    expect(english.text).toContain('**Root cause.** An unchecked change.');
    expect(english.text).toContain('- [done] Alert on the pool');
    expect(english.html).toContain('Read it on the status page');
  });

  it('names an English subscriber’s language in their links when the page speaks another by default', async () => {
    await api().patch('/api/admin/settings').set(owner.auth).send({ defaultLanguage: 'de' }).expect(200);
    try {
      const mails = await mailsOf(
        () => api().post('/api/admin/incidents').set(owner.auth).send({ title: 'Queue delays', severity: 'P3', status: 'investigating', message: 'Looking.' }).expect(201),
        2,
      );
      expect(mails.get('en@example.org')!.text).toMatch(/Unsubscribe: https:\/\/status\.example\.test\/unsubscribe\/[A-Za-z0-9_-]+\?lang=en/);
      expect(mails.get('fr@example.org')!.text).toMatch(/https:\/\/status\.example\.test\/unsubscribe\/[A-Za-z0-9_-]+\?lang=fr/);
    } finally {
      await api().patch('/api/admin/settings').set(owner.auth).send({ defaultLanguage: null }).expect(200);
    }
  });
});
