import { pastDaysFromTotals, todayFromTotals, withToday, type KeptUptimeInput } from '../../domain/uptime-days.js';
import type { UptimeHistory } from '../../domain/uptime.js';
import { utcDay } from '../../text/time.js';
import { todayAsShown, uptimeModel, type ComponentUptimeModel, type UptimeModelOf } from './uptime-model.js';

interface Held {
  /** What the past days were computed from. */
  pastKey: string;
  past: UptimeHistory;
  /** What the model was made from, besides the past days. */
  shown: string;
  model: ComponentUptimeModel;
}

/**
 * Each showcased component's uptime window and bars, kept between renders. The days before
 * today change only with the component's totals (its uptime revision), its recent changes, or
 * the day; today grows with the clock, so it is computed at each render (one day, not 90), and
 * the model is made again only when what it shows of today changed too. Computing every
 * component's 90 days and sentences was most of a re-render's own work.
 *
 * The windows are exactly those computed whole: a property test in
 * test/domain/uptime-days.test.ts holds `withToday` to `uptimeFromTotals`, and
 * test/surfaces/web/uptime-days-cache.db.test.ts the models to those made afresh.
 */
export class UptimeModelMemo {
  private readonly held = new Map<string, Held>();
  /** The UTC day of the last `now` asked about: every component of a render asks with the same one. */
  private day = { at: NaN, date: '' };

  readonly modelOf: UptimeModelOf = (component, input, i18n) => {
    const today = this.dayOf(input.now);
    const pastKey = pastKeyOf(component.uptimeRevision, today, input);
    // One row per component and language: the page is rendered in each language a reader asks for.
    const heldKey = `${i18n.lang}:${component.id}`;
    let held = this.held.get(heldKey);
    const past = held?.pastKey === pastKey ? held.past : pastDaysFromTotals(input);
    // Today's totals are the only ones today's day reads.
    const todayDay = todayFromTotals({ ...input, totals: input.totals.filter((d) => d.date === today) });
    // Most components show today as they did at the last render: the window is put together
    // (90 days copied) only for those that do not.
    const shown = todayAsShown(past, todayDay, i18n);
    if (held?.pastKey !== pastKey || held.shown !== shown) {
      held = { pastKey, past, shown, model: uptimeModel(withToday(past, todayDay), i18n) };
      this.held.set(heldKey, held);
    }
    return held.model;
  };

  private dayOf(now: Date): string {
    if (this.day.at !== now.getTime()) this.day = { at: now.getTime(), date: utcDay(now) };
    return this.day.date;
  }

  /** Forgets components gone from the page (deleted, or no longer showcased). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const key of this.held.keys()) if (!ids.has(key.slice(key.indexOf(':') + 1))) this.held.delete(key);
  }
}

/** Everything the past days are computed from, besides the totals (which the revision stands for). */
function pastKeyOf(revision: number, today: string, input: KeptUptimeInput): string {
  const recent = input.recent.map((c) => `${c.at.getTime()}:${c.status}`).join(',');
  // Without a recorded history, the window is known from the component's creation in its current status.
  const fallback = input.recent.length === 0 ? `${input.createdAt?.getTime()}:${input.currentStatus}` : '';
  return `${revision}|${today}|${input.days}|${recent}|${fallback}`;
}
