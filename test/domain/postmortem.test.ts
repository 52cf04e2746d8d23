import { describe, expect, it } from 'vitest';
import { actionItemOverdue, postmortemOverdue, prefillTimeline } from '../../src/domain/postmortem.js';

const at = (iso: string) => new Date(iso);

describe('prefillTimeline', () => {
  it('merges published updates and notes oldest first; notes are internal, drafts are left out', () => {
    const timeline = prefillTimeline(
      [
        { publishedAt: at('2026-11-24T10:05:00Z'), status: 'investigating', body: 'Looking' },
        { publishedAt: null, status: 'identified', body: 'Held back' },
        { publishedAt: at('2026-11-24T10:20:00Z'), status: 'identified', body: 'Found it' },
      ],
      [
        { at: at('2026-11-24T10:05:00Z'), text: 'Paged the DB team' },
        { at: at('2026-11-24T10:01:00Z'), text: 'Alert fired' },
      ],
    );
    expect(timeline).toEqual([
      { at: '2026-11-24T10:01:00.000Z', text: 'Alert fired', source: 'note', internal: true },
      { at: '2026-11-24T10:05:00.000Z', text: 'investigating: Looking', source: 'update', internal: false },
      { at: '2026-11-24T10:05:00.000Z', text: 'Paged the DB team', source: 'note', internal: true },
      { at: '2026-11-24T10:20:00.000Z', text: 'identified: Found it', source: 'update', internal: false },
    ]);
  });
});

describe('actionItemOverdue', () => {
  const item = { dueDate: '2026-12-05', done: false };
  it('only after the due date: the whole due day is on time', () => {
    expect(actionItemOverdue(item, '2026-12-04')).toBe(false);
    expect(actionItemOverdue(item, '2026-12-05')).toBe(false);
    expect(actionItemOverdue(item, '2026-12-06')).toBe(true);
    expect(actionItemOverdue(item, '2027-01-01')).toBe(true);
  });
  it('never once done, never without a due date', () => {
    expect(actionItemOverdue({ ...item, done: true }, '2027-01-01')).toBe(false);
    expect(actionItemOverdue({ dueDate: null, done: false }, '2027-01-01')).toBe(false);
  });
});

describe('postmortemOverdue', () => {
  const base = {
    severity: 'P1' as const,
    resolvedAt: at('2026-11-24T11:00:00Z'),
    postmortemDueAt: at('2026-11-30T17:00:00Z'),
    postmortemPublishedAt: null,
  };
  it('only strictly after the due time', () => {
    expect(postmortemOverdue(base, at('2026-11-30T17:00:00Z'))).toBe(false);
    expect(postmortemOverdue(base, at('2026-11-30T17:00:00.001Z'))).toBe(true);
  });
  it('not once published, not while unresolved, not for P3, not without a due time', () => {
    const late = at('2026-12-31T00:00:00Z');
    expect(postmortemOverdue({ ...base, postmortemPublishedAt: at('2026-12-01T00:00:00Z') }, late)).toBe(false);
    expect(postmortemOverdue({ ...base, resolvedAt: null }, late)).toBe(false);
    expect(postmortemOverdue({ ...base, severity: 'P3' }, late)).toBe(false);
    expect(postmortemOverdue({ ...base, postmortemDueAt: null }, late)).toBe(false);
    for (const severity of ['P0', 'P2'] as const) expect(postmortemOverdue({ ...base, severity }, late)).toBe(true);
  });
});
