import { describe, expect, it } from 'vitest';
import { isoInZone } from '../../src/text/zoned-iso.js';

describe('isoInZone', () => {
  it('writes UTC as +00:00', () => {
    expect(isoInZone(new Date('2026-11-24T10:00:00.123Z'), 'UTC')).toBe('2026-11-24T10:00:00.123+00:00');
  });
  it('takes the offset in force at that instant, on either side of a daylight-saving change', () => {
    expect(isoInZone(new Date('2026-03-08T09:59:59Z'), 'America/Los_Angeles')).toBe('2026-03-08T01:59:59.000-08:00');
    expect(isoInZone(new Date('2026-03-08T10:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-08T03:00:00.000-07:00');
  });
  it('keeps the instant: parsing the result gives the same time', () => {
    for (const zone of ['Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Europe/Berlin']) {
      const at = new Date('2026-10-25T00:30:00.500Z');
      expect(new Date(isoInZone(at, zone)).getTime()).toBe(at.getTime());
    }
  });
  it('midnight in the zone is written as 00, not 24', () => {
    expect(isoInZone(new Date('2026-11-24T05:00:00Z'), 'America/New_York')).toBe('2026-11-24T00:00:00.000-05:00');
  });
});
