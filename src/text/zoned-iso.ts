import { zoneFormatter } from './time.js';

/**
 * ISO 8601 with the display zone's offset ("2026-03-08T01:00:00.000-08:00"), as Statuspage's
 * API writes its times: the same instant as the UTC form, readable in the page's own zone.
 */
const ISO_PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
};

export function isoInZone(at: Date, timeZone: string): string {
  const p = Object.fromEntries(zoneFormatter(timeZone, 'iso', ISO_PARTS).formatToParts(at).map((part) => [part.type, part.value]));
  // "GMT" alone is a zero offset; "GMT-08:00" otherwise. Offsets with seconds (local mean time
  // before 1900) have no ISO 8601 profile form that clients parse: those fall back to UTC.
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName!.slice(3);
  if (!/^[+-]\d{2}:\d{2}$/.test(offset)) return at.toISOString();
  const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${ms}${offset}`;
}
