/**
 * The 90-day uptime bars of the status page: which components show them and what each bar
 * says. Pure; the arithmetic lives in src/domain/uptime.ts and src/domain/uptime-days.ts.
 */
import { COMPONENT_STATUSES, type ComponentStatus } from '../../domain/vocabulary.js';
import { formatUptime, UPTIME_DAYS, type UptimeDay } from '../../domain/uptime.js';
import { uptimeFromTotals } from '../../domain/uptime-days.js';
import { groupBy } from '../../domain/group-by.js';
import { formatDuration } from '../../text/time.js';
import type { KeptUptime } from '../../modules/components/index.js';

/** A bar's class: its day's worst status, or `none` before the component existed. */
export type BarTone = ComponentStatus | 'none';

export interface UptimeBarModel {
  date: string;
  tone: BarTone;
  /** What the bar shows, in words: "Nov 12: partial outage for 42 min". */
  text: string;
}

export interface ComponentUptimeModel {
  days: number;
  bars: UptimeBarModel[];
  /** "99.95%", or null when nothing is known yet. */
  uptime: string | null;
  /** "99.95% uptime" or "No data yet", shown beside the bars. */
  uptimeText: string;
  /** The bars of days that were not wholly operational, newest first, for the visible list. */
  notable: UptimeBarModel[];
  /** "3 days with issues" */
  notableText: string;
}

export interface UptimeComponentInput {
  id: string;
  showcase: boolean;
  status: ComponentStatus;
  createdAt: Date;
}

const STATUS_WORDS: Record<ComponentStatus, string> = {
  operational: 'operational',
  under_maintenance: 'under maintenance',
  degraded_performance: 'degraded performance',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
};

// Days are UTC days, so they are named in UTC: naming them in the display zone would call
// the same day by yesterday's date west of Greenwich, and a DST change would move nothing.
const dayLabel = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });

export function describeDay(day: UptimeDay): string {
  const label = dayLabel.format(day.start);
  if (!day.hasData) return `${label}: no data`;
  const troubles = [...COMPONENT_STATUSES]
    .reverse()
    .filter((s) => s !== 'operational' && day.durations[s] > 0)
    .map((s) => `${STATUS_WORDS[s]} for ${formatDuration(day.durations[s])}`);
  return `${label}: ${troubles.length > 0 ? troubles.join(', ') : 'no downtime'}`;
}

/** Uptime models of the showcased components, by component id. */
export function buildUptimeModels(
  components: readonly UptimeComponentInput[],
  kept: KeptUptime,
  now: Date,
  days: number = UPTIME_DAYS,
): Record<string, ComponentUptimeModel> {
  const totals = groupBy(kept.days, (d) => d.componentId);
  const recent = groupBy(kept.recent, (c) => c.componentId);
  const models: Record<string, ComponentUptimeModel> = {};
  for (const c of components) {
    if (!c.showcase) continue;
    const history = uptimeFromTotals({
      now,
      days,
      totals: totals.get(c.id) ?? [],
      recent: recent.get(c.id) ?? [],
      createdAt: c.createdAt,
      currentStatus: c.status,
    });
    const bars = history.days.map((d): UptimeBarModel => ({ date: d.date, tone: d.worst ?? 'none', text: describeDay(d) }));
    const uptime = history.uptime === null ? null : formatUptime(history.uptime);
    const notable = bars.filter((b) => b.tone !== 'operational' && b.tone !== 'none').reverse();
    models[c.id] = {
      days,
      bars,
      uptime,
      uptimeText: uptime === null ? 'No data yet' : `${uptime} uptime`,
      notable,
      notableText: `${notable.length} day${notable.length === 1 ? '' : 's'} with issues`,
    };
  }
  return models;
}
