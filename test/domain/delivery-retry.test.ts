import { describe, expect, it } from 'vitest';
import { afterFailure } from '../../src/domain/delivery-retry.js';

const policy = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 100_000 };
const now = new Date('2026-11-24T10:00:00Z');

describe('afterFailure', () => {
  it('doubles the wait after each failure, up to the cap', () => {
    const waits = [1, 2, 3, 4].map((attempts) => {
      const decision = afterFailure(attempts, now, policy);
      if (decision.status !== 'failed') throw new Error('expected a retry');
      return decision.nextAttemptAt.getTime() - now.getTime();
    });
    expect(waits).toEqual([30_000, 60_000, 100_000, 100_000]);
  });

  it('gives up at the last attempt', () => {
    expect(afterFailure(5, now, policy)).toEqual({ status: 'dead' });
    expect(afterFailure(9, now, policy)).toEqual({ status: 'dead' });
    expect(afterFailure(1, now, { ...policy, maxAttempts: 1 })).toEqual({ status: 'dead' });
  });
});
