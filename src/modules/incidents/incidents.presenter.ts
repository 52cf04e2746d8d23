import { responseClocks, type ResponseTargets } from '../../domain/response-clocks.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { postmortemOverdue } from '../../domain/postmortem.js';
import { impactOf } from '../../domain/status.js';
import type { IncidentNoteRow, IncidentRow, IncidentUpdateRow } from './incidents.repo.js';
import type { IncidentDetailView, IncidentNoteView, IncidentUpdateView, IncidentView } from './incidents.schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toUpdateView(row: IncidentUpdateRow): IncidentUpdateView {
  return {
    id: row.id,
    incidentId: row.incidentId,
    status: row.status,
    body: row.body,
    messages: Object.fromEntries(Object.entries(row.translations).map(([lang, t]) => [lang, t!.markdown])),
    componentStatuses: row.componentStatuses,
    notify: row.notify,
    kind: row.kind,
    summary: row.summary,
    authorId: row.authorId,
    createdAt: row.createdAt.toISOString(),
    publishedAt: iso(row.publishedAt),
  };
}

export function toNoteView(row: IncidentNoteRow): IncidentNoteView {
  return { id: row.id, incidentId: row.incidentId, authorId: row.authorId, at: row.at.toISOString(), text: row.text };
}

export interface PresentInput {
  incident: IncidentRow;
  firstPublishedAt: Date | null;
  lastPublishedAt: Date | null;
  /** The status the incident last set on each component. */
  components: Record<string, IncidentUpdateRow['componentStatuses'][string]>;
  /** When its postmortem was published, if it was. */
  postmortemPublishedAt?: Date | null;
}

export function toIncidentView(input: PresentInput, now: Date, targets: ResponseTargets): IncidentView {
  const { incident } = input;
  const clocks = responseClocks(
    {
      severity: incident.severity,
      detectedAt: incident.detectedAt,
      acknowledgedAt: incident.acknowledgedAt,
      resolvedAt: incident.resolvedAt,
      publicUpdateTimes: [input.firstPublishedAt, input.lastPublishedAt].filter((d): d is Date => d !== null),
    },
    now,
    targets,
  );
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    impact: impactOf(incident.severity, incident.impactOverride),
    impactOverride: incident.impactOverride,
    status: incident.status,
    draft: incident.draft,
    roles: {
      commander: incident.commanderId,
      techLead: incident.techLeadId,
      commsLead: incident.commsLeadId,
      scribe: incident.scribeId,
    },
    components: input.components,
    startedAt: incident.startedAt.toISOString(),
    detectedAt: incident.detectedAt.toISOString(),
    acknowledgedAt: iso(incident.acknowledgedAt),
    firstPublicUpdateAt: iso(input.firstPublishedAt),
    mitigatedAt: iso(incident.mitigatedAt),
    resolvedAt: iso(incident.resolvedAt),
    postmortemDueAt: iso(incident.postmortemDueAt),
    timeToFirstUpdateSeconds: clocks.timeToFirstUpdateSeconds,
    firstUpdateDueAt: clocks.firstUpdateDueAt.toISOString(),
    firstUpdateBreached: clocks.firstUpdateBreached,
    lastPublicUpdateAt: iso(clocks.lastPublicUpdateAt),
    nextUpdateDueAt: iso(clocks.nextUpdateDueAt),
    updateOverdue: clocks.updateOverdue,
    acknowledgeDueAt: clocks.acknowledgeDueAt.toISOString(),
    acknowledgeBreached: clocks.acknowledgeBreached,
    postmortemOverdue: postmortemOverdue({ ...incident, postmortemPublishedAt: input.postmortemPublishedAt ?? null }, now),
    version: incident.version,
    createdAt: incident.createdAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
  };
}

export function toIncidentDetail(
  incident: IncidentRow,
  updates: IncidentUpdateRow[],
  notes: IncidentNoteRow[],
  now: Date,
  targets: ResponseTargets,
  extra: { postmortemPublishedAt: Date | null; reminders: IncidentDetailView['reminders'] } = { postmortemPublishedAt: null, reminders: [] },
): IncidentDetailView {
  const published = updates.flatMap((u) => (u.publishedAt ? [u.publishedAt.getTime()] : []));
  const view = toIncidentView(
    {
      incident,
      firstPublishedAt: published.length ? new Date(Math.min(...published)) : null,
      lastPublishedAt: published.length ? new Date(Math.max(...published)) : null,
      components: latestComponentStatuses(updates),
      postmortemPublishedAt: extra.postmortemPublishedAt,
    },
    now,
    targets,
  );
  return { ...view, updates: updates.map(toUpdateView), notes: notes.map(toNoteView), reminders: extra.reminders };
}

/**
 * The admin list's order: what needs someone now first (an update overdue, an acknowledgement
 * missed), then by when the next update is due, then the most recently detected.
 */
export function byUrgency(a: IncidentView, b: IncidentView): number {
  const attention = (i: IncidentView) =>
    i.resolvedAt === null && (i.updateOverdue || (i.acknowledgedAt === null && i.acknowledgeBreached)) ? 0 : 1;
  const due = (i: IncidentView) => (i.nextUpdateDueAt ? Date.parse(i.nextUpdateDueAt) : Number.POSITIVE_INFINITY);
  return (
    attention(a) - attention(b) ||
    due(a) - due(b) ||
    Date.parse(b.detectedAt) - Date.parse(a.detectedAt)
  );
}
