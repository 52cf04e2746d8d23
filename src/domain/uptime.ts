/**
 * Uptime history from a component's status changes: pure arithmetic, no I/O.
 *
 * Days are UTC days. A component is "down" while in `major_outage`, counts as partly down
 * (DOWNTIME_WEIGHT 0.3) while in `partial_outage`, and is up otherwise — degraded performance
 * and maintenance are announced and the service still answers. Time before the component's
 * first known status is "no data" and left out of every percentage; today counts up to now.
 */
import { COMPONENT_STATUSES, type ComponentStatus } from './vocabulary.js';
import { isWorse } from './status.js';
import { DAY_MS, utcDaysStart } from './utc-days.js';
import { utcDay } from '../text/time.js';

export const UPTIME_DAYS = 90;

/** How much of an interval in each status counts as downtime. */
export const DOWNTIME_WEIGHT: Readonly<Record<ComponentStatus, number>> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 0,
  partial_outage: 0.3,
  major_outage: 1,
};

export interface StatusChange {
  at: Date;
  status: ComponentStatus;
}

export interface UptimeInput {
  now: Date;
  /** The status in force when the window opened (the last change before it); null if none. */
  statusAtWindowStart: ComponentStatus | null;
  /** Changes inside the window, oldest first (ties keep their order). */
  changes: readonly StatusChange[];
  /** Used only when there is no recorded history at all: known since `createdAt` in `currentStatus`. */
  createdAt?: Date;
  currentStatus?: ComponentStatus;
  days?: number;
}

export interface UptimeDay {
  /** YYYY-MM-DD, the UTC day. */
  date: string;
  /** The UTC midnight opening the day. */
  start: Date;
  /** False when the component was not known during any of the day. */
  hasData: boolean;
  /** The worst status held at any moment of the day; null without data. */
  worst: ComponentStatus | null;
  /** Milliseconds spent in each status during the day (known time only). */
  durations: StatusDurations;
  /** Known milliseconds of the day (today: up to now). */
  observedMs: number;
  /** Weighted downtime in milliseconds. */
  downtimeMs: number;
  /** 0..1, or null without data. */
  uptime: number | null;
}

export interface UptimeHistory {
  days: UptimeDay[];
  observedMs: number;
  downtimeMs: number;
  /** 0..1 over the known time of the window, or null when nothing is known. */
  uptime: number | null;
}

/** The instant the window of `days` UTC days ending today opens. */
export function uptimeWindowStart(now: Date, days: number = UPTIME_DAYS): Date {
  return utcDaysStart(now, days);
}

/** Milliseconds in each status. */
export type StatusDurations = Record<ComponentStatus, number>;

const NO_TIME: Readonly<StatusDurations> = Object.freeze(Object.fromEntries(COMPONENT_STATUSES.map((s) => [s, 0])) as StatusDurations);

/** A copy of a template, not a map of the statuses: made for every day of every window of every render. */
export function emptyDurations(): StatusDurations {
  return { ...NO_TIME };
}

interface Segment {
  from: number;
  to: number;
  status: ComponentStatus;
}

/** The known intervals of the window, each in one status. */
function segments(input: UptimeInput, windowStart: number, end: number): Segment[] {
  const out: Segment[] = [];
  let status = input.statusAtWindowStart;
  let from = windowStart;
  if (status === null && input.changes.length === 0 && input.createdAt && input.currentStatus) {
    status = input.currentStatus;
    from = Math.max(windowStart, input.createdAt.getTime());
  }
  for (const change of input.changes) {
    const at = Math.min(end, Math.max(windowStart, change.at.getTime()));
    if (status !== null && at > from) out.push({ from, to: at, status });
    if (at >= end) return out;
    status = change.status;
    from = Math.max(from, at);
  }
  if (status !== null && end > from) out.push({ from, to: end, status });
  return out;
}

/**
 * The history computed from every change of the window: the reference. The status page reads
 * the same result from day totals kept as changes are recorded (uptime-days.ts).
 */
export function uptimeHistory(input: UptimeInput): UptimeHistory {
  const count = input.days ?? UPTIME_DAYS;
  const nowMs = input.now.getTime();
  const windowStart = uptimeWindowStart(input.now, count).getTime();
  const days = Array.from({ length: count }, () => emptyDurations());

  for (const segment of segments(input, windowStart, nowMs)) {
    // A segment covers whole days in between: walk them, O(days) per segment at worst but
    // O(1) for the short segments that make up long histories.
    let from = segment.from;
    while (from < segment.to) {
      const index = Math.floor((from - windowStart) / DAY_MS);
      const dayEnd = windowStart + (index + 1) * DAY_MS;
      const to = Math.min(segment.to, dayEnd);
      days[index]![segment.status] += to - from;
      from = to;
    }
  }
  return summariseWindow(windowStart, days);
}

/**
 * The history of a window of consecutive UTC days opening at `windowStart`, from each day's
 * known milliseconds per status: the one place a day's worst status, downtime and uptime are
 * derived, whichever way its durations were counted.
 */
export function summariseWindow(windowStart: number, days: readonly StatusDurations[]): UptimeHistory {
  let observedMs = 0;
  let downtimeMs = 0;
  const result = days.map((durations, i): UptimeDay => {
    const start = new Date(windowStart + i * DAY_MS);
    // Plain loops: this runs for every day of every component's window.
    let dayObserved = 0;
    let downtime = 0;
    let worst: ComponentStatus | null = null;
    for (let k = 0; k < COMPONENT_STATUSES.length; k += 1) {
      const s = COMPONENT_STATUSES[k]!;
      dayObserved += durations[s];
      downtime += durations[s] * DOWNTIME_WEIGHT[s];
      if (durations[s] > 0 && (worst === null || isWorse(s, worst))) worst = s;
    }
    observedMs += dayObserved;
    downtimeMs += downtime;
    const hasData = dayObserved > 0;
    return {
      date: utcDay(start),
      start,
      hasData,
      worst: hasData ? worst : null,
      durations,
      observedMs: dayObserved,
      downtimeMs: downtime,
      uptime: hasData ? 1 - downtime / dayObserved : null,
    };
  });
  return { days: result, observedMs, downtimeMs, uptime: observedMs > 0 ? 1 - downtimeMs / observedMs : null };
}

/**
 * A percentage for people, rounded down to two decimals so that any downtime at all shows
 * below 100%: "99.95%".
 */
export function formatUptime(uptime: number): string {
  const hundredths = Math.floor(uptime * 10_000 + 1e-9);
  return `${(hundredths / 100).toFixed(2)}%`;
}

/** Consecutive days alike, by their index in the window. */
export interface DayRun<T> {
  value: T;
  from: number;
  length: number;
}

/** Consecutive equal values merged into runs, oldest first: a row of 90 bars drawn as a few strokes. */
export function runsOf<T>(values: readonly T[]): Array<DayRun<T>> {
  const runs: Array<DayRun<T>> = [];
  values.forEach((value, index) => {
    const last = runs.at(-1);
    if (last && last.value === value) last.length += 1;
    else runs.push({ value, from: index, length: 1 });
  });
  return runs;
}
