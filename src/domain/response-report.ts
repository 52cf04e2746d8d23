import type { LifecycleTimes } from './incident-lifecycle.js';
import { postmortemOverdue } from './postmortem.js';
import type { ResponseTargets } from './response-clocks.js';
import { SEVERITIES, type Severity } from './vocabulary.js';

/** An incident as the report needs it: its lifecycle times and when its public updates went out. */
export interface ReportIncident extends LifecycleTimes {
  severity: Severity;
  postmortemDueAt: Date | null;
  postmortemPublishedAt: Date | null;
  publicUpdateTimes: readonly Date[];
}

export interface MeanDuration {
  /** Arithmetic mean in whole seconds (rounded), or null without samples. */
  meanSeconds: number | null;
  /** How many incidents had both ends of the interval. */
  samples: number;
}

export interface ReportRow {
  count: number;
  /** detected − started */
  mttd: MeanDuration;
  /** acknowledged − detected; incidents never acknowledged are left out and counted apart. */
  mtta: MeanDuration;
  unacknowledged: number;
  /** mitigated − detected */
  mttm: MeanDuration;
  /** resolved − detected */
  mttr: MeanDuration;
  firstUpdate: {
    p50Seconds: number | null;
    p90Seconds: number | null;
    maxSeconds: number | null;
    /** Incidents whose first update came within the target (exactly on the target counts). */
    withinTarget: number;
    /** withinTarget ÷ measured, 0..1; null when nothing was measured. */
    withinTargetShare: number | null;
    measured: number;
  };
  overdueUpdates: { count: number; totalSeconds: number; maxSeconds: number };
  postmortemsOverdue: number;
}

export interface ResponseReport {
  overall: ReportRow;
  bySeverity: Record<Severity, ReportRow>;
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

function mean(values: number[]): MeanDuration {
  if (values.length === 0) return { meanSeconds: null, samples: 0 };
  return { meanSeconds: Math.round(values.reduce((a, b) => a + b, 0) / values.length), samples: values.length };
}

/**
 * Nearest-rank percentile: the smallest value such that at least p % of the values are less
 * than or equal to it, i.e. the value at rank ⌈p/100 × n⌉ of the sorted list. Always one of the
 * observed values, never an interpolation.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * The late stretches of an incident's public updates after the first: each gap longer than the
 * update interval is one overdue update, late by (next update − due time). The gap still open
 * at `now` counts too while the incident is unresolved (the resolution is itself a public update).
 */
export function overdueUpdateDelays(incident: ReportIncident, now: Date, intervalSeconds: number): number[] {
  const times = [...incident.publicUpdateTimes].map((d) => d.getTime()).sort((a, b) => a - b);
  if (times.length === 0) return [];
  if (incident.resolvedAt === null) times.push(now.getTime());
  const late: number[] = [];
  for (let i = 1; i < times.length; i += 1) {
    const overBy = (times[i]! - times[i - 1]!) / 1000 - intervalSeconds;
    if (overBy > 0) late.push(Math.ceil(overBy));
  }
  return late;
}

/** Seconds from detection to the incident's first public update; null before there is one. */
export function firstUpdateSeconds(incident: Pick<ReportIncident, 'detectedAt' | 'publicUpdateTimes'>): number | null {
  if (incident.publicUpdateTimes.length === 0) return null;
  const first = Math.min(...incident.publicUpdateTimes.map((d) => d.getTime()));
  // As the clocks do: an update before a backfilled detection counts as immediate, and
  // part-seconds round up, so 300.4 s is not reported as the on-target 300.
  return Math.max(0, Math.ceil((first - incident.detectedAt.getTime()) / 1000));
}

function row(incidents: readonly ReportIncident[], now: Date, targets: ResponseTargets): ReportRow {
  const lifecycle = (pick: (i: ReportIncident) => Date | null) =>
    mean(incidents.flatMap((i) => {
      const end = pick(i);
      return end ? [seconds(i.detectedAt, end)] : [];
    }));
  const firstUpdates = incidents.flatMap((i) => {
    const s = firstUpdateSeconds(i);
    return s === null ? [] : [s];
  });
  const withinTarget = firstUpdates.filter((s) => s <= targets.firstUpdateSeconds).length;
  const delays = incidents.flatMap((i) => overdueUpdateDelays(i, now, targets.updateIntervalSeconds[i.severity]));
  return {
    count: incidents.length,
    mttd: mean(incidents.map((i) => seconds(i.startedAt, i.detectedAt))),
    mtta: lifecycle((i) => i.acknowledgedAt),
    unacknowledged: incidents.filter((i) => i.acknowledgedAt === null).length,
    mttm: lifecycle((i) => i.mitigatedAt),
    mttr: lifecycle((i) => i.resolvedAt),
    firstUpdate: {
      p50Seconds: percentile(firstUpdates, 50),
      p90Seconds: percentile(firstUpdates, 90),
      maxSeconds: firstUpdates.length ? Math.max(...firstUpdates) : null,
      withinTarget,
      withinTargetShare: firstUpdates.length ? withinTarget / firstUpdates.length : null,
      measured: firstUpdates.length,
    },
    overdueUpdates: {
      count: delays.length,
      totalSeconds: delays.reduce((a, b) => a + b, 0),
      maxSeconds: delays.length ? Math.max(...delays) : 0,
    },
    postmortemsOverdue: incidents.filter((i) => postmortemOverdue(i, now)).length,
  };
}

/** The response report over the given incidents (the caller chose which), overall and per severity. */
export function responseReport(incidents: readonly ReportIncident[], now: Date, targets: ResponseTargets): ResponseReport {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, row(incidents.filter((i) => i.severity === s), now, targets)]),
  ) as Record<Severity, ReportRow>;
  return { overall: row(incidents, now, targets), bySeverity };
}
