/** Formatting of instants for people: pure, zone-aware, no I/O. */

export interface DisplayTime {
  /** ISO 8601 in UTC, for `<time datetime>` and machines. */
  iso: string;
  /** e.g. "Nov 24, 10:05 UTC" in the display zone. */
  text: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per zone and style, kept: building them is the costly part of formatting.
 * A style names its locale when it is not US English.
 */
export function zoneFormatter(timeZone: string, style: string, options: Intl.DateTimeFormatOptions, locale = 'en-US'): Intl.DateTimeFormat {
  const key = `${style}:${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** A date and a 24-hour time with the zone's short name: how the page shows an instant. */
export const CLOCK: Intl.DateTimeFormatOptions = {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};

/** An instant read in a zone: `month` "Nov", `day`, `year`, `hour` and `minute` (24 h), `timeZoneName` "PST". */
export function zonedClock(at: Date, timeZone: string): Record<string, string> {
  return Object.fromEntries(zoneFormatter(timeZone, 'clock', CLOCK).formatToParts(at).map((p) => [p.type, p.value]));
}

/**
 * Instants already written out, by zone: a page shows the same few hundred instants (incidents'
 * starts and ends, updates) at every render, and writing one out is the costly part of a card.
 * Bounded: emptied when full, so it holds at most a page's worth or so.
 */
const written = new Map<string, DisplayTime>();
const WRITTEN_MAX = 4096;

export function displayTime(at: Date, timeZone: string): DisplayTime {
  const key = `${timeZone}|${at.getTime()}`;
  const known = written.get(key);
  if (known) return known;
  const parts = zonedClock(at, timeZone);
  const shown: DisplayTime = Object.freeze({
    iso: at.toISOString(),
    text: `${parts.month} ${parts.day}, ${parts.year}, ${parts.hour}:${parts.minute} ${parts.timeZoneName}`,
  });
  if (written.size >= WRITTEN_MAX) written.clear();
  written.set(key, shown);
  return shown;
}

const UNITS: Array<[string, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "just now", "1 minute ago", "3 hours ago": how long ago, in the largest whole unit. */
export function timeAgo(at: Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - at.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** "2 h 5 min", "45 min", "3 d 4 h": a duration for incident lengths. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** Days named so far, by their number since the epoch: every render names the same few hundred days again. */
const dayNames = new Map<number, string>();
const MAX_DAY_NAMES = 4096;

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  // An invalid date is never found, and throws below as toISOString does.
  const day = Math.floor(at.getTime() / 86_400_000);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = at.toISOString().slice(0, 10);
    if (dayNames.size >= MAX_DAY_NAMES) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
}
