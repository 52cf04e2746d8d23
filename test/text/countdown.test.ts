import { describe, expect, it } from 'vitest';
import { clockPhrase, formatCountdown, formatOverdue } from '../../src/text/countdown.js';

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [192_000, '3:12'],
    [599_999, '9:59'],
    [600_000, '10 min'],
    [11 * 60_000 + 30_000, '11 min'],
    [60 * 60_000, '1 h'],
    [65 * 60_000, '1 h 5 min'],
    [-120_000, '2:00'],
  ])('%i ms reads %s', (ms, text) => expect(formatCountdown(ms)).toBe(text));
});

describe('clockPhrase', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  it('counts down before the due time', () => {
    expect(clockPhrase('first update', new Date('2026-12-07T10:03:12Z'), now)).toMatchObject({ text: 'first update due in 3:12', breached: false });
  });
  it('is not overdue exactly on time', () => {
    expect(clockPhrase('next update', now, now).breached).toBe(false);
  });
  it('says overdue by how much once past', () => {
    expect(clockPhrase('acknowledge', new Date('2026-12-07T09:58:00Z'), now)).toMatchObject({ text: 'acknowledge overdue by 2 min', breached: true });
    expect(clockPhrase('next update', new Date('2026-12-07T10:11:00Z'), now).text).toBe('next update due in 11 min');
  });
});

describe('formatOverdue', () => {
  it.each([
    [-45_000, '45 s'],
    [-120_000, '2 min'],
    [-65 * 60_000, '1 h 5 min'],
  ])('%i ms late reads %s', (ms, text) => expect(formatOverdue(ms)).toBe(text));
});
