/**
 * Whole UTC days: what the page's recent days, its uptime bars and the business-day targets
 * count in. UTC has no daylight-saving changes, so every one of its days is DAY_MS long.
 */
export const DAY_MS = 86_400_000;

/** The UTC midnight that begins the day of `ms` (milliseconds since the epoch). */
export function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The UTC midnight that opens a run of `days` UTC days ending with `now`'s day. */
export function utcDaysStart(now: Date, days: number): Date {
  return new Date(utcMidnight(now.getTime()) - (days - 1) * DAY_MS);
}
