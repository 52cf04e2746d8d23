import type { IncidentView } from '../../modules/incidents/index.js';
import { clockPhrase, type ClockPhrase } from '../../text/countdown.js';
import { displayTime, type DisplayTime } from '../../text/time.js';

/** What the Now board shows, built by pure functions from the modules' reads. */

export interface BoardIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  draft: boolean;
  clocks: ClockPhrase[];
  breached: boolean;
}

/** The clocks still running on an open incident, as phrases: first or next update, and acknowledgement. */
export function incidentClocks(incident: IncidentView, now: Date): ClockPhrase[] {
  const clocks: ClockPhrase[] = [];
  if (incident.resolvedAt) return clocks;
  if (incident.firstPublicUpdateAt === null) clocks.push(clockPhrase('first update', new Date(incident.firstUpdateDueAt), now));
  else if (incident.nextUpdateDueAt) clocks.push(clockPhrase('next update', new Date(incident.nextUpdateDueAt), now));
  if (incident.acknowledgedAt === null) clocks.push(clockPhrase('acknowledge', new Date(incident.acknowledgeDueAt), now));
  return clocks;
}

/** Open incidents and drafts, overdue first, then by the earliest clock due. */
export function boardIncidents(incidents: IncidentView[], now: Date): BoardIncident[] {
  const rows = incidents.map((i) => {
    const clocks = incidentClocks(i, now);
    return { id: i.id, title: i.title, severity: i.severity, status: i.status, draft: i.draft, clocks, breached: clocks.some((c) => c.breached) };
  });
  const firstDue = (row: BoardIncident) => Math.min(...row.clocks.map((c) => c.dueAt.getTime()), Number.POSITIVE_INFINITY);
  return rows.sort((a, b) => Number(b.breached) - Number(a.breached) || firstDue(a) - firstDue(b));
}

export interface BoardMaintenance {
  id: string;
  title: string;
  status: string;
  from: DisplayTime;
  until: DisplayTime;
}

export function boardMaintenance(
  rows: Array<{ id: string; title: string; status: string; scheduledFor: string; scheduledUntil: string }>,
  timeZone: string,
): BoardMaintenance[] {
  return rows.map((m) => ({
    id: m.id,
    title: m.title,
    status: m.status.replace('_', ' '),
    from: displayTime(new Date(m.scheduledFor), timeZone),
    until: displayTime(new Date(m.scheduledUntil), timeZone),
  }));
}

/** "1,240 emails, 3 webhooks": whom `notify` reaches. */
export function reachText(reach: { emails: number; webhooks: number; chats?: number }): string {
  const n = (count: number, one: string) => `${count.toLocaleString('en-US')} ${one}${count === 1 ? '' : 's'}`;
  // Chat channels are named only where there are some: most pages have none.
  return `${n(reach.emails, 'email')}, ${n(reach.webhooks, 'webhook')}${reach.chats ? `, ${n(reach.chats, 'chat channel')}` : ''}`;
}

/** A component status as words: `major_outage` → "major outage". */
export const statusWords = (status: string) => status.replaceAll('_', ' ');
