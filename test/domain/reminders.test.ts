import { describe, expect, it } from 'vitest';
import { dueReminders, reminderRecipients } from '../../src/domain/reminders.js';
import { DEFAULT_RESPONSE_TARGETS, type ClockInput } from '../../src/domain/response-clocks.js';

const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(at(iso).getTime() + seconds * 1000);
const DETECTED = '2026-11-24T10:00:00Z';

function incident(overrides: Partial<ClockInput> = {}): ClockInput {
  return { severity: 'P2', detectedAt: at(DETECTED), acknowledgedAt: at(DETECTED), resolvedAt: null, publicUpdateTimes: [], ...overrides };
}

const due = (input: ClockInput, now: Date, lead?: number) =>
  dueReminders(input, now, DEFAULT_RESPONSE_TARGETS, lead).map((r) => [r.kind, r.dueAt.toISOString()]);

describe('update reminders', () => {
  // A draft (no public update) has its first update due 5 min after detection: 10:05.
  const draft = incident();
  const FIRST_DUE = '2026-11-24T10:05:00.000Z';

  it('nothing before the warning window opens (dueAt − 120 s − 1 ms)', () => {
    expect(due(draft, new Date(at(FIRST_DUE).getTime() - 120_001))).toEqual([]);
  });
  it('warns from exactly 2 minutes before the due time', () => {
    expect(due(draft, plus(DETECTED, 180))).toEqual([['update_due', FIRST_DUE]]);
  });
  it('exactly on the due time is still the warning, not overdue (the clocks say on time)', () => {
    expect(due(draft, at(FIRST_DUE))).toEqual([['update_due', FIRST_DUE]]);
  });
  it('one millisecond past the due time is overdue, and only overdue', () => {
    expect(due(draft, new Date(at(FIRST_DUE).getTime() + 1))).toEqual([['update_overdue', FIRST_DUE]]);
  });
  it('stays overdue about the same due time until an update moves it', () => {
    expect(due(draft, plus(DETECTED, 3600))).toEqual([['update_overdue', FIRST_DUE]]);
  });
  it('after a public update the next due time follows the severity interval (P2: 30 min)', () => {
    const published = incident({ publicUpdateTimes: [at(DETECTED), plus(DETECTED, 600)] });
    // Last update 10:10 → next due 10:40; warning from 10:38.
    expect(due(published, plus(DETECTED, 600 + 1800 - 121))).toEqual([]);
    expect(due(published, plus(DETECTED, 600 + 1800 - 120))).toEqual([['update_due', '2026-11-24T10:40:00.000Z']]);
    expect(due(published, plus(DETECTED, 600 + 1801))).toEqual([['update_overdue', '2026-11-24T10:40:00.000Z']]);
  });
  it('a lead time of 0 warns only on the due time itself', () => {
    expect(due(draft, new Date(at(FIRST_DUE).getTime() - 1), 0)).toEqual([]);
    expect(due(draft, at(FIRST_DUE), 0)).toEqual([['update_due', FIRST_DUE]]);
  });
  it('a resolved incident needs nothing', () => {
    expect(due(incident({ resolvedAt: plus(DETECTED, 60) }), plus(DETECTED, 3600))).toEqual([]);
  });
});

describe('acknowledgement reminders', () => {
  it('P0: due 5 min after detection; warned at 3 min, overdue after 5', () => {
    const p0 = incident({ severity: 'P0', acknowledgedAt: null, publicUpdateTimes: [at(DETECTED)] });
    expect(due(p0, plus(DETECTED, 179))).toEqual([]);
    expect(due(p0, plus(DETECTED, 180))).toEqual([['acknowledge_due', '2026-11-24T10:05:00.000Z']]);
    expect(due(p0, plus(DETECTED, 300))).toEqual([['acknowledge_due', '2026-11-24T10:05:00.000Z']]);
    expect(due(p0, plus(DETECTED, 301))).toEqual([['acknowledge_overdue', '2026-11-24T10:05:00.000Z']]);
  });
  it('P1: due after 15 min; both clocks can call at once', () => {
    const p1 = incident({ severity: 'P1', acknowledgedAt: null });
    expect(due(p1, plus(DETECTED, 900 - 120))).toEqual([
      ['update_overdue', '2026-11-24T10:05:00.000Z'],
      ['acknowledge_due', '2026-11-24T10:15:00.000Z'],
    ]);
  });
  it('none once acknowledged, and none for P2 and P3 (their targets are hours or a day)', () => {
    expect(due(incident({ severity: 'P0', publicUpdateTimes: [at(DETECTED)] }), plus(DETECTED, 600))).toEqual([]);
    for (const severity of ['P2', 'P3'] as const) {
      const input = incident({ severity, acknowledgedAt: null, publicUpdateTimes: [at(DETECTED)] });
      expect(due(input, plus(DETECTED, 5 * 86_400)).filter(([kind]) => kind!.startsWith('acknowledge'))).toEqual([]);
    }
  });
});

describe('reminderRecipients', () => {
  const holders = { commander: 'cmd', commsLead: 'comms', owners: ['o1', 'o2'] };
  it('update reminders: comms lead, else commander, else every owner', () => {
    expect(reminderRecipients('update_due', holders)).toEqual(['comms']);
    expect(reminderRecipients('update_overdue', { ...holders, commsLead: null })).toEqual(['cmd']);
    expect(reminderRecipients('update_overdue', { ...holders, commsLead: null, commander: null })).toEqual(['o1', 'o2']);
  });
  it('acknowledgement reminders: commander first', () => {
    expect(reminderRecipients('acknowledge_due', holders)).toEqual(['cmd']);
    expect(reminderRecipients('acknowledge_overdue', { ...holders, commander: null })).toEqual(['comms']);
    expect(reminderRecipients('acknowledge_overdue', { commander: null, commsLead: null, owners: [] })).toEqual([]);
  });
});
