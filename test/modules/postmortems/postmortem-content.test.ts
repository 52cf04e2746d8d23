import { describe, expect, it } from 'vitest';
import { buildPostmortemNotification } from '../../../src/modules/postmortems/postmortem-content.js';
import { withUnsubscribe } from '../../../src/notifications/messages/mail-layout.js';

const at = (iso: string) => new Date(iso);
const URL = 'https://status.example.test';

describe('buildPostmortemNotification', () => {
  const c = buildPostmortemNotification(
    {
      incident: {
        id: 'i-1',
        title: 'API <errors>',
        status: 'resolved',
        impact: 'major',
        createdAt: at('2026-11-24T10:00:00Z'),
        updatedAt: at('2026-11-24T11:00:00Z'),
        mitigatedAt: at('2026-11-24T10:30:00Z'),
        resolvedAt: at('2026-11-24T11:00:00Z'),
      },
      summary: 'A database node failed.',
      rootCause: 'A disk filled up.',
      publicHtml: null,
      timeline: [{ at: '2026-11-24T10:01:00.000Z', text: 'secret note', source: 'note', internal: true }],
      contributingFactors: ['No disk alert'],
      actionItems: [{ title: 'Alert on disk usage', owner: 'SRE', dueDate: '2026-12-01', done: false }],
      publishedAt: at('2026-11-26T09:00:00Z'),
      updatedAt: at('2026-11-26T08:00:00Z'),
    },
    URL,
    'Example Status',
    { incident: { id: 'i-1', postmortem_body: 'the event' } },
  );

  it('subject, text and escaped HTML', () => {
    expect(c.subject).toBe('[Example Status] Postmortem: API <errors>');
    expect(c.text).toContain('**Root cause.** A disk filled up.');
    expect(c.text).toContain('- Alert on disk usage');
    expect(c.text).toContain(`${URL}/incidents/i-1#postmortem`);
    expect(c.html).toContain('<h1>Postmortem: API &lt;errors&gt;</h1>');
  });

  it('never carries the timeline (internal lines included)', () => {
    expect(JSON.stringify(c)).not.toContain('secret note');
  });

  // The payload's shape is the incident event's (test/statuspage/webhooks.test.ts).
  it('sends the Statuspage incident event it is given as the webhook', () => {
    expect(c.webhook).toEqual({ incident: { id: 'i-1', postmortem_body: 'the event' } });
  });
});

// Guards the unsubscribe link: the worker puts it before </body>, and the postmortem's HTML
// had no frame, so it went out with none.
describe('the postmortem mail and its unsubscribe link', () => {
  const footer = { pageName: 'Example Status', unsubscribeUrl: 'https://status.example.test/unsubscribe/t', scope: 'status updates' };

  it('is a whole document, and the footer lands inside its body', () => {
    const c = buildPostmortemNotification(
      {
        incident: { id: 'i-2', title: 'DNS', status: 'resolved', impact: 'minor', createdAt: at('2026-11-24T10:00:00Z'), updatedAt: at('2026-11-24T11:00:00Z'), mitigatedAt: null, resolvedAt: at('2026-11-24T11:00:00Z') },
        summary: 'A resolver failed.',
        rootCause: '',
        publicHtml: null,
        timeline: [],
        contributingFactors: [],
        actionItems: [],
        publishedAt: at('2026-11-26T09:00:00Z'),
        updatedAt: at('2026-11-26T09:00:00Z'),
      },
      URL,
      'Example Status',
      {},
    );
    const sent = withUnsubscribe(c, footer).html!;
    expect(sent).toMatch(/<a href="https:\/\/status\.example\.test\/unsubscribe\/t">Unsubscribe<\/a><\/p>\n<\/body>/);
  });

  it('a fragment without a frame still gets the link, at its end', () => {
    expect(withUnsubscribe({ text: 'x', html: '<p>x</p>' }, footer).html).toMatch(/<p>x<\/p>\n<hr[^>]*><p[^>]*>.*Unsubscribe<\/a><\/p>$/);
  });
});
