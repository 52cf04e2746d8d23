import { DAY_MS, utcMidnight } from './utc-days.js';
import type { Severity } from './vocabulary.js';

/** Response targets; the defaults are the product's, a deployment may tune them. */
export interface ResponseTargets {
  /** Acknowledge within this many seconds of detection; `null` = by the end of the next business day. */
  acknowledgeSeconds: Record<Severity, number | null>;
  /** First public update within this many seconds of detection, for every severity. */
  firstUpdateSeconds: number;
  /** While unresolved, the next public update is due this long after the last one. */
  updateIntervalSeconds: Record<Severity, number>;
}

export const DEFAULT_RESPONSE_TARGETS: ResponseTargets = {
  acknowledgeSeconds: { P0: 5 * 60, P1: 15 * 60, P2: 2 * 60 * 60, P3: null },
  firstUpdateSeconds: 5 * 60,
  updateIntervalSeconds: { P0: 15 * 60, P1: 15 * 60, P2: 30 * 60, P3: 30 * 60 },
};

export interface ClockInput {
  severity: Severity;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  /** Publication times of the incident's public updates (a draft has none). */
  publicUpdateTimes: readonly Date[];
}

export interface ResponseClocks {
  timeToFirstUpdateSeconds: number | null;
  firstUpdateDueAt: Date;
  firstUpdateBreached: boolean;
  lastPublicUpdateAt: Date | null;
  nextUpdateDueAt: Date | null;
  updateOverdue: boolean;
  acknowledgeDueAt: Date;
  acknowledgeBreached: boolean;
}

/**
 * The end of the next business day (Monday to Friday, in UTC) after `at`'s day: a P3 found on
 * a Friday, or over the weekend, is due by the end of Monday.
 */
export function endOfNextBusinessDay(at: Date): Date {
  let day = utcMidnight(at.getTime()) + DAY_MS;
  while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY_MS;
  return new Date(day + DAY_MS);
}

function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/** A target is breached only when passed: exactly on the due time is still within target. */
function breached(doneAt: Date | null, dueAt: Date, clockTime: Date): boolean {
  return (doneAt ?? clockTime).getTime() > dueAt.getTime();
}

/**
 * An incident's response clocks at `now`. A resolved incident's clocks stop at its resolution:
 * nothing is due any more, and what was not done by then is judged against that moment.
 */
export function responseClocks(
  input: ClockInput,
  now: Date,
  targets: ResponseTargets = DEFAULT_RESPONSE_TARGETS,
): ResponseClocks {
  const clockTime = input.resolvedAt && input.resolvedAt < now ? input.resolvedAt : now;
  const times = input.publicUpdateTimes.map((t) => t.getTime());
  const first = times.length ? new Date(Math.min(...times)) : null;
  const last = times.length ? new Date(Math.max(...times)) : null;

  const firstUpdateDueAt = addSeconds(input.detectedAt, targets.firstUpdateSeconds);
  const ackSeconds = targets.acknowledgeSeconds[input.severity];
  const acknowledgeDueAt =
    ackSeconds === null ? endOfNextBusinessDay(input.detectedAt) : addSeconds(input.detectedAt, ackSeconds);

  const resolved = input.resolvedAt !== null;
  const nextUpdateDueAt = resolved
    ? null
    : last
      ? addSeconds(last, targets.updateIntervalSeconds[input.severity])
      : firstUpdateDueAt;

  return {
    // An update published before a backfilled detection time counts as immediate, not negative;
    // rounding up keeps 300.4 s (breached) from showing as 300 (within target).
    timeToFirstUpdateSeconds: first
      ? Math.max(0, Math.ceil((first.getTime() - input.detectedAt.getTime()) / 1000))
      : null,
    firstUpdateDueAt,
    firstUpdateBreached: breached(first, firstUpdateDueAt, clockTime),
    lastPublicUpdateAt: last,
    nextUpdateDueAt,
    updateOverdue: nextUpdateDueAt !== null && now.getTime() > nextUpdateDueAt.getTime(),
    acknowledgeDueAt,
    acknowledgeBreached: breached(input.acknowledgedAt, acknowledgeDueAt, clockTime),
  };
}
