import { describe, expect, it } from 'vitest';
import { digestChatMessage, draftOpenedChatMessage, postmortemOverdueChatMessage, type DigestIncident } from '../../../src/notifications/chat/staff-messages.js';

// A far zone, so a time shown in UTC by mistake shows.
const site = { pageName: 'Example Status', publicUrl: 'https://status.example.test', timeZone: 'Pacific/Chatham' };
const now = new Date('2026-12-07T10:30:00Z');

const incident = (over: Partial<DigestIncident> = {}): DigestIncident => ({
  id: 'i1',
  title: 'Search is slow',
  severity: 'P1',
  status: 'identified',
  draft: false,
  detectedAt: new Date('2026-12-07T10:00:00Z'),
  acknowledgedAt: new Date('2026-12-07T10:04:00Z'),
  acknowledgeDueAt: new Date('2026-12-07T10:15:00Z'),
  acknowledgeBreached: false,
  nextUpdateDueAt: new Date('2026-12-07T10:40:00Z'),
  updateOverdue: false,
  lastPublic: { at: new Date('2026-12-07T10:25:00Z'), body: 'We found the cause.' },
  lastNote: { at: new Date('2026-12-07T10:28:00Z'), text: 'Rolling back build 412.' },
  ...over,
});

describe('staff chat messages', () => {
  it('the digest: one section per open incident with its state, entries and clocks, in the page zone', () => {
    const message = digestChatMessage({ incidents: [incident()], open: 1, overdue: 0 }, now, site);
    expect(message).toMatchObject({ title: '1 open incident', status: 'Every clock on time', tone: 'neutral' });
    const [section] = message.sections;
    expect(section!.title).toBe('[P1] Search is slow — identified');
    expect(section!.link!.url).toBe('https://status.example.test/admin/incidents/i1');
    expect(Object.fromEntries(section!.fields.map((f) => [f.label, f.value]))).toEqual({
      'Open for': '30 minutes',
      Acknowledged: 'Dec 7, 2026, 23:49 GMT+13:45',
      'Next public update': 'due Dec 8, 2026, 00:25 GMT+13:45',
      'Last public update': 'Dec 8, 2026, 00:10 GMT+13:45: We found the cause.',
      'Last internal note': 'Dec 8, 2026, 00:13 GMT+13:45: Rolling back build 412.',
    });
  });

  it('the digest says what is overdue, and how many incidents it leaves out', () => {
    const late = incident({ acknowledgedAt: null, acknowledgeBreached: true, updateOverdue: true, draft: true, lastPublic: null, lastNote: null });
    const message = digestChatMessage({ incidents: Array.from({ length: 12 }, () => late), open: 12, overdue: 12 }, now, site);
    expect(message).toMatchObject({ title: '12 open incidents', status: '12 with a clock overdue', tone: 'danger' });
    expect(message.sections).toHaveLength(9);
    expect(message.summary).toContain('3 more not shown.');
    const fields = Object.fromEntries(message.sections[0]!.fields.map((f) => [f.label, f.value]));
    expect(message.sections[0]!.title).toContain('draft, not public');
    expect(fields).toMatchObject({ Acknowledged: 'no — overdue since Dec 8, 2026, 00:00 GMT+13:45', 'Last public update': 'none yet', 'Last internal note': 'none' });
    expect(fields['Next public update']).toMatch(/^OVERDUE since/);
  });

  it('a draft links to the console page that publishes it; an overdue postmortem to its editor', () => {
    const draft = draftOpenedChatMessage({ incidentId: 'd1', title: 'High error rate', severity: 'P1', detectedAt: now, components: ['Payments API'], alerts: 2 }, site);
    expect(draft.links).toEqual([{ label: 'Review and publish', url: 'https://status.example.test/admin/incidents/d1' }]);
    expect(draft.fields).toContainEqual({ label: 'Components', value: 'Payments API' });
    const postmortem = postmortemOverdueChatMessage({ incidentId: 'p1', title: 'Login failures', severity: 'P2', dueAt: new Date('2026-12-07T08:30:00Z') }, now, site);
    expect(postmortem).toMatchObject({ title: 'Postmortem overdue: Login failures', status: 'P2 · due 2 hours ago' });
    expect(postmortem.links[0]!.url).toBe('https://status.example.test/admin/incidents/p1/postmortem');
  });
});
