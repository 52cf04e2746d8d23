/** Retry policy of a failed delivery: pure, so it can be tested without a clock. */

export interface RetryPolicy {
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export type RetryDecision = { status: 'failed'; nextAttemptAt: Date } | { status: 'dead' };

/** After the `attempts`-th failed try (1 for the first), retry later or give up. */
export function afterFailure(attempts: number, now: Date, policy: RetryPolicy): RetryDecision {
  if (attempts >= policy.maxAttempts) return { status: 'dead' };
  const delay = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return { status: 'failed', nextAttemptAt: new Date(now.getTime() + delay) };
}
