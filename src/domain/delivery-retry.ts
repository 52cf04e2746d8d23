/** Retry policy of a failed delivery: pure, so it can be tested without a clock. */

export interface RetryPolicy {
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export type RetryDecision = { status: 'failed'; nextAttemptAt: Date } | { status: 'dead' };

/**
 * After the `attempts`-th failed try (1 for the first), retry later or give up. A receiver that
 * said when to come back (`notBeforeMs`, from a 429's Retry-After) is not tried before then.
 */
export function afterFailure(attempts: number, now: Date, policy: RetryPolicy, notBeforeMs = 0): RetryDecision {
  if (attempts >= policy.maxAttempts) return { status: 'dead' };
  const delay = Math.max(Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs), notBeforeMs);
  return { status: 'failed', nextAttemptAt: new Date(now.getTime() + delay) };
}

/** The longest wait a Retry-After may ask for: a day (a broken header must not park a row for ever). */
const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * RFC 9110's Retry-After: delay-seconds or an HTTP date, as milliseconds from `now`; 0 when
 * absent or unreadable. Discord sends fractional seconds, which are read too.
 */
export function retryAfterMs(header: string | undefined, now: Date): number {
  if (!header) return 0;
  const value = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now.getTime();
  return Number.isFinite(ms) ? Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS) : 0;
}
