import { describe, expect, it } from 'vitest';
import { dueForRenewal, heartbeatIntervalMs, leaseEnd, needsRenewal } from '../../src/domain/delivery-lease.js';

const at = (iso: string) => new Date(iso);
const LEASE = 20_000;

describe('delivery leases', () => {
  it('ends a lease its length after it was taken', () => {
    expect(leaseEnd(at('2026-03-29T00:59:55Z'), LEASE).toISOString()).toBe('2026-03-29T01:00:15.000Z');
  });

  it('beats three times per lease, never faster than every 10 ms', () => {
    expect(heartbeatIntervalMs(20_000)).toBe(6_666);
    expect(heartbeatIntervalMs(1_000)).toBe(333);
    expect(heartbeatIntervalMs(9)).toBe(10);
  });

  it('renews once a third of the lease has gone by, not before', () => {
    const taken = at('2026-03-29T12:00:00Z');
    const until = leaseEnd(taken, LEASE);
    expect(needsRenewal(until, taken, LEASE)).toBe(false);
    expect(needsRenewal(until, new Date(taken.getTime() + 6_665), LEASE)).toBe(false);
    expect(needsRenewal(until, new Date(taken.getTime() + 6_666), LEASE)).toBe(true);
    // Run out (the process was paused): renewing still beats letting another worker resend it.
    expect(needsRenewal(until, new Date(taken.getTime() + 60_000), LEASE)).toBe(true);
  });

  it('picks the held rows whose lease is due', () => {
    const now = at('2026-03-29T12:00:10Z');
    const held = new Map([
      ['old', leaseEnd(at('2026-03-29T12:00:00Z'), LEASE)],
      ['fresh', leaseEnd(at('2026-03-29T12:00:09Z'), LEASE)],
      ['lapsed', at('2026-03-29T12:00:05Z')],
    ]);
    expect(dueForRenewal(held, now, LEASE)).toEqual(['old', 'lapsed']);
    expect(dueForRenewal(new Map(), now, LEASE)).toEqual([]);
  });
});
