/**
 * Uptime kept per UTC day as it happens, so a render reads what changed, not the history:
 * what recording one status change does to a component's day totals, and the uptime history
 * read back from those totals. Pure arithmetic; `uptimeHistory` in uptime.ts computes the same
 * result from the whole history and is the reference this must agree with.
 *
 * The totals hold closed time only: time between two recorded changes. The interval since a
 * component's last change is still open, and the reader adds it up to now, so a component
 * that keeps one status for weeks needs no write at midnight and no nightly job.
 */
import type { ComponentStatus } from './vocabulary.js';
import { DAY_MS, utcMidnight } from './utc-days.js';
import {
  emptyDurations,
  summariseWindow,
  UPTIME_DAYS,
  uptimeWindowStart,
  type StatusChange,
  type StatusDurations,
  type UptimeDay,
  type UptimeHistory,
} from './uptime.js';
import { utcDay } from '../text/time.js';

/** One UTC day's milliseconds in each status: what a `component_uptime_days` row holds. */
export interface DayTotals {
  /** YYYY-MM-DD, the UTC day. */
  date: string;
  durations: StatusDurations;
}

/** Totals keyed by the UTC midnight that opens their day. */
type TotalsByDay = Map<number, StatusDurations>;

/** Adds `sign` × the interval [from, to) in `status` to each UTC day it spans; nothing when it is empty. */
function spread(totals: TotalsByDay, from: number, to: number, status: ComponentStatus, sign: 1 | -1): void {
  if (to <= from) return;
  for (let start = utcMidnight(from); start < to; start += DAY_MS) {
    const durations = totals.get(start) ?? emptyDurations();
    durations[status] += sign * (Math.min(to, start + DAY_MS) - Math.max(from, start));
    totals.set(start, durations);
  }
}

/**
 * What recording `change` does to its component's day totals: signed milliseconds to add per
 * day, leaving out days nothing happens to. `previous` is the history's last change at or
 * before the new one's instant (the new one comes after changes of the same instant), `next`
 * its first change after that instant; null where there is none.
 *
 * Usually there is no `next`: the change closes the interval `previous` opened, up to the
 * change's instant, and opens its own. A change stamped before the newest one (a process whose
 * clock runs behind another's) lands inside a closed interval instead and takes the rest of it
 * over from `previous`; before a component's first change, it adds time that was unknown.
 */
export function changeDeltas(change: StatusChange, previous: StatusChange | null, next: { at: Date } | null): DayTotals[] {
  const deltas: TotalsByDay = new Map();
  const at = change.at.getTime();
  if (next === null) {
    if (previous) spread(deltas, previous.at.getTime(), at, previous.status, 1);
  } else {
    const until = next.at.getTime();
    spread(deltas, at, until, change.status, 1);
    if (previous) spread(deltas, at, until, previous.status, -1);
  }
  return [...deltas]
    .filter(([, durations]) => Object.values(durations).some((ms) => ms !== 0))
    .sort(([a], [b]) => a - b)
    .map(([start, durations]) => ({ date: utcDay(new Date(start)), durations }));
}

export interface KeptUptimeInput {
  now: Date;
  /** The component's day totals; days outside the window are ignored. */
  totals: readonly DayTotals[];
  /**
   * The component's last change at or before `now`, then any stamped after `now`, oldest first
   * (ties in the order they were recorded); empty when it has no history at all.
   */
  recent: readonly StatusChange[];
  /** Used only when there is no recorded history at all: known since `createdAt` in `currentStatus`. */
  createdAt?: Date;
  currentStatus?: ComponentStatus;
  days?: number;
}

/**
 * The uptime history of the window of `days` UTC days ending with `now`'s, from the day totals
 * and the few changes around `now`: the same result as `uptimeHistory` over the whole history.
 */
export function uptimeFromTotals(input: KeptUptimeInput): UptimeHistory {
  const { windowStart, days } = windowDurations(input);
  return summariseWindow(windowStart, days);
}

/**
 * The window's days before today: what `uptimeFromTotals` says of them, which stays the same
 * all day long for as long as the component's totals and recent changes do. Only today grows
 * with `now`, so a page rendered again and again can keep this part and add today to it
 * (`withToday`), the same result as computing the whole window again.
 */
export function pastDaysFromTotals(input: KeptUptimeInput): UptimeHistory {
  const { windowStart, days } = windowDurations(input);
  return summariseWindow(windowStart, days.slice(0, -1));
}

/** Today, as the last day of `uptimeFromTotals`'s window: a window of one day. */
export function todayFromTotals(input: KeptUptimeInput): UptimeDay {
  const { windowStart, days } = windowDurations({ ...input, days: 1 });
  return summariseWindow(windowStart, days).days[0]!;
}

/**
 * The window from its past days and today: day by day and in every sum the same numbers as
 * `uptimeFromTotals` (the sums add today last, as it does, so even the floating point agrees).
 */
export function withToday(past: UptimeHistory, today: UptimeDay): UptimeHistory {
  return { days: [...past.days, today], ...sumsWithToday(past, today) };
}

/** The window's sums and uptime from its past days and today, as `withToday` has them, without copying the days. */
export function sumsWithToday(past: UptimeHistory, today: UptimeDay): Pick<UptimeHistory, 'observedMs' | 'downtimeMs' | 'uptime'> {
  const observedMs = past.observedMs + today.observedMs;
  const downtimeMs = past.downtimeMs + today.downtimeMs;
  return { observedMs, downtimeMs, uptime: observedMs > 0 ? 1 - downtimeMs / observedMs : null };
}

/** Each day's known milliseconds per status, over the window. */
function windowDurations(input: KeptUptimeInput): { windowStart: number; days: StatusDurations[] } {
  const count = input.days ?? UPTIME_DAYS;
  const now = input.now.getTime();
  const windowStart = uptimeWindowStart(input.now, count).getTime();
  const windowEnd = windowStart + count * DAY_MS;
  const totals: TotalsByDay = new Map();
  for (const day of input.totals) {
    const start = Date.parse(`${day.date}T00:00:00Z`);
    if (start >= windowStart && start < windowEnd) totals.set(start, { ...day.durations });
  }

  const { recent, createdAt, currentStatus } = input;
  if (recent.length === 0 && createdAt && currentStatus) {
    spread(totals, Math.max(windowStart, createdAt.getTime()), now, currentStatus, 1);
  }
  recent.forEach((change, i) => {
    const next = recent[i + 1];
    const at = change.at.getTime();
    // The open interval counts up to now. Closed time after now is in today's totals only when
    // a change was stamped later than this reader's clock; it has not happened yet here.
    if (next === undefined) spread(totals, Math.max(windowStart, at), now, change.status, 1);
    else spread(totals, Math.max(now, at), Math.min(windowEnd, next.at.getTime()), change.status, -1);
  });

  return { windowStart, days: Array.from({ length: count }, (_, i) => totals.get(windowStart + i * DAY_MS) ?? emptyDurations()) };
}
