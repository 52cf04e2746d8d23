import { describe, expect, it } from 'vitest';
import { SubscriberTokens } from '../../src/notifications/subscriber-tokens.js';
import { confirmationMail } from '../../src/notifications/messages/confirmation.js';
import { buildIncidentNotification, incidentSubject } from '../../src/notifications/messages/incident-update.js';
import { withUnsubscribe } from '../../src/notifications/messages/mail-layout.js';

const site = { pageName: 'Acme Status', publicUrl: 'https://status.acme.test', timeZone: 'Europe/Paris' };
const at = new Date('2026-11-24T10:05:00Z');
const input = {
  site,
  page: { indicator: 'major' as const, description: 'Partial System Outage' },
  incident: {
    id: 'f1b5f0a4-0000-4000-8000-000000000001',
    title: 'API <errors>\r\nBcc: x@y.org',
    severity: 'P1' as const,
    impact: 'major' as const,
    impactOverride: null,
    status: 'investigating' as const,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    detectedAt: at,
    mitigatedAt: null,
    resolvedAt: null,
  },
  update: { id: 'u1', status: 'investigating' as const, kind: 'update' as const, body: 'We see **errors** <script>x</script>', bodyHtml: null, summary: null, createdAt: at, publishedAt: at },
  components: [{ id: 'c1', name: 'API & Web', status: 'partial_outage' as const }],
  webhook: { incident: { id: 'f1b5f0a4-0000-4000-8000-000000000001' } },
};

describe('incident notification builder', () => {
  it('subjects read "[P1 · Investigating] title" on one line', () => {
    expect(incidentSubject({ severity: 'P1', title: 'API errors' }, 'investigating')).toBe('[P1 · Investigating] API errors');
    expect(buildIncidentNotification(input).mail.subject).toBe('[P1 · Investigating] API <errors> Bcc: x@y.org');
  });

  it('renders text and sanitised HTML with the affected components and the incident link', () => {
    const { mail, componentIds, incidentId, updateId } = buildIncidentNotification(input);
    expect(componentIds).toEqual(['c1']);
    expect([incidentId, updateId]).toEqual([input.incident.id, 'u1']);
    expect(mail.text).toContain('Affected: API & Web (Partial outage)');
    expect(mail.text).toContain(`https://status.acme.test/incidents/${input.incident.id}`);
    expect(mail.text).toContain('Posted Nov 24, 2026, 11:05 GMT+1');
    expect(mail.html).toContain('<strong>errors</strong>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('API &lt;errors&gt;');
    expect(mail.html).toContain('API &amp; Web');
  });

  // Its shape is Statuspage's incident event (test/statuspage/webhooks.test.ts and the db test beside it).
  it('sends the incident event it is given as the webhook', () => {
    expect(buildIncidentNotification(input).webhook).toBe(input.webhook);
  });

  it('adds the unsubscribe footer to both parts', () => {
    const mail = withUnsubscribe({ text: 'Body', html: '<html><body><p>Body</p></body></html>' }, { pageName: 'A<b>', unsubscribeUrl: 'https://s/unsubscribe/t', scope: 'all' });
    expect(mail.text).toContain('Unsubscribe: https://s/unsubscribe/t');
    expect(mail.html).toContain('<a href="https://s/unsubscribe/t">Unsubscribe</a></p>\n</body>');
    expect(mail.html).toContain('A&lt;b&gt;');
  });

  it('the confirmation mail carries only the address as outside text', () => {
    const mail = confirmationMail({ pageName: 'Acme Status', email: 'ana@example.org', confirmUrl: 'https://s/subscribe/confirm/t', pageUrl: 'https://s/' });
    expect(mail.subject).toBe('Confirm your subscription to Acme Status');
    expect(mail.text).toContain('ana@example.org');
    expect(mail.text).toContain('https://s/subscribe/confirm/t');
  });
});

describe('subscriber link tokens', () => {
  it('are rebuilt from id and nonce under the key, and stored only as a hash', () => {
    const tokens = new SubscriberTokens('a-server-secret-of-at-least-32-bytes!!');
    const { nonce, hash } = tokens.issue('unsubscribe', 'id-1');
    const token = tokens.token('unsubscribe', 'id-1', nonce);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(SubscriberTokens.hash(token)).toBe(hash);
    expect(hash).not.toBe(token);
    // Another purpose, subscriber or key gives another token.
    expect(tokens.token('confirm', 'id-1', nonce)).not.toBe(token);
    expect(tokens.token('unsubscribe', 'id-2', nonce)).not.toBe(token);
    expect(new SubscriberTokens('another-server-secret-of-32-bytes!!!!').token('unsubscribe', 'id-1', nonce)).not.toBe(token);
  });
});
