import { changeDeltas, type DayTotals } from '../../src/domain/uptime-days.js';
import { emptyDurations, uptimeHistory, uptimeWindowStart, type StatusChange, type StatusDurations } from '../../src/domain/uptime.js';
import { DAY_MS } from '../../src/domain/utc-days.js';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../src/domain/vocabulary.js';
import type { KeptUptime } from '../../src/modules/components/index.js';

/**
 * A component's history kept as the components repository keeps it, without a database: the
 * changes in the order they were recorded, and the day totals their deltas add up to.
 */
export interface KeptHistory {
  recorded: StatusChange[];
  totals: Map<string, StatusDurations>;
}

/** Changes ordered as the history is read: by instant, then in the order recorded (the sort is stable). */
function inOrder(recorded: readonly StatusChange[]): StatusChange[] {
  return [...recorded].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * Records `change` as `recordStatusChange` does: finds its neighbours (a new change comes after
 * those of its own instant) and adds the deltas. Throws when a day leaves what the table's
 * CHECK allows, as the database would.
 */
export function record(kept: KeptHistory, change: StatusChange): void {
  const ordered = inOrder(kept.recorded);
  const previous = ordered.filter((c) => c.at <= change.at).at(-1) ?? null;
  const next = ordered.find((c) => c.at > change.at) ?? null;
  for (const delta of changeDeltas(change, previous, next)) {
    const day = kept.totals.get(delta.date) ?? emptyDurations();
    for (const s of COMPONENT_STATUSES) day[s] += delta.durations[s];
    kept.totals.set(delta.date, day);
    const sum = COMPONENT_STATUSES.reduce((n, s) => n + day[s], 0);
    if (COMPONENT_STATUSES.some((s) => day[s] < 0) || sum > DAY_MS) {
      throw new Error(`${delta.date} leaves the bounds of a day: ${JSON.stringify(day)}`);
    }
  }
  kept.recorded.push(change);
}

/** The history of `changes`, recorded in the order given. */
export function keep(changes: readonly StatusChange[]): KeptHistory {
  const kept: KeptHistory = { recorded: [], totals: new Map() };
  for (const change of changes) record(kept, change);
  return kept;
}

export function totalsOf(kept: KeptHistory): DayTotals[] {
  return [...kept.totals].map(([date, durations]) => ({ date, durations }));
}

/** What the status page reads besides the totals: the last change at or before now, and any after. */
export function recentOf(kept: KeptHistory, now: Date): StatusChange[] {
  const ordered = inOrder(kept.recorded);
  const last = ordered.filter((c) => c.at <= now).at(-1);
  return [...(last ? [last] : []), ...ordered.filter((c) => c.at > now)];
}

/** What `loadKeptUptime` would read for these components' histories. */
export function keptUptime(histories: Record<string, readonly StatusChange[]>, now: Date): KeptUptime {
  const all = Object.entries(histories).map(([componentId, changes]) => ({ componentId, kept: keep(changes) }));
  return {
    days: all.flatMap(({ componentId, kept }) => totalsOf(kept).map((d) => ({ componentId, ...d }))),
    recent: all.flatMap(({ componentId, kept }) => recentOf(kept, now).map((c) => ({ componentId, ...c }))),
  };
}

/**
 * The reference: `uptimeHistory` given what the status page read before the day totals, the
 * status in force when the window opened and every change since.
 */
export function referenceHistory(
  changes: readonly StatusChange[],
  now: Date,
  days: number,
  fallback: { createdAt?: Date; currentStatus?: ComponentStatus } = {},
) {
  const ordered = inOrder(changes);
  const windowStart = uptimeWindowStart(now, days);
  return uptimeHistory({
    now,
    days,
    statusAtWindowStart: ordered.filter((c) => c.at < windowStart).at(-1)?.status ?? null,
    changes: ordered.filter((c) => c.at >= windowStart),
    ...fallback,
  });
}
