import { SEVERITIES } from '../../domain/vocabulary.js';
import type { ResponseReportView } from '../../modules/reports/index.js';
import { formatCountdown } from '../../text/countdown.js';
import { formatDuration } from '../../text/time.js';
import { barChart, type BarChart } from './charts.js';

/** What the response report screen shows, built by pure functions from the report the API returns. */

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date field (`YYYY-MM-DD`) that names a real day. */
function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  // 2026-02-30 parses as NaN on some engines and as March 2 on others: a real day reads back the same.
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
}

export interface ReportRange {
  /** The form's fields, as typed. */
  from: string;
  to: string;
  /** The report's query: [from 00:00 UTC, the day after `to` 00:00 UTC), so `to` is included. */
  query: { from: string; to: string } | null;
  errors: Record<string, string>;
}

/** The range the form asks for; without one, the 30 days up to and including today (UTC). */
export function reportRange(given: { from?: string; to?: string }, now: Date): ReportRange {
  const today = now.toISOString().slice(0, 10);
  const from = given.from?.trim() || new Date(now.getTime() - 29 * DAY_MS).toISOString().slice(0, 10);
  const to = given.to?.trim() || today;
  const errors: Record<string, string> = {};
  if (!isDate(from)) errors.from = 'From must be a date like 2026-11-01.';
  if (!isDate(to)) errors.to = 'To must be a date like 2026-11-30.';
  if (!errors.from && !errors.to && from > to) errors.to = 'To must be on or after From.';
  if (Object.keys(errors).length > 0) return { from, to, query: null, errors };
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
  return { from, to, query: { from: `${from}T00:00:00.000Z`, to: end }, errors };
}

/** A label the drawing's width holds (the table beside it has the whole title). */
const short = (text: string) => (text.length > 48 ? `${text.slice(0, 47)}…` : text);

const duration = (seconds: number | null) => (seconds === null ? 'none' : formatDuration(seconds * 1000));
/** Minutes and seconds near the target, where "5 min" could not tell 4:59 from 5:01. */
const firstUpdateText = (seconds: number) => (seconds < 600 ? formatCountdown(seconds * 1000) : formatDuration(seconds * 1000));

export interface ReportChart {
  title: string;
  desc: string;
  chart: BarChart;
  /** The same numbers as a table: header cells, then rows of cells. */
  head: string[];
  rows: string[][];
}

/** Time to the first public update, one bar per incident, against the target line. */
function firstUpdateChart(report: ResponseReportView): ReportChart {
  const target = report.targets.firstUpdateSeconds;
  const targetText = `${Math.round(target / 60)}-minute target`;
  const late = report.incidents.filter((i) => i.firstUpdateSeconds !== null && i.firstUpdateSeconds > target).length;
  const texts = report.incidents.map((i) => {
    if (i.firstUpdateSeconds === null) return 'no public update yet';
    return `${firstUpdateText(i.firstUpdateSeconds)}${i.firstUpdateSeconds > target ? ' (late)' : ''}`;
  });
  return {
    title: 'Time to first public update, per incident',
    desc: `${report.incidents.length} incidents; ${late} past the ${targetText}.`,
    chart: barChart({
      groups: report.incidents.map((i, n) => ({
        label: short(`${i.severity} ${i.title}`),
        bars: [{ series: 0, value: i.firstUpdateSeconds, text: texts[n]!, flagged: i.firstUpdateSeconds !== null && i.firstUpdateSeconds > target }],
      })),
      marker: { value: target, label: targetText },
    }),
    head: ['Incident', 'Severity', 'First update'],
    rows: report.incidents.map((i, n) => [i.title, i.severity, texts[n]!]),
  };
}

const MEANS = [
  { key: 'mtta', name: 'MTTA' },
  { key: 'mttm', name: 'MTTM' },
  { key: 'mttr', name: 'MTTR' },
] as const;

/** Mean time to acknowledge, mitigate and resolve, three bars per severity. */
function meansChart(report: ResponseReportView): ReportChart {
  return {
    title: 'MTTA, MTTM and MTTR by severity',
    desc: 'Mean time from detection to acknowledgement (MTTA), mitigation (MTTM) and resolution (MTTR), for each severity.',
    chart: barChart({
      groups: SEVERITIES.map((s) => ({
        label: `${s} (${report.bySeverity[s].count} ${report.bySeverity[s].count === 1 ? 'incident' : 'incidents'})`,
        bars: MEANS.map((m, series) => {
          const mean = report.bySeverity[s][m.key].meanSeconds;
          return { series, value: mean, text: `${m.name} ${duration(mean)}` };
        }),
      })),
    }),
    head: ['Severity', ...MEANS.map((m) => m.name)],
    rows: SEVERITIES.map((s) => [s, ...MEANS.map((m) => duration(report.bySeverity[s][m.key].meanSeconds))]),
  };
}

/** Updates posted later than their interval (or still due), by severity. */
function overdueChart(report: ResponseReportView): ReportChart {
  const text = (s: (typeof SEVERITIES)[number]) => {
    const o = report.bySeverity[s].overdueUpdates;
    return o.count === 0 ? '0' : `${o.count} (${duration(o.totalSeconds)} late)`;
  };
  return {
    title: 'Overdue updates by severity',
    desc: `Public updates that came later than their interval, ${report.overall.overdueUpdates.count} in all.`,
    chart: barChart({
      groups: SEVERITIES.map((s) => ({
        label: s,
        bars: [{ series: 0, value: report.bySeverity[s].overdueUpdates.count, text: text(s), flagged: report.bySeverity[s].overdueUpdates.count > 0 }],
      })),
    }),
    head: ['Severity', 'Overdue updates', 'Longest late'],
    rows: SEVERITIES.map((s) => {
      const o = report.bySeverity[s].overdueUpdates;
      return [s, String(o.count), o.count === 0 ? 'none' : duration(o.maxSeconds)];
    }),
  };
}

/** The report's overall numbers, as label and value. */
function overall(report: ResponseReportView): Array<[string, string]> {
  const o = report.overall;
  const share = o.firstUpdate.withinTargetShare;
  return [
    ['Incidents', String(o.count)],
    ['MTTD', duration(o.mttd.meanSeconds)],
    ['MTTA', duration(o.mtta.meanSeconds)],
    ['Never acknowledged', String(o.unacknowledged)],
    ['MTTM', duration(o.mttm.meanSeconds)],
    ['MTTR', duration(o.mttr.meanSeconds)],
    ['First update, median', o.firstUpdate.p50Seconds === null ? 'none' : firstUpdateText(o.firstUpdate.p50Seconds)],
    ['First update, 90th percentile', o.firstUpdate.p90Seconds === null ? 'none' : firstUpdateText(o.firstUpdate.p90Seconds)],
    ['First update within target', share === null ? 'none measured' : `${o.firstUpdate.withinTarget} of ${o.firstUpdate.measured} (${Math.round(share * 100)} %)`],
    ['Overdue updates', String(o.overdueUpdates.count)],
    ['Postmortems overdue', String(o.postmortemsOverdue)],
  ];
}

export function reportModel(report: ResponseReportView) {
  return { overall: overall(report), charts: [firstUpdateChart(report), meansChart(report), overdueChart(report)] };
}
