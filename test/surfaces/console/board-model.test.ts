import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../src/modules/incidents/index.js';
import { boardIncidents, incidentClocks, reachText } from '../../../src/surfaces/console/board-model.js';

const now = new Date('2026-12-07T10:00:00Z');

function incident(overrides: Partial<IncidentView>): IncidentView {
  return {
    id: 'i',
    title: 'T',
    severity: 'P1',
    status: 'investigating',
    draft: false,
    resolvedAt: null,
    acknowledgedAt: null,
    firstPublicUpdateAt: null,
    firstUpdateDueAt: '2026-12-07T10:03:12Z',
    nextUpdateDueAt: '2026-12-07T10:03:12Z',
    acknowledgeDueAt: '2026-12-07T10:10:00Z',
    ...overrides,
  } as IncidentView;
}

describe('incidentClocks', () => {
  it('counts the first update until there is one, then the next', () => {
    expect(incidentClocks(incident({}), now).map((c) => c.text)).toEqual(['first update due in 3:12', 'acknowledge due in 10 min']);
    const updated = incident({ firstPublicUpdateAt: '2026-12-07T09:59:00Z', nextUpdateDueAt: '2026-12-07T10:11:00Z', acknowledgedAt: '2026-12-07T09:59:00Z' });
    expect(incidentClocks(updated, now).map((c) => c.text)).toEqual(['next update due in 11 min']);
  });

  it('runs no clock on a resolved incident', () => {
    expect(incidentClocks(incident({ resolvedAt: '2026-12-07T09:59:00Z' }), now)).toEqual([]);
  });
});

describe('boardIncidents', () => {
  it('puts the overdue first, then the earliest due', () => {
    const later = incident({ id: 'later', firstUpdateDueAt: '2026-12-07T10:04:00Z' });
    const sooner = incident({ id: 'sooner', firstUpdateDueAt: '2026-12-07T10:01:00Z' });
    const overdue = incident({ id: 'overdue', acknowledgeDueAt: '2026-12-07T09:58:00Z', firstUpdateDueAt: '2026-12-07T10:09:00Z' });
    const rows = boardIncidents([later, sooner, overdue], now);
    expect(rows.map((r) => r.id)).toEqual(['overdue', 'sooner', 'later']);
    expect(rows[0]!.clocks.find((c) => c.breached)?.text).toBe('acknowledge overdue by 2 min');
  });
});

describe('reachText', () => {
  it('reads like a person would say it', () => {
    expect(reachText({ emails: 1240, webhooks: 3 })).toBe('1,240 emails, 3 webhooks');
    expect(reachText({ emails: 1, webhooks: 1 })).toBe('1 email, 1 webhook');
    expect(reachText({ emails: 0, webhooks: 0, chats: 0 })).toBe('0 emails, 0 webhooks');
    expect(reachText({ emails: 2, webhooks: 0, chats: 1 })).toBe('2 emails, 0 webhooks, 1 chat channel');
  });
});
