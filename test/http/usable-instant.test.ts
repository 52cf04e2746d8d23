import { describe, expect, it } from 'vitest';
import { usableInstant } from '../../src/http/usable-instant.js';

describe('usableInstant', () => {
  it('is the instant named, whatever the offset', () => {
    expect(usableInstant('2026-11-24T10:00:00+01:00').toISOString()).toBe('2026-11-24T09:00:00.000Z');
  });
  it('a leap second is a coded 400 naming the field', () => {
    const attempt = () => usableInstant('2016-12-31T23:59:60Z', 'from');
    expect(attempt).toThrow(/^from is not a usable date and time: 2016-12-31T23:59:60Z$/);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ statusCode: 400, code: 'HG_INVALID' });
    }
    expect(() => usableInstant('nope')).toThrow(/^Not a usable date and time/);
  });
});
