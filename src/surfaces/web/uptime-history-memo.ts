import { pastDaysFromTotals, todayFromTotals, withToday, type KeptUptimeInput } from '../../domain/uptime-days.js';
import type { UptimeHistory } from '../../domain/uptime.js';
import { utcDay } from '../../text/time.js';
import type { UptimeHistoryOf } from './uptime-model.js';

interface Held {
  key: string;
  past: UptimeHistory;
}

/**
 * Each showcased component's uptime window, with the days before today kept between renders:
 * they change only with the component's totals (its uptime revision), its recent changes, or
 * the day, and computing them for every component was most of a re-render's arithmetic. Today
 * is computed at each render, since it grows with the clock. The result is exactly the window
 * computed whole (a property test in test/domain/uptime-days.test.ts holds `withToday` to it).
 */
export class UptimeHistoryMemo {
  private readonly held = new Map<string, Held>();

  readonly historyOf: UptimeHistoryOf = (component, input) => {
    const today = utcDay(input.now);
    const key = keyOf(component.uptimeRevision, today, input);
    let held = this.held.get(component.id);
    if (held?.key !== key) {
      held = { key, past: pastDaysFromTotals(input) };
      this.held.set(component.id, held);
    }
    // Today's totals are the only ones today's day reads.
    return withToday(held.past, todayFromTotals({ ...input, totals: input.totals.filter((d) => d.date === today) }));
  };

  /** Forgets components gone from the page (deleted, or no longer showcased). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.held.keys()) if (!ids.has(id)) this.held.delete(id);
  }
}

/** Everything the past days are computed from, besides the totals (which the revision stands for). */
function keyOf(revision: number, today: string, input: KeptUptimeInput): string {
  const recent = input.recent.map((c) => `${c.at.getTime()}:${c.status}`).join(',');
  // Without a recorded history, the window is known from the component's creation in its current status.
  const fallback = input.recent.length === 0 ? `${input.createdAt?.getTime()}:${input.currentStatus}` : '';
  return `${revision}|${today}|${input.days}|${recent}|${fallback}`;
}
