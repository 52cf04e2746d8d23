/**
 * Calendar months in a time zone, as instants: pure, Intl only. The history groups incidents
 * by the month a reader in the display zone would say they happened in, so its boundaries are
 * local midnights, which move against UTC when daylight-saving time begins or ends.
 */

export interface ZonedMonth {
  year: number;
  /** 1..12 */
  month: number;
  /** Local midnight opening the month, as an instant. */
  start: Date;
  /** Local midnight opening the next month. */
  end: Date;
  /** "November 2026" */
  label: string;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();
// A month's name does not depend on the zone: name the wall-clock month, read as UTC.
const monthLabel = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function cached(map: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions) {
  let f = map.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    map.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone. */
function wallClock(at: number, timeZone: string) {
  const f = cached(partFormatters, timeZone, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms (whole seconds). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock reading in a zone names, the reading given as if it were UTC
 * (`Date.UTC(…)`). A reading that a DST change skips or repeats gets one of its neighbours.
 */
export function zonedWallTime(wall: number, timeZone: string): Date {
  // The offset at the guess may differ from the offset at the answer when a DST change lies
  // between them: a second pass settles it.
  let at = wall - offsetAt(wall, timeZone);
  at = wall - offsetAt(at, timeZone);
  return new Date(at);
}

/** The instant of local midnight on the first of a month (month may run past 12 or below 1). */
export function zonedMonthStart(year: number, month: number, timeZone: string): Date {
  return zonedWallTime(Date.UTC(year, month - 1, 1), timeZone);
}

/** The month an instant falls in, read in the zone. */
export function zonedMonthOf(at: Date, timeZone: string): { year: number; month: number } {
  const w = wallClock(at.getTime(), timeZone);
  return { year: w.year, month: w.month };
}

function zonedMonth(year: number, month: number, timeZone: string): ZonedMonth {
  const start = zonedMonthStart(year, month, timeZone);
  const normal = new Date(Date.UTC(year, month - 1, 1));
  return {
    year: normal.getUTCFullYear(),
    month: normal.getUTCMonth() + 1,
    start,
    end: zonedMonthStart(year, month + 1, timeZone),
    label: monthLabel.format(normal),
  };
}

/**
 * `count` months, newest first, ending `skip` months before the one `now` is in: page n of a
 * history with `count` months a page is `recentMonths(now, tz, count, (n - 1) * count)`.
 */
export function recentMonths(now: Date, timeZone: string, count: number, skip = 0): ZonedMonth[] {
  const current = zonedMonthOf(now, timeZone);
  return Array.from({ length: count }, (_, i) => zonedMonth(current.year, current.month - skip - i, timeZone));
}

/** Puts each item in the month its instant falls in; items outside every month are left out. */
export function groupByMonth<T>(months: readonly ZonedMonth[], items: readonly T[], at: (item: T) => Date): Array<{ month: ZonedMonth; items: T[] }> {
  return months.map((month) => ({
    month,
    items: items.filter((item) => {
      const t = at(item).getTime();
      return t >= month.start.getTime() && t < month.end.getTime();
    }),
  }));
}
