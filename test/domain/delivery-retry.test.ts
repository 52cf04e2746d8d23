import { describe, expect, it } from 'vitest';
import { afterFailure, retryAfterMs } from '../../src/domain/delivery-retry.js';

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

describe('a receiver that asks to wait (429 Retry-After)', () => {
  it('is not tried before the wait it asked for, nor sooner than the doubling wait', () => {
    expect(afterFailure(1, now, policy, 120_000)).toEqual({ status: 'failed', nextAttemptAt: new Date(now.getTime() + 120_000) });
    expect(afterFailure(3, now, policy, 1_000)).toEqual({ status: 'failed', nextAttemptAt: new Date(now.getTime() + 100_000) });
    expect(afterFailure(5, now, policy, 1_000)).toEqual({ status: 'dead' });
  });

  it('reads Retry-After as seconds (Discord sends fractions) or an HTTP date; anything else is no wait', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 1.5 ', now)).toBe(1_500);
    expect(retryAfterMs('Tue, 24 Nov 2026 10:02:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBe(0);
    // A broken header cannot park a delivery for ever: a day at most.
    expect(retryAfterMs('99999999', now)).toBe(86_400_000);
  });
});
