import type { Site } from '../../core/site.js';
import { displayTime, timeAgo } from '../../text/time.js';
import { clip, type ChatField, type ChatMessage, type ChatSection } from './message.js';

/**
 * What staff channels are told, as chat messages: pure, from plain facts. Every message links
 * to the incident's console page, where a draft is published and an update posted.
 */

export const consoleIncidentUrl = (site: Site, incidentId: string) => `${site.publicUrl}/admin/incidents/${incidentId}`;

const at = (date: Date, site: Site) => displayTime(date, site.timeZone).text;

/** A response-clock reminder (an update or an acknowledgement due or overdue). */
export function reminderChatMessage(input: { incidentId: string; subject: string; lines: string[]; overdue: boolean }, site: Site): ChatMessage {
  return {
    title: input.subject,
    status: input.overdue ? 'Overdue' : 'Due soon',
    tone: input.overdue ? 'danger' : 'warning',
    summary: input.lines.join('\n'),
    fields: [],
    links: [{ label: 'Open the incident', url: consoleIncidentUrl(site, input.incidentId) }],
    sections: [],
    footer: site.pageName,
  };
}

/** A draft an alert opened: nobody outside knows yet; the link leads to the page that publishes it. */
export function draftOpenedChatMessage(
  input: { incidentId: string; title: string; severity: string; detectedAt: Date; components: string[]; alerts: number },
  site: Site,
): ChatMessage {
  const fields: ChatField[] = [
    { label: 'Severity', value: input.severity },
    { label: 'Detected', value: at(input.detectedAt, site) },
    { label: 'Alerts firing', value: String(input.alerts) },
  ];
  if (input.components.length > 0) fields.push({ label: 'Components', value: input.components.join(', ') });
  return {
    title: `Draft incident: ${input.title}`,
    status: `${input.severity} · not public yet`,
    tone: 'warning',
    summary: 'Alertmanager opened a draft incident. Review its first update and publish it: the first public update is due within minutes of detection.',
    fields,
    links: [{ label: 'Review and publish', url: consoleIncidentUrl(site, input.incidentId) }],
    sections: [],
    footer: site.pageName,
  };
}

export function postmortemOverdueChatMessage(input: { incidentId: string; title: string; severity: string; dueAt: Date }, now: Date, site: Site): ChatMessage {
  return {
    title: `Postmortem overdue: ${input.title}`,
    status: `${input.severity} · due ${timeAgo(input.dueAt, now)}`,
    tone: 'warning',
    summary: `The postmortem of this ${input.severity} incident was due at ${at(input.dueAt, site)} and is not published.`,
    fields: [],
    links: [{ label: 'Write the postmortem', url: `${consoleIncidentUrl(site, input.incidentId)}/postmortem` }],
    sections: [],
    footer: site.pageName,
  };
}

/** One open incident as the digest tells it: its state, its last public and internal entries, its clocks. */
export interface DigestIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  draft: boolean;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgeDueAt: Date;
  acknowledgeBreached: boolean;
  nextUpdateDueAt: Date | null;
  updateOverdue: boolean;
  lastPublic: { at: Date; body: string } | null;
  lastNote: { at: Date; text: string } | null;
}

/** The most incidents one digest details; the rest are counted. */
export const DIGEST_MAX_INCIDENTS = 9;

function digestSection(incident: DigestIncident, now: Date, site: Site): ChatSection {
  const fields: ChatField[] = [{ label: 'Open for', value: timeAgo(incident.detectedAt, now).replace(/ ago$/, '') }];
  fields.push({
    label: 'Acknowledged',
    value: incident.acknowledgedAt ? at(incident.acknowledgedAt, site) : `no — ${incident.acknowledgeBreached ? 'overdue since' : 'due'} ${at(incident.acknowledgeDueAt, site)}`,
  });
  if (incident.nextUpdateDueAt) {
    fields.push({ label: 'Next public update', value: `${incident.updateOverdue ? 'OVERDUE since' : 'due'} ${at(incident.nextUpdateDueAt, site)}` });
  }
  fields.push({
    label: 'Last public update',
    value: incident.lastPublic ? `${at(incident.lastPublic.at, site)}: ${clip(incident.lastPublic.body, 300)}` : 'none yet',
  });
  fields.push({ label: 'Last internal note', value: incident.lastNote ? `${at(incident.lastNote.at, site)}: ${clip(incident.lastNote.text, 300)}` : 'none' });
  const state = incident.draft ? 'draft, not public' : incident.status;
  return {
    title: `[${incident.severity}] ${incident.title} — ${state}`,
    text: '',
    fields,
    link: { label: 'Open the incident', url: consoleIncidentUrl(site, incident.id) },
  };
}

/** A clock past due: an update overdue, or an acknowledgement that has not come in time. */
export const clockOverdue = (i: { updateOverdue: boolean; acknowledgedAt: unknown; acknowledgeBreached: boolean }) => i.updateOverdue || (!i.acknowledgedAt && i.acknowledgeBreached);

/**
 * The internal update rhythm: the open incidents, most urgent first (as given), the first
 * `DIGEST_MAX_INCIDENTS` in detail. `open` counts them all; `overdue` those with a clock overdue.
 */
export function digestChatMessage(input: { incidents: DigestIncident[]; open: number; overdue: number }, now: Date, site: Site): ChatMessage {
  const shown = input.incidents.slice(0, DIGEST_MAX_INCIDENTS);
  const { overdue } = input;
  const more = input.open - shown.length;
  return {
    title: `${input.open} open incident${input.open === 1 ? '' : 's'}`,
    status: overdue > 0 ? `${overdue} with a clock overdue` : 'Every clock on time',
    tone: overdue > 0 ? 'danger' : 'neutral',
    summary: `Digest for engineering leadership and customer success, ${at(now, site)}.${more > 0 ? ` ${more} more not shown.` : ''}`,
    fields: [],
    links: [{ label: 'Incident board', url: `${site.publicUrl}/admin` }],
    sections: shown.map((incident) => digestSection(incident, now, site)),
    footer: site.pageName,
  };
}
