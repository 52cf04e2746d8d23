import { describe, expect, it } from 'vitest';
import { reconnectDelaySeconds } from '../../src/db/client.js';

// Regression: postgres.js's own delay grows to 20 s, so a page stayed stale that long after
// PostgreSQL was back.
describe('reconnectDelaySeconds', () => {
  it('starts at 0.1 s, doubles, and never exceeds 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 100].map(reconnectDelaySeconds)).toEqual([0.1, 0.2, 0.4, 0.8, 1.6, 2, 2, 2]);
    expect(reconnectDelaySeconds(0)).toBe(0.1);
  });
});
