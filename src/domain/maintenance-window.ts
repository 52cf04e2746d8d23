/**
 * The arithmetic of scheduled maintenance: where a window stands at an instant, what the
 * scheduler owes it, which statuses components take, and how a window reads in the display
 * zone. Pure: no clock, no I/O. Windows are half-open, [scheduledFor, scheduledUntil): a
 * maintenance ending at midnight is over at midnight, and the next one may begin there.
 */
import { zonedClock } from '../text/time.js';
import { worstStatus } from './status.js';
import { DAY_MS } from './utc-days.js';
import { MAINTENANCE_STATUSES, type ComponentStatus, type MaintenanceStatus } from './vocabulary.js';

export interface MaintenanceWindow {
  scheduledFor: Date;
  scheduledUntil: Date;
}

export interface ScheduledMaintenance extends MaintenanceWindow {
  status: MaintenanceStatus;
  autoStart: boolean;
  autoComplete: boolean;
}

export type WindowPhase = 'before' | 'during' | 'after';

/** How far ahead the status page lists maintenance as upcoming. */
export const UPCOMING_DAYS = 14;

export function windowPhase(window: MaintenanceWindow, at: Date): WindowPhase {
  if (at.getTime() < window.scheduledFor.getTime()) return 'before';
  if (at.getTime() < window.scheduledUntil.getTime()) return 'during';
  return 'after';
}

export function windowProblem(window: MaintenanceWindow): string | null {
  if (window.scheduledFor.getTime() >= window.scheduledUntil.getTime()) return 'scheduledFor must be before scheduledUntil';
  return null;
}

/** In progress or being verified: the work is under way, its components are under maintenance. */
export function isUnderWay(status: MaintenanceStatus): boolean {
  return status === 'in_progress' || status === 'verifying';
}

/**
 * Announced and not started, with a window not yet over and beginning within `days`. A window
 * whose start passed without an automatic start stays listed until its end: someone is expected
 * to start it by hand.
 */
export function isUpcoming(m: ScheduledMaintenance, now: Date, days = UPCOMING_DAYS): boolean {
  return (
    m.status === 'scheduled' &&
    m.scheduledUntil.getTime() > now.getTime() &&
    m.scheduledFor.getTime() < now.getTime() + days * DAY_MS
  );
}

export type DueTransition = 'start' | 'complete' | null;

/**
 * What the scheduler owes a maintenance at `now`. One that was due to start and is already due
 * to end (the servers were down through its whole window) completes directly: its components
 * never went under maintenance, so nothing is set and set back.
 */
export function dueTransition(m: ScheduledMaintenance, now: Date): DueTransition {
  const phase = windowPhase(m, now);
  if (m.status === 'scheduled') {
    if (!m.autoStart || phase === 'before') return null;
    return phase === 'after' && m.autoComplete ? 'complete' : 'start';
  }
  if (isUnderWay(m.status) && m.autoComplete && phase === 'after') return 'complete';
  return null;
}

const ORDER = Object.fromEntries(MAINTENANCE_STATUSES.map((s, i) => [s, i])) as Record<MaintenanceStatus, number>;

export type MaintenanceTransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Forward only, steps may be skipped (finishing early goes straight to completed). There is no
 * cancelled status, as in Statuspage: a maintenance that will not happen is deleted while it is
 * still scheduled, and work stopped half-way is completed with a message saying so.
 */
export function checkMaintenanceTransition(from: MaintenanceStatus, to: MaintenanceStatus): MaintenanceTransitionCheck {
  if (from === to) return { ok: true };
  if (from === 'completed') return { ok: false, reason: 'The maintenance is completed' };
  if (ORDER[to] < ORDER[from]) return { ok: false, reason: `A maintenance cannot go back from ${from} to ${to}` };
  return { ok: true };
}

/** A component under maintenance still shows an incident's worse status: the outage wins. */
export function statusDuringMaintenance(incidentClaims: Iterable<ComponentStatus>): ComponentStatus {
  return worstStatus(['under_maintenance', ...incidentClaims]);
}

/**
 * What a component returns to when a maintenance ends: what open incidents still claim, under
 * maintenance when another maintenance under way covers it (overlapping windows), else operational.
 */
export function statusAfterMaintenance(
  incidentClaims: Iterable<ComponentStatus>,
  stillUnderOtherMaintenance: boolean,
): ComponentStatus {
  return worstStatus([...incidentClaims, ...(stillUnderOtherMaintenance ? (['under_maintenance'] as const) : [])]);
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a zone, as YYYY-MM-DD. */
export function zonedDay(at: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

function clock(at: Date, timeZone: string) {
  const p = zonedClock(at, timeZone);
  return { date: `${p.month} ${p.day}, ${p.year}`, time: `${p.hour}:${p.minute}`, zone: p.timeZoneName! };
}

/**
 * A window as people read it in the display zone: "Mar 8, 2026, 01:00 – 04:00 PDT" on one
 * day, the date repeated when it ends on another, and each end's own zone name when a
 * daylight-saving change falls inside (01:00 PST – 04:00 PDT lasts two hours, not three).
 */
export function windowLabel(window: MaintenanceWindow, timeZone: string): string {
  const start = clock(window.scheduledFor, timeZone);
  const end = clock(window.scheduledUntil, timeZone);
  const sameDay = zonedDay(window.scheduledFor, timeZone) === zonedDay(window.scheduledUntil, timeZone);
  const endText = sameDay ? end.time : `${end.date}, ${end.time}`;
  if (start.zone === end.zone) return `${start.date}, ${start.time} – ${endText} ${end.zone}`;
  return `${start.date}, ${start.time} ${start.zone} – ${endText} ${end.zone}`;
}

/** "in 3 hours", "in 2 days", "now": how soon a window starts, in the largest whole unit. */
export function startsIn(window: MaintenanceWindow, now: Date): string {
  const minutes = Math.floor((window.scheduledFor.getTime() - now.getTime()) / 60_000);
  if (minutes < 1) return 'now';
  for (const [unit, size] of [['day', 1440], ['hour', 60], ['minute', 1]] as const) {
    const n = Math.floor(minutes / size);
    if (n >= 1) return `in ${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  return 'now';
}
