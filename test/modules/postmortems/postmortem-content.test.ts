import { describe, expect, it } from 'vitest';
import { buildPostmortemNotification } from '../../../src/modules/postmortems/postmortem-content.js';
import { buildReminderContent } from '../../../src/modules/reminders/reminder-content.js';

const at = (iso: string) => new Date(iso);
const URL = 'https://status.example.test';

describe('buildReminderContent', () => {
  const base = { incidentId: 'i-1', title: 'API errors', severity: 'P1' as const, draft: false, dueAt: at('2026-11-24T10:20:00Z') };

  it('a warning says when the update is due and how to post it', () => {
    const c = buildReminderContent({ ...base, kind: 'update_due' }, at('2026-11-24T10:18:00Z'), URL);
    expect(c.subject).toBe('[P1] Public update due: API errors');
    expect(c.text).toContain('It is due at 2026-11-24T10:20:00.000Z (in 2 min).');
    expect(c.text).toContain(`POST ${URL}/api/admin/incidents/i-1/updates`);
    expect(c.webhook).toEqual({
      event: 'incident.reminder',
      reminder: { kind: 'update_due', dueAt: '2026-11-24T10:20:00.000Z', sentAt: '2026-11-24T10:18:00.000Z' },
      incident: { id: 'i-1', title: 'API errors', severity: 'P1', draft: false, adminUrl: `${URL}/api/admin/incidents/i-1` },
    });
  });

  it('an overdue draft asks for publication', () => {
    const c = buildReminderContent({ ...base, draft: true, kind: 'update_overdue' }, at('2026-11-24T10:27:00Z'), URL);
    expect(c.subject).toBe('[P1] First public update overdue (still a draft): API errors');
    expect(c.text).toContain('(7 min ago)');
    expect(c.text).toContain('/publish');
  });

  it('acknowledgement reminders point at /acknowledge', () => {
    const c = buildReminderContent({ ...base, kind: 'acknowledge_overdue' }, at('2026-11-24T10:21:00Z'), URL);
    expect(c.subject).toBe('[P1] Acknowledgement overdue: API errors');
    expect(c.text).toContain('/acknowledge');
  });
});

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
      timeline: [{ at: '2026-11-24T10:01:00.000Z', text: 'secret note', source: 'note', internal: true }],
      contributingFactors: ['No disk alert'],
      actionItems: [{ title: 'Alert on disk usage', owner: 'SRE', dueDate: '2026-12-01', done: false }],
      publishedAt: at('2026-11-26T09:00:00Z'),
      updatedAt: at('2026-11-26T08:00:00Z'),
    },
    URL,
    'Example Status',
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

  it('a Statuspage-shaped webhook payload', () => {
    expect(c.webhook).toMatchObject({
      page: { name: 'Example Status', url: URL },
      incident: {
        id: 'i-1',
        name: 'API <errors>',
        status: 'resolved',
        impact: 'major',
        shortlink: `${URL}/incidents/i-1#postmortem`,
        postmortem_published_at: '2026-11-26T09:00:00.000Z',
        postmortem_body_last_updated_at: '2026-11-26T08:00:00.000Z',
        resolved_at: '2026-11-24T11:00:00.000Z',
      },
    });
  });
});
