import { describe, expect, it } from 'vitest';
import { displayTime, formatDuration, timeAgo, utcDay } from '../../src/text/time.js';

const at = (iso: string) => new Date(iso);

describe('displayTime', () => {
  it('gives the instant in UTC for machines and a readable text in the zone', () => {
    expect(displayTime(at('2026-11-24T10:05:00Z'), 'UTC')).toEqual({
      iso: '2026-11-24T10:05:00.000Z',
      text: 'Nov 24, 2026, 10:05 UTC',
    });
  });

  it('keeps the ISO form in UTC whatever the display zone', () => {
    const t = displayTime(at('2026-11-24T10:05:00Z'), 'America/New_York');
    expect(t.iso).toBe('2026-11-24T10:05:00.000Z');
    expect(t.text).toBe('Nov 24, 2026, 05:05 EST');
  });

  it('writes midnight as 00, not 24', () => {
    expect(displayTime(at('2026-01-01T00:00:00Z'), 'UTC').text).toBe('Jan 1, 2026, 00:00 UTC');
  });

  it('moves the calendar day with the zone', () => {
    expect(displayTime(at('2026-01-01T00:30:00Z'), 'America/New_York').text).toBe('Dec 31, 2025, 19:30 EST');
    expect(displayTime(at('2026-01-01T00:30:00Z'), 'Asia/Kolkata').text).toBe('Jan 1, 2026, 06:00 GMT+5:30');
  });

  // US daylight saving time in 2026 starts March 8 at 02:00 local and ends November 1 at 02:00 local.
  it('follows New York into daylight saving time', () => {
    expect(displayTime(at('2026-03-08T06:59:00Z'), 'America/New_York').text).toBe('Mar 8, 2026, 01:59 EST');
    expect(displayTime(at('2026-03-08T07:00:00Z'), 'America/New_York').text).toBe('Mar 8, 2026, 03:00 EDT');
  });

  it('follows New York out of daylight saving time, where 01:xx happens twice', () => {
    expect(displayTime(at('2026-11-01T05:59:00Z'), 'America/New_York').text).toBe('Nov 1, 2026, 01:59 EDT');
    expect(displayTime(at('2026-11-01T06:00:00Z'), 'America/New_York').text).toBe('Nov 1, 2026, 01:00 EST');
  });

  it('does not depend on the process time zone', () => {
    // The unit project runs with TZ=America/New_York: a local-time slip would show here.
    expect(displayTime(at('2026-07-04T12:00:00Z'), 'UTC').text).toBe('Jul 4, 2026, 12:00 UTC');
  });
});

describe('timeAgo', () => {
  const now = at('2026-11-24T10:00:00Z');
  const ago = (seconds: number) => timeAgo(new Date(now.getTime() - seconds * 1000), now);

  it.each([
    [0, 'just now'],
    [59, 'just now'],
    [60, '1 minute ago'],
    [119, '1 minute ago'],
    [120, '2 minutes ago'],
    [59 * 60 + 59, '59 minutes ago'],
    [3_600, '1 hour ago'],
    [2 * 3_600 - 1, '1 hour ago'],
    [2 * 3_600, '2 hours ago'],
    [86_399, '23 hours ago'],
    [86_400, '1 day ago'],
    [2 * 86_400 - 1, '1 day ago'],
    [2 * 86_400, '2 days ago'],
    [400 * 86_400, '400 days ago'],
  ])('%i s → %s', (seconds, expected) => {
    expect(ago(seconds)).toBe(expected);
  });

  it('counts whole seconds: 59.9 s is still "just now"', () => {
    expect(timeAgo(new Date(now.getTime() - 59_900), now)).toBe('just now');
  });

  it('says "just now" for an instant slightly in the future (clock skew)', () => {
    expect(ago(-30)).toBe('just now');
  });
});

describe('formatDuration', () => {
  const min = 60_000;
  it.each([
    [0, 'under a minute'],
    [29_999, 'under a minute'],
    [-5 * min, 'under a minute'],
    [min, '1 min'],
    [45 * min, '45 min'],
    [59 * min, '59 min'],
    [60 * min, '1 h'],
    [125 * min, '2 h 5 min'],
    [23 * 60 * min + 59 * min, '23 h 59 min'],
    [24 * 60 * min, '1 d'],
    [(3 * 24 + 4) * 60 * min, '3 d 4 h'],
    // Days round off the minutes: "1 d 5 min" would be false precision.
    [(24 * 60 + 5) * min, '1 d'],
  ])('%i ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('rounds to the nearest minute', () => {
    expect(formatDuration(90 * 1000)).toBe('2 min');
    expect(formatDuration(89 * 1000)).toBe('1 min');
  });
});

describe('utcDay', () => {
  it('gives the UTC calendar day, not the local one', () => {
    // 23:30 in New York on the 24th is already the 25th in UTC.
    expect(utcDay(at('2026-11-24T23:30:00-05:00'))).toBe('2026-11-25');
    expect(utcDay(at('2026-11-25T00:00:00Z'))).toBe('2026-11-25');
    expect(utcDay(at('2026-11-24T23:59:59.999Z'))).toBe('2026-11-24');
  });

  it('handles year ends and leap days', () => {
    expect(utcDay(at('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
    expect(utcDay(at('2028-02-29T12:00:00Z'))).toBe('2028-02-29');
  });
});
