import { describe, expect, it } from 'vitest';
import { groupByMonth, recentMonths, zonedMonthOf, zonedMonthStart, zonedWallTime } from '../../src/domain/calendar-months.js';

const iso = (d: Date) => d.toISOString();

describe('zonedMonthStart', () => {
  it('is local midnight on the first, whichever side of a DST change it falls', () => {
    // New York: EST (UTC−5) until Mar 8, EDT (UTC−4) until Nov 1 02:00 local.
    expect(iso(zonedMonthStart(2026, 3, 'America/New_York'))).toBe('2026-03-01T05:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 4, 'America/New_York'))).toBe('2026-04-01T04:00:00.000Z');
    // The DST change happens on Nov 1 itself, two hours after the month's midnight.
    expect(iso(zonedMonthStart(2026, 11, 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 12, 'America/New_York'))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 4, 'Europe/London'))).toBe('2026-03-31T23:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 4, 'Australia/Sydney'))).toBe('2026-03-31T13:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 5, 'Australia/Sydney'))).toBe('2026-04-30T14:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 11, 'Asia/Kolkata'))).toBe('2026-10-31T18:30:00.000Z');
    expect(iso(zonedMonthStart(2026, 11, 'UTC'))).toBe('2026-11-01T00:00:00.000Z');
  });

  it('rolls months past December and before January into the next or previous year', () => {
    expect(iso(zonedMonthStart(2026, 13, 'UTC'))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(zonedMonthStart(2026, 0, 'UTC'))).toBe('2025-12-01T00:00:00.000Z');
  });
});

describe('recentMonths', () => {
  it('starts from the month it is in the display zone, newest first, contiguous', () => {
    // 03:00 UTC on Jan 1 is still Dec 31 in New York.
    const months = recentMonths(new Date('2026-01-01T03:00:00Z'), 'America/New_York', 3);
    expect(months.map((m) => m.label)).toEqual(['December 2025', 'November 2025', 'October 2025']);
    for (let i = 1; i < months.length; i += 1) expect(months[i]!.end).toEqual(months[i - 1]!.start);
    expect(zonedMonthOf(new Date('2026-01-01T03:00:00Z'), 'America/New_York')).toEqual({ year: 2025, month: 12 });
  });

  it('skips whole pages back', () => {
    const months = recentMonths(new Date('2026-11-24T12:00:00Z'), 'Europe/Berlin', 3, 3);
    expect(months.map((m) => m.label)).toEqual(['August 2026', 'July 2026', 'June 2026']);
  });
});

describe('groupByMonth', () => {
  const months = recentMonths(new Date('2026-11-24T12:00:00Z'), 'America/New_York', 3);
  const at = (s: string) => ({ at: new Date(s), s });
  const grouped = (items: Array<{ at: Date; s: string }>) =>
    groupByMonth(months, items, (i) => i.at).map(({ month, items: list }) => [month.label, list.map((i) => i.s)]);

  it('puts an incident in the month of the display zone, across the DST change at the boundary', () => {
    expect(
      grouped([
        at('2026-11-01T03:59:59Z'), // Oct 31, 23:59:59 EDT
        at('2026-11-01T04:00:00Z'), // Nov 1, 00:00 EDT
        at('2026-11-01T06:30:00Z'), // Nov 1, 01:30 EST, after the change
        at('2026-09-01T04:00:00Z'), // Sep 1, 00:00 EDT
        at('2026-09-01T03:59:00Z'), // Aug 31: before the range
        at('2026-12-01T05:00:00Z'), // Dec 1: after it
      ]),
    ).toEqual([
      ['November 2026', ['2026-11-01T04:00:00Z', '2026-11-01T06:30:00Z']],
      ['October 2026', ['2026-11-01T03:59:59Z']],
      ['September 2026', ['2026-09-01T04:00:00Z']],
    ]);
  });

  it('keeps empty months', () => {
    expect(grouped([])).toEqual([
      ['November 2026', []],
      ['October 2026', []],
      ['September 2026', []],
    ]);
  });
});

describe('zonedWallTime', () => {
  it('reads a wall-clock time in the zone, on either side of a DST change', () => {
    expect(iso(zonedWallTime(Date.UTC(2026, 6, 4, 9, 30), 'America/New_York'))).toBe('2026-07-04T13:30:00.000Z');
    expect(iso(zonedWallTime(Date.UTC(2026, 11, 7, 9, 30), 'America/New_York'))).toBe('2026-12-07T14:30:00.000Z');
    expect(iso(zonedWallTime(Date.UTC(2026, 11, 7, 9, 30), 'Asia/Kolkata'))).toBe('2026-12-07T04:00:00.000Z');
  });
});
