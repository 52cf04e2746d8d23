import { describe, expect, it } from 'vitest';
import { DAY_MS, utcDaysStart, utcMidnight } from '../../src/domain/utc-days.js';

// The unit tests run in America/New_York: a local-time slip would land five hours off.
describe('UTC days', () => {
  it('finds the UTC midnight of an instant, whatever the local zone', () => {
    expect(new Date(utcMidnight(Date.parse('2026-11-24T03:30:00Z'))).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(new Date(utcMidnight(Date.parse('2026-11-24T00:00:00Z'))).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('opens a run of days that ends with today, across a daylight-saving change elsewhere', () => {
    const now = new Date('2026-11-03T10:00:00Z');
    expect(utcDaysStart(now, 1).toISOString()).toBe('2026-11-03T00:00:00.000Z');
    expect(utcDaysStart(now, 14).toISOString()).toBe('2026-10-21T00:00:00.000Z');
    expect(utcDaysStart(now, 14).getTime()).toBe(utcMidnight(now.getTime()) - 13 * DAY_MS);
  });
});
