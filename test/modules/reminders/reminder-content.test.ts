import { describe, expect, it } from 'vitest';
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
