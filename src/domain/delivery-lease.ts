/**
 * The lease of a claimed delivery, as arithmetic. A worker claims rows until `now + lease` and,
 * while it holds them, renews each once a third of its lease has gone by (a heartbeat): two
 * renewals can be missed (a slow database, a long GC) before another worker may take the row.
 * So the lease can be short, and a killed worker's rows are free again within one lease.
 */

/** Renewals per lease: the heartbeat ticks every `lease / HEARTBEATS_PER_LEASE`. */
export const HEARTBEATS_PER_LEASE = 3;

/** When a lease taken (or renewed) `now` runs out. */
export function leaseEnd(now: Date, leaseMs: number): Date {
  return new Date(now.getTime() + leaseMs);
}

/** How often a worker holding rows renews them; at least every 10 ms, whatever the lease. */
export function heartbeatIntervalMs(leaseMs: number): number {
  return Math.max(10, Math.floor(leaseMs / HEARTBEATS_PER_LEASE));
}

/** True once a third of the lease ending at `until` has gone by (or it has run out). */
export function needsRenewal(until: Date, now: Date, leaseMs: number): boolean {
  return until.getTime() - now.getTime() <= leaseMs - heartbeatIntervalMs(leaseMs);
}

/** The held rows whose lease is due for renewal at `now`, by id. */
export function dueForRenewal(held: ReadonlyMap<string, Date>, now: Date, leaseMs: number): string[] {
  return [...held].filter(([, until]) => needsRenewal(until, now, leaseMs)).map(([id]) => id);
}
